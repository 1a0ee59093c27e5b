/**
 * `npm run screens`: pictures of every visitor screen for docs/screens/ (the README shows the main
 * ones). Runs the demo kiosk on loopback with simulated devices and Debian's Chromium, walks a visitor
 * through each screen and saves each at half size (small PNGs to keep in git).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { startDemo } from "../kiosk/demo.ts";
import { messages } from "../ui/src/i18n/index.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const OUT = path.join(ROOT, "docs", "screens");

async function screen(page: Page, name: string): Promise<void> {
  await page.waitForFunction(
    (wanted) =>
      document.querySelector("oplatomat-app")?.shadowRoot?.querySelector("main")?.dataset.screen === wanted,
    name.split("-")[0]?.replace("outoforder", "out_of_order"),
    { timeout: 20_000 },
  );
  // Two frames: paged regions measure themselves after layout; the countdown ring settles.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
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
