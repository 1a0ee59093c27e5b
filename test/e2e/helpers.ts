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
  fs.mkdirSync(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`) });
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
