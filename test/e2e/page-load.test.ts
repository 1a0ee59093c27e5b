/**
 * Opening the kiosk's page, as the kiosk's Chromium does at every start, fails no request and puts no
 * error on the console: nothing a technician reading the browser's log would have to explain away
 * (the browser's own favicon request used to answer 404 on every load).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DemoKiosk,
  type KioskBrowser,
  launchKioskBrowser,
  openKiosk,
  startDemoKiosk,
} from "./helpers.ts";

let kiosk: DemoKiosk;
let browser: KioskBrowser;

beforeAll(async () => {
  kiosk = await startDemoKiosk({ name: "page-load" });
  browser = await launchKioskBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
});

describe("the kiosk page loads cleanly", () => {
  it("answers every request the page and the browser make, with no console error", async () => {
    const failed: string[] = [];
    const errors: string[] = [];
    browser.context.on("response", (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    browser.context.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    const page = await openKiosk(browser, kiosk.url);
    // Long enough for the favicon request, which Chromium sends after the page's own.
    await page.waitForTimeout(1500);
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
  });
});
