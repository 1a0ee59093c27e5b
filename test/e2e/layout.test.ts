/**
 * The public-terminal layout (issue 18 findings 2, 4, 9) and the axe matrix, in one Chromium page
 * driven through every visitor screen. On each screen, for each panel (1080×1920 portrait, 1920×1080
 * landscape, 800×1280), display mode (default, large text at 200 %, high contrast) and language:
 * - nothing scrolls and the toolbar is wholly on screen;
 * - every control shown is wholly on screen, and on the portrait and landscape panels its centre is in
 *   the reach band (below 40 % of a portrait panel's height, below 25 % of a landscape one's);
 * - the screen's main action is the bottom-right one of its action area;
 * - the hidden service spot of the start screen covers no control (a touch there must not be lost);
 * - no text is seen in part: no line cut by a box that clips (an info zone's foot, a paged list's page
 *   edge), past the screen's edge, or under something else (the toolbar, a pager); text hidden whole
 *   (another page's rows, an item of a zone that did not fit, screen-reader words) is no problem, and
 *   each screen, panel and mode where a line is cut leaves a picture in test-results/screens/layout-text/;
 * - axe-core finds nothing.
 * The dialogs are screens too: the amount keypad, "Do you need more time?" and the service entry
 * (the staff-only PIN pad opened by the spot's gesture, and the login under it) are checked the same way.
 * The app's language and display settings are set on the element between checks (the toolbar that
 * sets them is tested in timeout.test.ts and screens.test.ts), so each screen is reached once.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages } from "../../ui/src/i18n/index.ts";
import { layoutText } from "../../ui/src/i18n/layout-text.ts";
import {
  AXE_TAGS,
  currentScreen,
  type DeepDom,
  type DemoKiosk,
  type KioskBrowser,
  LANDSCAPE,
  essentialsHidden,
  installDeepDom,
  launchKioskBrowser,
  openKiosk,
  PORTRAIT,
  postJson,
  screenshot,
  screenText,
  setDisplay,
  startDemoKiosk,
  textCutOff,
  waitForScreen,
  waitForState,
  wedgeScan,
} from "./helpers.ts";

const LANGS = ["pl", "en", "uk"] as const;
type Lang = (typeof LANGS)[number];

interface Panel {
  name: string;
  width: number;
  height: number;
  /** The reach line as a fraction of the height from the top; null: not a mounted reach geometry. */
  reach: number | null;
  /** Whether large text is checked here (every panel now; kept to switch a panel's off while fixing). */
  largeText: boolean;
}
const PANELS: Panel[] = [
  { name: "portrait 1080×1920", ...PORTRAIT, reach: 0.4, largeText: true },
  { name: "landscape 1920×1080", ...LANDSCAPE, reach: 0.25, largeText: true },
  { name: "800×1280", width: 800, height: 1280, reach: null, largeText: true },
  // Panels an office may already own (a landscape 1366×768, a 5:4 1280×1024 at a desk): not a reach
  // geometry the kiosk is built around, but every screen must work on them in every mode, large text
  // too (before, the basket's, the summary's and the keypad's actions ended under the toolbar there).
  { name: "1366×768", width: 1366, height: 768, reach: null, largeText: true },
  { name: "1280×1024", width: 1280, height: 1024, reach: null, largeText: true },
];
const MODES = [
  { name: "default", largeText: false, highContrast: false },
  { name: "large text", largeText: true, highContrast: false },
  { name: "high contrast", largeText: false, highContrast: true },
] as const;

/**
 * What each screen shows whole on every panel, in every mode and language: its heading, and what a
 * visitor cannot do without there. The start screen's "scan the QR code" box and the reader's pointer;
 * the card payment's amount, the terminal's message and the terminal's pointer (for a visitor who
 * cannot find the PIN pad, the most useful line); the paid screen's amount, what the receipt says
 * (or that it did not print), and the proof of payment a visitor keeps if it did not print: the date,
 * the card and the receipt number. The rest of a zone may give way whole (whole-items.ts).
 */
const ESSENTIALS = {
  welcome: ["h1", ".scan", "device-pointer"],
  error: ["h1"],
  basket: ["h1"],
  summary: ["h1"],
  declined: ["h1"],
  authorizing: ["h1", "[data-testid=amount-due]", "[data-testid=terminal-message]", "device-pointer"],
  approved: [
    "h1",
    "[data-testid=paid-amount]",
    "[data-testid=receipt-status]",
    "[data-testid=paid-at]",
    "[data-testid=paid-card]",
    "[data-testid=receipt-number]",
  ],
  out_of_order: ["h1"],
} as const;

interface Box {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Measured {
  viewport: { width: number; height: number };
  scrolls: boolean;
  toolbar: Box | null;
  /** Every control a visitor can see and touch right now (hit-tested at its centre). */
  controls: Box[];
  /** The screen's action area: the main action and the others. */
  primary: Box | null;
  actions: Box[];
  /** The hidden service spot (start screen only), and every visible control whether hit or covered. */
  spot: Box | null;
  visibleControls: Box[];
  /** Each paged list shown: its box, its pager's, and the first row (under any headings) it shows. */
  regions: Array<{ region: Box; pager: Box | null; firstRow: Box | null; viewport: Box }>;
  /** Each countdown ring shown: the free disc inside its track, and each line of its text. */
  rings: Array<{ cx: number; cy: number; r: number; lines: Box[] }>;
  /** Each line of text a visitor sees only in part: cut by a box that clips, by the screen's edge, or covered. */
  cutText: string[];
}

/** Where things are on the page now, through all shadow roots. */
async function measure(page: Page, essentials: readonly string[] = []): Promise<Measured> {
  const cutText = await textCutOff(page);
  const hidden = await essentialsHidden(page, essentials);
  await installDeepDom(page);
  const measured = await page.evaluate(() => {
    const box = (el: Element): Box => {
      const r = el.getBoundingClientRect();
      const name = (el.getAttribute("aria-label") || el.textContent || el.localName)
        .replace(/\s+/g, " ")
        .trim();
      return { name, x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const { all: allOf, at: deepAt, contains } = (window as unknown as { deepDom: DeepDom }).deepDom;
    const all = allOf();
    const visible = all.filter((el) => {
      if (!el.matches("button, input, select, textarea, a[href], [role=button]")) return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && el.checkVisibility({ visibilityProperty: true });
    });
    const controls = visible.filter((el) => {
      const r = el.getBoundingClientRect();
      const x = Math.min(Math.max(r.x + r.width / 2, 0), window.innerWidth - 1);
      const y = Math.min(Math.max(r.y + r.height / 2, 0), window.innerHeight - 1);
      return contains(el, deepAt(x, y));
    });
    const app = document.querySelector("oplatomat-app")?.shadowRoot;
    const screen = app?.querySelector("main > :not(timeout-dialog)")?.shadowRoot;
    const toolbar = app?.querySelector("footer");
    const root = document.scrollingElement ?? document.documentElement;
    const spot = all.find((el) => el.matches("[data-service-spot]"));
    return {
      viewport: { width: window.innerWidth, height: window.innerHeight },
      scrolls: root.scrollHeight > window.innerHeight + 1 || root.scrollWidth > window.innerWidth + 1,
      toolbar: toolbar ? box(toolbar) : null,
      controls: controls.map(box),
      primary: screen?.querySelector(".actions button.primary")
        ? box(screen.querySelector(".actions button.primary")!)
        : null,
      actions: [...(screen?.querySelectorAll(".actions button") ?? [])].map(box),
      spot: spot ? box(spot) : null,
      visibleControls: visible.map(box),
      regions: all
        .filter((el) => el.localName === "paged-region" && el.checkVisibility())
        .map((el) => {
          const units = [...el.querySelectorAll("li, tr, [data-page-unit]")].filter(
            (u) => !u.closest("thead"),
          );
          const viewport = el.shadowRoot?.querySelector(".viewport");
          const pager = el.shadowRoot?.querySelector("nav");
          return {
            region: box(el),
            pager: pager ? box(pager) : null,
            firstRow: units[0] ? box(units[0]) : null,
            viewport: viewport ? box(viewport) : box(el),
          };
        }),
      rings: all
        .filter((el) => el.localName === "countdown-ring" && el.checkVisibility())
        .map((el) => {
          const svg = el.shadowRoot?.querySelector("svg")?.getBoundingClientRect();
          const text = el.shadowRoot?.querySelector("span");
          const range = document.createRange();
          if (text) range.selectNodeContents(text);
          // The track is a circle of radius 20 drawn 6 wide in a 48-unit box: free inside radius 17.
          const r = svg ? ((svg.width / 2) * 17) / 24 : 0;
          return {
            cx: svg ? svg.x + svg.width / 2 : 0,
            cy: svg ? svg.y + svg.height / 2 : 0,
            r,
            lines: [...range.getClientRects()]
              .filter((l) => l.width > 0)
              .map((l) => ({
                name: text?.textContent ?? "",
                x: l.x,
                y: l.y,
                width: l.width,
                height: l.height,
              })),
          };
        }),
    };
  });
  return { ...measured, cutText: [...cutText, ...hidden] };
}

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function inside(b: Box, v: { width: number; height: number }): boolean {
  return b.x >= -1 && b.y >= -1 && b.x + b.width <= v.width + 1 && b.y + b.height <= v.height + 1;
}

/** What is wrong with the layout now, as sentences (empty when all is well). */
function layoutProblems(m: Measured, panel: Panel): string[] {
  const problems: string[] = [];
  if (m.scrolls) problems.push("the page scrolls");
  if (!m.toolbar || !inside(m.toolbar, m.viewport))
    problems.push(`the toolbar is off screen: ${JSON.stringify(m.toolbar)}`);
  for (const c of m.controls) {
    if (!inside(c, m.viewport)) problems.push(`"${c.name}" is cut off at y=${Math.round(c.y)}`);
    const cy = c.y + c.height / 2;
    if (panel.reach !== null && cy < panel.reach * m.viewport.height) {
      problems.push(
        `"${c.name}" is out of reach: centre y=${Math.round(cy)} above ${panel.reach * m.viewport.height}`,
      );
    }
  }
  for (const a of m.actions) {
    if (!inside(a, m.viewport)) problems.push(`action "${a.name}" is off screen`);
    // On screen is not enough: the toolbar at the foot lies over what runs into it (800×1280, large text).
    if (m.toolbar && overlap(a, m.toolbar)) problems.push(`action "${a.name}" is under the toolbar`);
  }
  // A paged list shows a whole row at least, and its pager lies in its own box, not over what follows
  // (short of room it gave way to nothing: a pager drawn over the text below and no fee shown).
  for (const r of m.regions) {
    if (r.firstRow && r.viewport.height + 1 < Math.min(r.firstRow.height, r.region.height))
      problems.push(
        `a paged list shows no whole row (${Math.round(r.viewport.height)} px for a row of ${Math.round(r.firstRow.height)})`,
      );
    if (r.pager && r.pager.y + r.pager.height > r.region.y + r.region.height + 1)
      problems.push(`a paged list's pager spills out of it onto what follows`);
  }
  // A touch on the hidden service spot never reaches what lies under it.
  const spot = m.spot;
  for (const c of spot ? m.visibleControls.filter((c) => overlap(c, spot)) : []) {
    problems.push(`the service spot covers "${c.name}" (${JSON.stringify(spot)})`);
  }
  // The countdown's text stays inside its ring, however long the idle time (900 s in this test).
  for (const ring of m.rings) {
    for (const l of ring.lines) {
      const dx = Math.max(Math.abs(l.x - ring.cx), Math.abs(l.x + l.width - ring.cx));
      const dy = Math.max(Math.abs(l.y - ring.cy), Math.abs(l.y + l.height - ring.cy));
      if (Math.hypot(dx, dy) > ring.r + 0.5)
        problems.push(
          `the countdown "${l.name}" spills out of its ring (${Math.round(Math.hypot(dx, dy))} > ${Math.round(ring.r)} px)`,
        );
    }
  }
  // Text a visitor sees only in part: half a line, a word past the edge, a row under the pager.
  for (const cut of m.cutText) problems.push(cut);
  if (m.primary) {
    const p = m.primary;
    for (const a of m.actions) {
      if (a.x + a.width > p.x + p.width + 1)
        problems.push(`"${a.name}" is right of the main action "${p.name}"`);
      if (a.y > p.y + p.height) problems.push(`"${a.name}" is below the main action "${p.name}"`);
    }
  }
  return problems;
}

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core with the same rules as expectNoAxeViolations, loaded into the page once and run in place:
 * re-injecting it for each of the 200-odd checks would take minutes.
 */
async function axeViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => "axe" in window);
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<AxeResults> } })
      .axe;
    interface AxeResults {
      violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>;
    }
    const results = await axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
    });
    return results.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    );
  }, AXE_TAGS);
}

/** Sets the visitor's language and display mode on the app (as the toolbar would) and waits for it. */
function view(page: Page, lang: Lang, mode: (typeof MODES)[number]): Promise<void> {
  return setDisplay(page, { lang, largeText: mode.largeText, highContrast: mode.highContrast });
}

describe("the public-terminal layout in every panel, mode and language", () => {
  let demo: DemoKiosk;
  let browser: KioskBrowser;
  let page: Page;
  const found: string[] = [];
  const shots = new Set<string>();

  beforeAll(async () => {
    demo = await startDemoKiosk({ name: "layout", idleTimeoutSeconds: 900, terminalDelayMs: 200 });
    browser = await launchKioskBrowser();
    await postJson(demo.url, "/api/session/cancel");
    page = await openKiosk(browser, demo.url);
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  interface Way {
    axe?: boolean;
    /** Run before each check: keeps a dialog open that would close by itself meanwhile. */
    keep?: () => Promise<void>;
    /** The screen carries the hidden service spot: it must be there in every way. */
    spot?: boolean;
    /** What the screen must show whole in every way (selectors in its shadow root): ESSENTIALS. */
    essentials?: readonly string[];
  }

  /** Every panel × mode × language on the screen now shown: layout checks and axe. */
  async function everyWay(screen: string, way: Way = {}): Promise<void> {
    for (const panel of PANELS) {
      await page.setViewportSize({ width: panel.width, height: panel.height });
      for (const mode of MODES.filter((m) => panel.largeText || !m.largeText)) {
        for (const lang of LANGS) {
          await way.keep?.();
          await view(page, lang, mode);
          const where = `${screen}, ${panel.name}, ${mode.name}, ${lang}`;
          const measured = await measure(page, way.essentials);
          // What the text check found is seen best in a picture: one per screen, panel and mode.
          const shot = `${screen}-${panel.name}-${mode.name}`.replace(/[^\w-]+/g, "_");
          if (measured.cutText.length > 0 && !shots.has(shot)) {
            shots.add(shot);
            await screenshot(page, `layout-text/${shot}-${lang}`);
          }
          for (const problem of layoutProblems(measured, panel)) {
            found.push(`${where} (${measured.viewport.width}×${measured.viewport.height}): ${problem}`);
          }
          if (way.spot && !measured.spot) found.push(`${where}: no service spot`);
          if (way.axe !== false)
            for (const violation of await axeViolations(page)) found.push(`${where}: axe ${violation}`);
        }
      }
    }
    await page.setViewportSize(PORTRAIT);
    await view(page, "pl", MODES[0]);
  }

  /** Whether the dialog inside `host` (a shadow host's selector) is open. */
  function dialogOpen(host: string): Promise<boolean> {
    return page.locator(`${host} dialog`).evaluate((d) => (d as HTMLDialogElement).open);
  }

  /**
   * Moves the app's last activity to 10 s before its deadline: the time-out warning is up. (On a
   * screen of the visitor's own, the basket; a session's screens count down to the daemon's expiry.)
   */
  async function nearTimeout(): Promise<void> {
    await page.evaluate(() => {
      const app = document.querySelector("oplatomat-app") as unknown as {
        lastActivity: number;
        timeoutSeconds(): number;
      };
      app.lastActivity = Date.now() - (app.timeoutSeconds() - 10) * 1000;
    });
    await expect.poll(() => dialogOpen("timeout-dialog")).toBe(true);
  }

  it("the start screen", { timeout: 120_000 }, async () => {
    await everyWay("welcome", { spot: true, essentials: ESSENTIALS.welcome });
  });

  it("the attract screen of an idle kiosk: where to scan, in every language; a touch or a scan ends it", {
    timeout: 120_000,
  }, async () => {
    // A minute untouched is what brings it up; the test moves the app's last activity back instead.
    const idle = () =>
      page.evaluate(() => {
        const app = document.querySelector("oplatomat-app") as unknown as { lastActivity: number };
        app.lastActivity = Date.now() - 3_600_000;
      });
    const main = page.locator("oplatomat-app main");
    await idle();
    await expect.poll(() => main.getAttribute("data-attract")).toBe("");
    const text = await screenText(page);
    for (const lang of LANGS) {
      expect(text).toContain(layoutText(lang).attract.title);
      expect(text).toContain(layoutText(lang).scanner(layoutText(lang).place.below));
    }
    for (const panel of PANELS) {
      await page.setViewportSize({ width: panel.width, height: panel.height });
      await view(page, "pl", MODES[0]);
      const where = `attract, ${panel.name}`;
      for (const problem of layoutProblems(await measure(page), panel)) found.push(`${where}: ${problem}`);
      for (const violation of await axeViolations(page)) found.push(`${where}: axe ${violation}`);
    }
    await page.setViewportSize(PORTRAIT);
    await page.mouse.click(540, 900);
    await expect.poll(() => main.getAttribute("data-attract")).toBe(null);
    expect(await currentScreen(page)).toBe("welcome");

    await idle();
    await expect.poll(() => main.getAttribute("data-attract")).toBe("");
    expect((await postJson(demo.url, "/api/scan", { payload: demo.issueSlip() })).status).toBe(200);
    await waitForScreen(page, "summary");
    expect(await main.getAttribute("data-attract")).toBe(null);
    await postJson(demo.url, "/api/session/cancel");
    await waitForScreen(page, "welcome");
  });

  it("a refused scan", { timeout: 120_000 }, async () => {
    await wedgeScan(page, "OPL1|not-a-slip|x|y|z");
    await waitForScreen(page, "error");
    await everyWay("error", { essentials: ESSENTIALS.error });
    await page.keyboard.press("Escape");
    await waitForScreen(page, "welcome");
  });

  it("the basket, its summary and a declined card", { timeout: 240_000 }, async () => {
    const t = messages("pl");
    await page.getByRole("button", { name: t.welcome.chooseService }).click();
    await waitForScreen(page, "basket");
    await page.locator("basket-screen li[data-item=GEO_EGIB] button[data-increase]").click();
    await page.locator("basket-screen li[data-item=TAX_DOG] button[data-edit=amount]").click();
    await expect.poll(() => dialogOpen("basket-screen keypad-dialog")).toBe(true);
    await everyWay("the amount keypad over the basket");
    await page.locator("basket-screen keypad-dialog input").focus();
    await page.keyboard.type("100,51", { delay: 30 });
    await page.keyboard.press("Enter");
    await expect.poll(() => dialogOpen("basket-screen keypad-dialog")).toBe(false);
    await everyWay("basket", { essentials: ESSENTIALS.basket });
    // "Do you need more time?" over the basket, kept up while every way is checked.
    await everyWay("the time-out warning over the basket", { keep: nearTimeout });
    await page.getByRole("button", { name: t.timeout.more }).click();
    await expect.poll(() => dialogOpen("timeout-dialog")).toBe(false);
    await page.getByRole("button", { name: t.basket.continue }).click();
    await waitForScreen(page, "summary");
    await everyWay("summary", { essentials: ESSENTIALS.summary });
    await page.getByRole("button", { name: t.summary.pay }).click();
    await waitForScreen(page, "declined");
    await everyWay("declined", { essentials: ESSENTIALS.declined });
    await postJson(demo.url, "/api/session/cancel");
    await waitForScreen(page, "welcome");
  });

  it("a card payment under way, then paid", { timeout: 300_000 }, async () => {
    // The terminal says nothing after accepting the card until it is told to stop.
    demo.demo.sims.terminal.setNextOutcome({ kind: "timeout" });
    expect((await postJson(demo.url, "/api/scan", { payload: demo.issueSlip() })).status).toBe(200);
    await waitForScreen(page, "summary");
    await postJson(demo.url, "/api/session/pay");
    await waitForScreen(page, "authorizing");
    await everyWay("authorizing", { essentials: ESSENTIALS.authorizing });
    // Stopped by the visitor: the terminal takes the abort and nothing is charged.
    await postJson(demo.url, "/api/session/cancel");
    await waitForState(demo.url, "cancelled", 60_000);
    await postJson(demo.url, "/api/session/cancel");
    await waitForScreen(page, "welcome");

    expect((await postJson(demo.url, "/api/scan", { payload: demo.issueSlip() })).status).toBe(200);
    await waitForScreen(page, "summary");
    await postJson(demo.url, "/api/session/pay");
    await waitForState(demo.url, "done");
    await page.locator("approved-screen button.primary").waitFor();
    await everyWay("approved", { essentials: ESSENTIALS.approved });
    await postJson(demo.url, "/api/session/cancel");
    await waitForScreen(page, "welcome");
  });

  it("the service entry: the staff-only PIN pad opened by the hidden spot's gesture, and the login under it", {
    timeout: 240_000,
  }, async () => {
    // The login goes back to the start after 30 s untouched; the checks take longer than that.
    const keepLogin = () =>
      page.evaluate(() => {
        const mode = document
          .querySelector("oplatomat-app")
          ?.shadowRoot?.querySelector("service-mode") as unknown as { lastActivity: number } | null;
        if (mode) mode.lastActivity = Date.now();
      });
    // The gesture: a tap on the top left corner, then a hold there.
    await page.mouse.move(12, 12);
    await page.mouse.down();
    await page.mouse.up();
    await page.mouse.down();
    await expect.poll(() => currentScreen(page), { timeout: 10_000 }).toBe("service");
    await page.mouse.up();
    await expect.poll(() => dialogOpen("service-mode keypad-dialog")).toBe(true);
    await everyWay("the service PIN pad", { keep: keepLogin });
    await page.keyboard.press("Escape");
    await expect.poll(() => dialogOpen("service-mode keypad-dialog")).toBe(false);
    await everyWay("the service login", { keep: keepLogin });
    await page.locator("service-mode button[data-action=back]").click();
    await waitForScreen(page, "welcome");
  });

  it("out of order", { timeout: 120_000 }, async () => {
    const flow = demo.demo.daemon.kiosk.flow;
    flow.setOutOfOrder("e2e", "printer cover open");
    try {
      await waitForScreen(page, "out_of_order");
      await everyWay("out_of_order", { essentials: ESSENTIALS.out_of_order });
    } finally {
      flow.setOutOfOrder("e2e", null);
    }
    await waitForScreen(page, "welcome");
  });

  it("left every control in reach and on screen, no text cut, the toolbar always shown, and axe found nothing", () => {
    expect(found).toEqual([]);
  });
});
