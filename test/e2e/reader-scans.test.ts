/**
 * A kiosk whose QR reader is wired to the daemon (`scanner: { type: serial | hid }`, as in
 * config/examples), not typed into the browser: what the visitor sees when they scan. The codes go
 * through the driver's own arming (`deliver`), as the serial and HID readers hand them over.
 */
import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";
import { messages } from "../../ui/src/i18n/index.ts";
import { type DemoKiosk, kioskPerFile, screenText, waitForScreen } from "./helpers.ts";

const pl = messages("pl");

/** The reader hands a code to the daemon (ArmedScanner.deliver: armed codes only). */
function readerScans(demo: DemoKiosk, code: string): void {
  const scanner = demo.demo.daemon.kiosk.devices.scanner as unknown as { deliver(code: string): void };
  scanner.deliver(code);
}

describe("a QR reader wired to the daemon", () => {
  const kiosk = kioskPerFile({ name: "reader", idleTimeoutSeconds: 120, terminalDelayMs: 50 });
  let demo: DemoKiosk;
  let page: Page;
  beforeEach(() => {
    ({ demo, page } = kiosk);
  });

  it("a refused slip is shown, translated, and the next scan is read", async () => {
    readerScans(demo, "OPL1|not-a-slip|x|y|z");
    await waitForScreen(page, "error");
    expect(await screenText(page)).toContain(pl.errors.SLIP_UNREADABLE.title);
    // The same refusal again, after the visitor went back to the start: shown again.
    await page.getByRole("button", { name: pl.error.scanAgain }).click();
    await waitForScreen(page, "welcome");
    readerScans(demo, "OPL1|not-a-slip|x|y|z");
    await waitForScreen(page, "error");
    await page.getByRole("button", { name: pl.error.scanAgain }).click();
    await waitForScreen(page, "welcome");
    readerScans(demo, demo.issueSlip());
    await waitForScreen(page, "summary");
  });

  it("a second slip on the summary joins the payment, as the screen invites", async () => {
    const first = demo.issueSlip([{ code: "PJ", amount: 10_000 }], "KIE/1/2026");
    const second = demo.issueSlip([{ code: "DR", amount: 5_400 }], "KOM/2/2026");
    readerScans(demo, first);
    await waitForScreen(page, "summary");
    expect(await screenText(page)).toContain(pl.summary.addSlip);
    await expect.poll(() => demo.demo.daemon.kiosk.devices.scanner.armed).toBe(true);
    readerScans(demo, second);
    await expect.poll(async () => (await screenText(page)).includes("KOM/2/2026")).toBe(true);
    const text = await screenText(page);
    expect(text).toContain("KIE/1/2026");
    expect(text).toContain("KOM/2/2026");
  });

  it("a refused second slip on the summary is shown", async () => {
    const first = demo.issueSlip([{ code: "PJ", amount: 10_000 }], "KIE/3/2026");
    readerScans(demo, first);
    await waitForScreen(page, "summary");
    await expect.poll(() => demo.demo.daemon.kiosk.devices.scanner.armed).toBe(true);
    readerScans(demo, first);
    await waitForScreen(page, "error");
    expect(await screenText(page)).toContain(pl.errors.SLIP_ALREADY_PAID.title);
  });
});
