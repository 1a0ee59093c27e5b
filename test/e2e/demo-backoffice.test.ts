/**
 * The demo as a whole system: the kiosk with simulated devices and the settlement hub beside it on its
 * embedded PostgreSQL. Finance staff have today's settlement open in Chromium; a visitor pays a slip at
 * the kiosk; the payment appears on the open page by itself, within seconds, to the grosz.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Demo, startDemo } from "../../kiosk/demo.ts";
import { formatAmount } from "../../kiosk/domain/money.ts";
import {
  type KioskBrowser,
  LANDSCAPE,
  launchKioskBrowser,
  postJson,
  ROOT,
  screenshot,
  waitForState,
} from "./helpers.ts";

let demo: Demo;
let browser: KioskBrowser;
let page: Page;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "oplatomat-demo-hub-"));

beforeAll(async () => {
  const logs = path.join(ROOT, "test-results", "logs");
  fs.mkdirSync(logs, { recursive: true });
  demo = await startDemo({
    port: 0,
    dataDir,
    quiet: true,
    terminalDelayMs: 0,
    hub: true,
    logFile: path.join(logs, `e2e-demo-backoffice-${process.pid}.log`),
  });
  browser = await launchKioskBrowser(LANDSCAPE);
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the demo's back office", () => {
  it("shows a payment made at the kiosk on the open page within seconds", async () => {
    const hub = demo.hub!;
    await page.goto(`${hub.url}/`);
    await page.locator("#login").fill(hub.login);
    await page.locator("#password").fill(hub.password);
    await page.locator("#password").press("Enter");
    await page.locator("[data-view=day]").waitFor();
    await expect.poll(() => page.locator("[data-summary=total], .results p").count()).toBeGreaterThan(0);
    const before = await page.locator("table tbody tr").count();
    // Someone is about to download the CSV: the refresh must leave their keyboard focus there.
    await page.locator("[data-download=csv]").focus();

    const slip = demo.sampleSlips[0]!.payload;
    expect((await postJson(demo.url, "/api/scan", { payload: slip })).status).toBe(200);
    expect((await postJson(demo.url, "/api/session/pay")).status).toBe(202);
    await waitForState(demo.url, "done", 30_000);

    const slipId = slip.split("|")[2]!;
    const row = page.locator("tr", { hasText: slipId });
    // Nobody reloads: today's report refreshes itself and the kiosk's outbox delivers at once.
    await row.waitFor({ timeout: 15_000 });
    // The slip's 160,00 zł and the demo office's card handling fee, to the grosz.
    const total = formatAmount(16_000 + (demo.config.handlingFee?.amount ?? 0), "pl");
    const text = (s: string) => s.replace(/[\s\u00a0]+/g, " ");
    expect(text((await row.textContent()) ?? "")).toContain(text(total));
    expect(await page.locator("table tbody tr").count()).toBeGreaterThan(before);
    expect(
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset["download"]),
    ).toBe("csv");
    await screenshot(page, "demo-backoffice-payment");
  });
});
