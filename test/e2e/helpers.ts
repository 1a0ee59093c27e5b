/**
 * Shared browser helpers for the UI's end-to-end tests: Debian's Chromium through playwright-core,
 * axe-core checks, screenshots under test-results/screens/, slips signed with the demo office key.
 */
import { createPrivateKey } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { type BrowserContext, type CDPSession, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { DEMO_CASHIERS, type Demo, type DemoOptions, startDemo } from "../../kiosk/demo.ts";
import { type SlipFields, signSlip } from "../../kiosk/domain/slip.ts";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const SCREENS_DIR = path.join(ROOT, "test-results", "screens");

export const PORTRAIT = { width: 1080, height: 1920 };
export const LANDSCAPE = { width: 1920, height: 1080 };

export interface KioskBrowser {
  context: BrowserContext;
  /** Closes the browser; fails if the daemon's content security policy blocked anything the UI did. */
  close(): Promise<void>;
}

/** Opens a shift on the cash desk's page as the demo's first cashier, and waits for the scan field. */
export async function openDeskShift(page: Page): Promise<void> {
  const desk = page.locator("cash-desk");
  const cashier = DEMO_CASHIERS[0];
  await desk.locator("#cashier").fill(cashier.id);
  await desk.locator("#pin").fill(cashier.pin);
  await desk.locator("#pin").press("Enter");
  await desk.locator("#scan").waitFor();
}

/** Chromium with a fresh profile, no network beyond loopback, audio allowed without a gesture. */
export async function launchKioskBrowser(viewport = PORTRAIT): Promise<KioskBrowser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "oplatomat-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
  // The kiosk UI must work under the policy it is served with (issue 13): Chromium reports each
  // blocked script, style, image, sound or connection on the console.
  const blocked: string[] = [];
  context.on("console", (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) blocked.push(message.text());
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
      expect(blocked, "content security policy violations").toEqual([]);
    },
  };
}

export async function openKiosk(browser: KioskBrowser, url: string): Promise<Page> {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.goto(url);
  await waitForScreen(page, "welcome");
  return page;
}

export async function currentScreen(page: Page): Promise<string | null> {
  return page.locator("oplatomat-app main").getAttribute("data-screen");
}

/**
 * Pays a slip through the API (scan, pay, wait for the receipt) and ends the visit, so the page is
 * back at its start screen with the slip paid: the ground for "already paid" tests. The slip's total.
 */
export async function paySlipThroughApi(demo: DemoKiosk, page: Page, slip: string): Promise<number> {
  const scanned = await postJson(demo.url, "/api/scan", { payload: slip });
  if (scanned.status !== 200) throw new Error(`scan answered ${scanned.status}`);
  const { total } = (await scanned.json()) as { total: number };
  const paying = await postJson(demo.url, "/api/session/pay");
  if (paying.status !== 202) throw new Error(`pay answered ${paying.status}`);
  await waitForState(demo.url, "done");
  await postJson(demo.url, "/api/session/cancel");
  await waitForScreen(page, "welcome");
  return total;
}

/**
 * On the "already paid" screen: "print again" prints one copy marked KOPIA, the screen says it is
 * printing, and the button goes (one copy a visit from the screen; the daemon allows three in all).
 */
export async function printsCopyFromErrorScreen(
  demo: DemoKiosk,
  page: Page,
  words: { reprint: string; reprinting: string },
): Promise<void> {
  const printer = demo.demo.sims.printer;
  const before = printer.receipts.length;
  await page.getByRole("button", { name: words.reprint }).click();
  await expect.poll(() => printer.receipts.length).toBe(before + 1);
  expect(printer.receipts.at(-1)!.lines.join("\n")).toContain("KOPIA");
  await expect
    .poll(() => page.locator("error-screen [data-testid=reprint-status]").textContent())
    .toContain(words.reprinting);
  expect(await page.getByRole("button", { name: words.reprint }).count()).toBe(0);
}

/**
 * Sets the visitor's language and display modes on the app (as the toolbar would) and waits for the
 * frame that shows them: two frames, as the paged regions measure themselves after layout.
 */
export async function setDisplay(
  page: Page,
  display: { lang: string; largeText: boolean; highContrast?: boolean },
): Promise<void> {
  await page.evaluate(
    async ({ lang, largeText, highContrast }) => {
      const app = document.querySelector("oplatomat-app") as unknown as HTMLElement & {
        lang: string;
        largeText: boolean;
        highContrast: boolean;
        updateComplete: Promise<unknown>;
      };
      app.lang = lang;
      app.largeText = largeText;
      app.highContrast = highContrast;
      await app.updateComplete;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    },
    { highContrast: false, ...display },
  );
}

/**
 * Until the amount keypad has taken the focus into its field. The dialog opens on the screen's next
 * render; keys typed or a Tab pressed before that (a loaded machine) go to the button that opened it.
 */
export async function keypadFocused(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    const root = el?.getRootNode();
    return (
      el instanceof HTMLInputElement && root instanceof ShadowRoot && root.host.localName === "keypad-dialog"
    );
  });
}

export async function waitForScreen(page: Page, screen: string, timeout = 20_000): Promise<void> {
  try {
    await page.waitForFunction(
      (name) =>
        document.querySelector("oplatomat-app")?.shadowRoot?.querySelector("main")?.dataset.screen === name,
      screen,
      { timeout },
    );
  } catch (error) {
    const shown = await currentScreen(page).catch(() => "?");
    const text = await screenText(page).catch(() => "?");
    throw new Error(`waited for the ${screen} screen, ${shown} is shown: ${text.slice(0, 300)}`, {
      cause: error,
    });
  }
}

/** The visible text of the current screen, spaces normalised (amounts use no-break spaces). */
export async function screenText(page: Page): Promise<string> {
  const text = await page.evaluate(() => {
    const parts: string[] = [];
    const walk = (node: Node) => {
      if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? "");
      if (!(node instanceof Element) || node.localName === "style") return;
      // Slotted content (a paged region's list) is shown where its slot is.
      if (node instanceof HTMLSlotElement) {
        for (const child of node.assignedNodes({ flatten: true })) walk(child);
        return;
      }
      for (const child of (node.shadowRoot ?? node).childNodes) walk(child);
    };
    const main = document.querySelector("oplatomat-app")?.shadowRoot?.querySelector("main");
    if (main) walk(main);
    return parts.join(" ");
  });
  return asShown(text).trim();
}

/** Text as `screenText` gives it: runs of white space, no-break spaces too, as one space. */
export function asShown(text: string): string {
  return text.replace(/[\s\u00a0]+/g, " ");
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const file = path.join(SCREENS_DIR, `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
}

/** Shadow-piercing walks for page.evaluate bodies, which cannot share a function but a global. */
export interface DeepDom {
  /** Every element of the page, inside every shadow root too. */
  all(): Element[];
  /** The innermost element at a point, inside shadow roots. */
  at(x: number, y: number): Element | null;
  /** Whether `inner` is `outer` or inside it, across shadow roots. */
  contains(outer: Element, inner: Element | null): boolean;
  /**
   * What the boxes around `el` leave visible of it (the viewport not counted): each box up the
   * flattened tree whose overflow is not visible, and a clip-path inset.
   */
  clip(el: Element): DOMRect;
}

/** Puts `window.deepDom` (DeepDom) into the page, once per document. */
export async function installDeepDom(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { deepDom?: DeepDom };
    if (w.deepDom) return;
    w.deepDom = {
      all() {
        const all: Element[] = [];
        const walk = (root: Document | ShadowRoot) => {
          for (const el of root.querySelectorAll("*")) {
            all.push(el);
            if (el.shadowRoot) walk(el.shadowRoot);
          }
        };
        walk(document);
        return all;
      },
      at(x, y) {
        let el = document.elementFromPoint(x, y);
        while (el?.shadowRoot) {
          const inner = el.shadowRoot.elementFromPoint(x, y);
          if (!inner || inner === el) break;
          el = inner;
        }
        return el;
      },
      clip(el) {
        const up = (n: Node): Node | null =>
          (n instanceof Element && n.assignedSlot) || n.parentNode || (n as ShadowRoot).host || null;
        let clip = new DOMRect(-1e6, -1e6, 2e6, 2e6);
        const cut = (
          r: { left: number; top: number; right: number; bottom: number },
          x: boolean,
          y: boolean,
        ) => {
          const left = x ? Math.max(clip.left, r.left) : clip.left;
          const right = x ? Math.min(clip.right, r.right) : clip.right;
          const top = y ? Math.max(clip.top, r.top) : clip.top;
          const bottom = y ? Math.min(clip.bottom, r.bottom) : clip.bottom;
          clip = new DOMRect(left, top, Math.max(0, right - left), Math.max(0, bottom - top));
        };
        // A box clips only what its containing blocks lead up to: an absolutely positioned element
        // escapes the boxes up to its positioned ancestor, a fixed one and the top layer (a modal
        // dialog) every box around them.
        let escaped: "absolute" | null = null;
        for (let n: Node | null = el; n; n = up(n)) {
          if (!(n instanceof Element)) continue;
          const style = getComputedStyle(n);
          const r = n.getBoundingClientRect();
          const containing = style.position !== "static" || style.transform !== "none";
          if (escaped && !containing) continue;
          escaped = null;
          if (style.clipPath.startsWith("inset(")) {
            const [t = 0, ri = t, b = t, l = ri] = style.clipPath
              .slice(6)
              .split(/[ )]/)
              .filter((v) => /^[\d.]+(px|%)$/.test(v))
              .map((v, i) =>
                v.endsWith("%")
                  ? (Number.parseFloat(v) / 100) * (i % 2 ? r.width : r.height)
                  : Number.parseFloat(v),
              );
            cut({ left: r.left + l, top: r.top + t, right: r.right - ri, bottom: r.bottom - b }, true, true);
          }
          const x = style.overflowX !== "visible";
          const y = style.overflowY !== "visible";
          if ((x || y) && n !== document.documentElement && n !== document.body) {
            // The padding box: what a box with overflow other than visible shows of its content.
            const left = r.left + n.clientLeft;
            const top = r.top + n.clientTop;
            cut({ left, top, right: left + n.clientWidth, bottom: top + n.clientHeight }, x, y);
          }
          if (style.position === "fixed" || n.matches(":modal, :popover-open")) break;
          if (style.position === "absolute") escaped = "absolute";
        }
        return clip;
      },
      contains(outer, inner) {
        for (let n: Node | null = inner; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) {
          if (n === outer) return true;
        }
        return false;
      },
    };
  });
}

/**
 * Each line of text a visitor sees only in part, as sentences (none when all is whole). Every line
 * of visible text, each text node's line by line (a Range's client rects), against what
 * clips it: each box up the flattened tree (slots and shadow hosts included) whose overflow is not
 * visible, a clip-path inset (visually hidden screen-reader text: inset(50%) leaves nothing), and the
 * viewport. A line wholly clipped is hidden on purpose (a paged list's other pages, a zone's
 * whole items that did not fit, screen-reader words); one seen in part is half a line to read. A
 * line's rect is its font's ascent to descent, a little more than the letters, so a sliver of it
 * (at most 15 %, 2 px at least) may be clipped. The part seen is then hit-tested along its middle:
 * anything else on top (the toolbar, a pager, another zone) covers it. With a modal dialog open
 * only the dialog's text is read: the screen under it is meant to be covered.
 */
export async function textCutOff(page: Page): Promise<string[]> {
  await installDeepDom(page);
  return page.evaluate(() => {
    const { all: allOf, at: deepAt, contains } = (window as unknown as { deepDom: DeepDom }).deepDom;
    const all = allOf();
    const cutText: string[] = [];
    const modals = all.filter((el) => el.localName === "dialog" && el.matches(":modal"));
    const clipOf = (el: Element) => (window as unknown as { deepDom: DeepDom }).deepDom.clip(el);
    const texts: Text[] = [];
    const collect = (root: Node) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode())
        if (t.textContent?.trim()) texts.push(t as Text);
    };
    collect(document);
    for (const el of all) if (el.shadowRoot) collect(el.shadowRoot);
    for (const text of texts) {
      const el = text.parentElement;
      if (!el || el.closest("style, script, title, template")) continue;
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      if (modals.length > 0 && !modals.some((d) => contains(d, el))) continue;
      const range = document.createRange();
      range.selectNodeContents(text);
      const lines = [...range.getClientRects()].filter((l) => l.width > 0.5 && l.height > 0.5);
      if (lines.length === 0) continue;
      const clip = clipOf(el);
      const words = (text.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 60);
      for (const line of lines) {
        const within = (r: { left: number; top: number; right: number; bottom: number }) => ({
          left: Math.max(line.left, r.left),
          top: Math.max(line.top, r.top),
          right: Math.min(line.right, r.right),
          bottom: Math.min(line.bottom, r.bottom),
        });
        const boxed = within(clip);
        // Wholly clipped by a box: hidden on purpose.
        if (boxed.right - boxed.left <= 0.5 || boxed.bottom - boxed.top <= 0.5) continue;
        const { left, top, right, bottom } = within({
          left: Math.max(clip.left, 0),
          top: Math.max(clip.top, 0),
          right: Math.min(clip.right, window.innerWidth),
          bottom: Math.min(clip.bottom, window.innerHeight),
        });
        const seenW = right - left;
        const seenH = bottom - top;
        if (seenW <= 0.5 || seenH <= 0.5) {
          cutText.push(`"${words}" is off screen at (${Math.round(line.x)}, ${Math.round(line.y)})`);
          continue;
        }
        const slackY = Math.max(2, line.height * 0.15);
        if (seenW < line.width - 2 || seenH < line.height - slackY) {
          cutText.push(
            `"${words}" is cut: ${Math.round(seenW)}×${Math.round(seenH)} of ${Math.round(line.width)}×${Math.round(line.height)} px seen at (${Math.round(line.x)}, ${Math.round(line.y)})`,
          );
          continue;
        }
        const midY = top + seenH / 2;
        for (const f of [0.05, 0.3, 0.5, 0.7, 0.95]) {
          const hit = deepAt(left + seenW * f, midY);
          if (!hit || contains(el, hit) || contains(hit, el) || hit.closest("[data-service-spot]")) continue;
          const name = (hit.getAttribute("aria-label") || hit.localName).slice(0, 40);
          cutText.push(
            `"${words}" is under <${name}> at (${Math.round(left + seenW * f)}, ${Math.round(midY)})`,
          );
          break;
        }
      }
    }
    return cutText;
  });
}

/**
 * Which of the current screen's essential items (CSS selectors in its shadow root, each of which
 * must match) a visitor cannot read whole, as sentences (none when all are shown). Shown whole: not
 * hidden by its zone (`data-cut`, whole-items.ts) or by style (opacity, visibility, display), its box
 * not empty and wholly inside what the boxes around it and the screen leave visible. What lies on top
 * of its text is textCutOff's to find.
 */
export async function essentialsHidden(page: Page, selectors: readonly string[]): Promise<string[]> {
  await installDeepDom(page);
  return page.evaluate((selectors) => {
    const { clip } = (window as unknown as { deepDom: DeepDom }).deepDom;
    const screen = document
      .querySelector("oplatomat-app")
      ?.shadowRoot?.querySelector("main > :not(timeout-dialog)")?.shadowRoot;
    const hidden: string[] = [];
    for (const selector of selectors) {
      const found = [...(screen?.querySelectorAll(selector) ?? [])];
      if (found.length === 0) hidden.push(`the essential "${selector}" is not on the screen`);
      for (const el of found) {
        const words = `"${(el.shadowRoot ?? el).textContent?.replace(/\s+/g, " ").trim().slice(0, 60)}" (${selector})`;
        const r = el.getBoundingClientRect();
        const c = clip(el);
        const seen = {
          left: Math.max(c.left, 0),
          top: Math.max(c.top, 0),
          right: Math.min(c.right, window.innerWidth),
          bottom: Math.min(c.bottom, window.innerHeight),
        };
        if (el.closest("[data-cut]")) hidden.push(`${words} is hidden: its zone has no room for it`);
        else if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true }))
          hidden.push(`${words} is hidden`);
        else if (r.width < 1 || r.height < 1) hidden.push(`${words} has no size`);
        else if (
          r.left < seen.left - 1 ||
          r.top < seen.top - 1 ||
          r.right > seen.right + 1 ||
          r.bottom > seen.bottom + 1
        )
          hidden.push(`${words} is not wholly shown (${Math.round(r.top)}–${Math.round(r.bottom)} px)`);
      }
    }
    return hidden;
  }, selectors);
}

/** The axe-core rule sets every UI test checks: WCAG 2.x A and AA, and axe's best practices. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

/** axe-core over the whole page (shadow roots included), WCAG 2.x A and AA rules. */
export async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  expect(summary, `axe violations on ${where}`).toEqual([]);
}

/** A USB keyboard-wedge reader's pace: one key each poll of the HID endpoint, a few milliseconds. */
const WEDGE_KEY_GAP_S = 0.004;
const cdpSessions = new WeakMap<Page, CDPSession>();

export interface WedgeScanOptions {
  /** A reader in keypad-emulation mode: its "*" is the numeric keypad's, the kiosk's audio key. */
  keypadStars?: boolean;
}

/**
 * What a keyboard-wedge QR reader does: the payload as a fast burst of keys, then Enter. Each key
 * carries the time a reader would give it (the event's `timeStamp`, which the UI's wedge detector
 * reads), set through the DevTools protocol, and all of them are sent at once, as a reader's burst
 * arrives: `keyboard.type` would stamp each key when its round trip from this process arrives, and on
 * a loaded machine those round trips are slower than a person types, which no reader is.
 */
export async function wedgeScan(page: Page, payload: string, options: WedgeScanOptions = {}): Promise<void> {
  let cdp = cdpSessions.get(page);
  if (!cdp) {
    cdp = await page.context().newCDPSession(page);
    cdpSessions.set(page, cdp);
  }
  const session = cdp;
  const keys = [...payload].map((ch) => wedgeKey(ch, options));
  keys.push({ key: "Enter", text: "\r", windowsVirtualKeyCode: 13 });
  // Stamped in the past, ending now: the keys are queued as a reader's burst that just finished.
  const start = Date.now() / 1000 - keys.length * WEDGE_KEY_GAP_S;
  const sent = keys.flatMap((k, i) => {
    const { text, ...rest } = k;
    const common = { ...rest, timestamp: start + i * WEDGE_KEY_GAP_S };
    return [
      session.send("Input.dispatchKeyEvent", { type: "keyDown", text, unmodifiedText: text, ...common }),
      session.send("Input.dispatchKeyEvent", { type: "keyUp", ...common }),
    ];
  });
  await Promise.all(sent);
}

interface WedgeKey {
  key: string;
  text: string;
  windowsVirtualKeyCode: number;
  code?: string;
  location?: number;
}

function wedgeKey(ch: string, options: WedgeScanOptions): WedgeKey {
  if (ch === "*" && options.keypadStars) {
    return { key: "*", text: "*", windowsVirtualKeyCode: 106, code: "NumpadMultiply", location: 3 };
  }
  return { key: ch, text: ch, windowsVirtualKeyCode: keyCode(ch) };
}

/** The Windows virtual key code of a character a reader types (letters, digits, space); 0 for the rest. */
function keyCode(ch: string): number {
  return /^[A-Za-z0-9 ]$/.test(ch) ? ch.toUpperCase().charCodeAt(0) : 0;
}

export async function postJson(base: string, route: string, body: unknown = {}): Promise<Response> {
  return fetch(new URL(route, base), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

export async function getJson<T>(base: string, route: string): Promise<T> {
  const response = await fetch(new URL(route, base));
  return (await response.json()) as T;
}

/**
 * What `GET /api/session` says of the visit itself: its id, state, language, slips, lines and total.
 * Not its `error` or `expiresAt`, which a refused scan beside a summary may change (SPEC §4: bad input
 * changes no stored data).
 */
export async function storedSession(base: string): Promise<Record<string, unknown>> {
  const session = await getJson<Record<string, unknown>>(base, "/api/session");
  const kept = ["id", "state", "language", "slip", "slips", "lines", "handlingFee", "total", "currency"];
  return Object.fromEntries(kept.map((key) => [key, session[key]]));
}

/**
 * The demo as an attended cash desk, its page open in a landscape Chromium and a shift open for the
 * demo's first cashier. A kiosk whose browser did not start is closed again.
 */
export async function startCashDesk(
  name: string,
): Promise<{ kiosk: DemoKiosk; browser: KioskBrowser; page: Page }> {
  const kiosk = await startDemoKiosk({ name, terminalDelayMs: 0, attended: true });
  try {
    const browser = await launchKioskBrowser(LANDSCAPE);
    const page = await browser.context.newPage();
    await page.goto(`${kiosk.url}/`);
    await openDeskShift(page);
    return { kiosk, browser, page };
  } catch (error) {
    await kiosk.close();
    throw error;
  }
}

/** Waits until the daemon's session is in `state` (for steps the test drives through the API). */
export async function waitForState(base: string, state: string, timeout = 20_000): Promise<void> {
  const until = Date.now() + timeout;
  for (;;) {
    const session = await getJson<{ state: string }>(base, "/api/session");
    if (session.state === state) return;
    if (Date.now() > until) throw new Error(`session stayed ${session.state}, expected ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// ---- forged slips, signed with the demo office key (config/demo-keys, DEMO ONLY) ------------------
// The fake office system does not know them: they exercise the kiosk's own checks.

const DEMO_KEY = createPrivateKey(fs.readFileSync(path.join(ROOT, "config/demo-keys/pik-demo.pem"), "utf8"));

function warsawDay(offsetDays: number): string {
  const date = new Date(Date.now() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Warsaw" }).format(date).replaceAll("-", "");
}

let slipCounter = 0;

export function forgedSlip(overrides: Partial<SlipFields> = {}): string {
  slipCounter += 1;
  const lines = overrides.lines ?? [
    { code: "DR", amount: 5400 },
    { code: "TAB", amount: 8000 },
    { code: "NAL", amount: 1250 },
    { code: "PC", amount: 1350 },
  ];
  const fields: SlipFields = {
    office: "PZ1465",
    slip: `E2E/${process.pid}/${Date.now() % 1_000_000}/${slipCounter}`,
    caseRef: "KOM/123/2026",
    issued: `${warsawDay(-1)}0900`,
    valid: warsawDay(7),
    total: lines.reduce((sum, line) => sum + line.amount, 0),
    lines,
    kid: "pik2026",
    ...overrides,
  };
  return signSlip(fields, DEMO_KEY);
}

export { warsawDay };

// ---- the whole kiosk on loopback (kiosk/demo.ts) -------------------------------------------------

export interface DemoKiosk {
  url: string;
  demo: Demo;
  /** A slip issued (and signed) by the demo's fake office system, open for payment. */
  issueSlip(lines?: SlipFields["lines"], caseRef?: string): string;
  close(): Promise<void>;
}

const CAR_REGISTRATION = [
  { code: "DR", amount: 5400 },
  { code: "TAB", amount: 8000 },
  { code: "NAL", amount: 1250 },
  { code: "PC", amount: 1350 },
];

let issued = 0;

export async function startDemoKiosk(options: {
  idleTimeoutSeconds?: number;
  terminalDelayMs?: number;
  name: string;
  /** An attended cash desk with the demo cashiers (kiosk/demo.ts DEMO_CASHIERS). */
  attended?: boolean;
  /** Where the card terminal, printer and reader are (`kiosk.layout`). */
  layout?: DemoOptions["layout"];
}): Promise<DemoKiosk> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "oplatomat-e2e-"));
  const logs = path.join(ROOT, "test-results", "logs");
  fs.mkdirSync(logs, { recursive: true });
  const demo = await startDemo({
    port: 0,
    dataDir,
    quiet: true,
    logFile: path.join(logs, `e2e-${options.name}-${process.pid}.log`),
    ...(options.idleTimeoutSeconds ? { idleTimeoutSeconds: options.idleTimeoutSeconds } : {}),
    ...(options.terminalDelayMs !== undefined ? { terminalDelayMs: options.terminalDelayMs } : {}),
    ...(options.attended ? { attended: true } : {}),
    ...(options.layout ? { layout: options.layout } : {}),
  });
  return {
    url: demo.url,
    demo,
    issueSlip(lines = CAR_REGISTRATION, caseRef = "KOM/123/2026") {
      issued += 1;
      return demo.fakes.pik.issueSlip({
        slip: `E2E/${process.pid}/${Date.now() % 100_000}/${issued}`,
        caseRef,
        lines,
      });
    },
    async close() {
      await demo.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The deepest focused element's text (through shadow roots): what a keypad user has selected. */
export async function focusedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    const text = el?.getAttribute("aria-label") || (el as HTMLElement | null)?.textContent || "";
    return text.replace(/\s+/g, " ").trim();
  });
}

/** Presses Tab until the focused control's text matches, then Enter: how a kiosk keypad user works. */
export async function tabTo(page: Page, name: string | RegExp, maxTabs = 60): Promise<void> {
  for (let i = 0; i < maxTabs; i += 1) {
    const text = await focusedText(page);
    if (typeof name === "string" ? text === name : name.test(text)) {
      await page.keyboard.press("Enter");
      return;
    }
    await page.keyboard.press("Tab");
  }
  throw new Error(`no control named ${name} reachable with Tab`);
}

/**
 * A file's kiosk: one demo kiosk and one browser for the file, and each test on a fresh start screen
 * with the kiosk back at idle. Read `demo` and `page` inside tests (they are set by the hooks).
 */
export function kioskPerFile(options: {
  name: string;
  idleTimeoutSeconds?: number;
  terminalDelayMs?: number;
}): {
  readonly demo: DemoKiosk;
  readonly page: Page;
} {
  const held: { demo?: DemoKiosk; browser?: KioskBrowser; page?: Page } = {};
  beforeAll(async () => {
    held.demo = await startDemoKiosk(options);
    held.browser = await launchKioskBrowser();
  });
  afterAll(async () => {
    await held.browser?.close();
    await held.demo?.close();
  });
  beforeEach(async () => {
    const { demo, browser } = held as { demo: DemoKiosk; browser: KioskBrowser };
    demo.demo.sims.terminal.clearOutcomes();
    await postJson(demo.url, "/api/session/cancel");
    held.page = await openKiosk(browser, demo.url);
  });
  return {
    get demo() {
      return held.demo as DemoKiosk;
    },
    get page() {
      return held.page as Page;
    },
  };
}
