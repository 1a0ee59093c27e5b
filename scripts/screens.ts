/**
 * `npm run screens`: pictures of every visitor screen for docs/screens/ (the README shows the main
 * ones). Runs the demo kiosk on loopback with simulated devices and Debian's Chromium, walks a visitor
 * through each screen and saves each at half size (small PNGs to keep in git).
 * `npm run screens -- basket-keypad service-pin` saves only the named pictures (the walk is the same),
 * so adding a picture does not rewrite the others.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { startDemo } from "../kiosk/demo.ts";
import { messages } from "../ui/src/i18n/index.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const OUT = path.join(ROOT, "docs", "screens");
/** The pictures asked for on the command line; none named: all of them. */
const ONLY = new Set(process.argv.slice(2));

async function screen(page: Page, name: string): Promise<void> {
  await page.waitForFunction(
    (wanted) =>
      document.querySelector("oplatomat-app")?.shadowRoot?.querySelector("main")?.dataset.screen === wanted,
    name.split("-")[0]?.replace("outoforder", "out_of_order"),
    { timeout: 20_000 },
  );
  // Two frames: paged regions measure themselves after layout; the countdown ring settles.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  if (ONLY.size > 0 && !ONLY.has(name)) return;
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  process.stdout.write(`docs/screens/${name}.png\n`);
}

async function settings(page: Page, lang: string, largeText = false, highContrast = false): Promise<void> {
  await page.evaluate(
    async (s) => {
      const app = document.querySelector("oplatomat-app") as unknown as Record<string, unknown> & {
        updateComplete: Promise<unknown>;
      };
      Object.assign(app, s);
      await app.updateComplete;
    },
    { lang, largeText, highContrast },
  );
}

/** Waits until the dialog inside `host` (a selector through the shadow roots) is open. */
async function dialogOpen(page: Page, host: string): Promise<void> {
  await page.locator(`${host} dialog[open]`).waitFor({ timeout: 10_000 });
}

/** "Do you need more time?": the app's last activity moved to 10 s before its time-out. */
async function nearTimeout(page: Page): Promise<void> {
  await page.evaluate(() => {
    const app = document.querySelector("oplatomat-app") as unknown as {
      lastActivity: number;
      timeoutSeconds(): number;
    };
    app.lastActivity = Date.now() - (app.timeoutSeconds() - 10) * 1000;
  });
  await dialogOpen(page, "timeout-dialog");
}

async function post(base: string, route: string, body: unknown = {}): Promise<void> {
  await fetch(new URL(route, base), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "oplatomat-screens-"));
  const demo = await startDemo({
    port: 0,
    dataDir,
    quiet: true,
    logFile: path.join(dataDir, "demo.log"),
    idleTimeoutSeconds: 600,
    terminalDelayMs: 300,
  });
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const context = await browser.newContext({
      viewport: { width: 1080, height: 1920 },
      deviceScaleFactor: 0.5,
    });
    const page = await context.newPage();
    await page.goto(demo.url);
    await screen(page, "welcome");
    await page.evaluate(() => {
      (document.querySelector("oplatomat-app") as unknown as { lastActivity: number }).lastActivity = 0;
    });
    await page.waitForFunction(() =>
      document.querySelector("oplatomat-app")?.shadowRoot?.querySelector("main[data-attract]"),
    );
    await screen(page, "welcome-attract");
    await page.mouse.click(10, 900);

    await page.locator("welcome-screen button.primary").click();
    await page.locator("basket-screen li[data-item=GEO_EGIB] button[data-increase]").click();
    await screen(page, "basket");
    // The amount keypad (a fee whose amount the visitor types), cancelled so the basket stays as it was.
    await page.locator("basket-screen li[data-item=TAX_DOG] button[data-edit=amount]").click();
    await dialogOpen(page, "basket-screen keypad-dialog");
    await screen(page, "basket-keypad");
    await settings(page, "uk");
    await screen(page, "basket-keypad-uk");
    await settings(page, "pl");
    await page.keyboard.press("Escape");
    // "Do you need more time?" over the basket.
    await nearTimeout(page);
    await screen(page, "basket-timeout");
    await settings(page, "uk");
    await nearTimeout(page);
    await screen(page, "basket-timeout-uk");
    await settings(page, "pl");
    await page.getByRole("button", { name: messages("pl").timeout.more }).click();
    await page.getByRole("button", { name: messages("pl").basket.continue }).click();
    await screen(page, "summary");
    await settings(page, "uk");
    await screen(page, "summary-uk");
    await settings(page, "pl", true);
    await screen(page, "summary-large-text");
    await settings(page, "pl", false, true);
    await screen(page, "summary-high-contrast");
    await settings(page, "pl");
    await post(demo.url, "/api/session/cancel");

    await page.keyboard.type("OPL1|not-a-slip");
    await page.keyboard.press("Enter");
    await screen(page, "error");
    await page.keyboard.press("Escape");

    const slip = demo.fakes.pik.issueSlip({
      slip: `SCREENS/${Date.now() % 100_000}/1`,
      caseRef: "KOM/123/2026",
      lines: [
        { code: "DR", amount: 5400 },
        { code: "TAB", amount: 8000 },
        { code: "NAL", amount: 1250 },
        { code: "PC", amount: 1350 },
      ],
    });
    demo.sims.terminal.setNextOutcome({ kind: "decline" });
    await post(demo.url, "/api/scan", { payload: slip });
    await screen(page, "summary-slip");
    await post(demo.url, "/api/session/pay");
    await screen(page, "declined");
    demo.sims.terminal.setNextOutcome({ kind: "slowHost", intervalMs: 1000, count: 3 });
    await post(demo.url, "/api/session/pay");
    await screen(page, "authorizing");
    await page.locator("approved-screen button.primary").waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => {
      const img = document
        .querySelector("oplatomat-app")
        ?.shadowRoot?.querySelector("approved-screen")
        ?.shadowRoot?.querySelector("img");
      return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
    });
    await screen(page, "approved");
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screen(page, "approved-landscape");
    await page.setViewportSize({ width: 1080, height: 1920 });
    await post(demo.url, "/api/session/cancel");

    // The staff-only service entry: a tap on the top left corner, then a hold there, opens its PIN pad.
    await page.mouse.move(12, 12);
    await page.mouse.down();
    await page.mouse.up();
    await page.mouse.down();
    await dialogOpen(page, "service-mode keypad-dialog");
    await page.mouse.up();
    await screen(page, "service-pin");
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screen(page, "service-pin-landscape");
    await page.setViewportSize({ width: 1080, height: 1920 });
    await page.keyboard.press("Escape");
    await page.locator("service-mode button[data-action=back]").click();
    await screen(page, "welcome");

    demo.daemon.kiosk.flow.setOutOfOrder("screens", "printer cover open");
    await screen(page, "outoforder");
    demo.daemon.kiosk.flow.setOutOfOrder("screens", null);
  } finally {
    await browser.close();
    await demo.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
