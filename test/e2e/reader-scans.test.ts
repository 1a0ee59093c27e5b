/**
 * A kiosk whose QR reader is wired to the daemon (`scanner: { type: serial | hid }`, as in
 * config/examples), not typed into the browser: what the visitor sees when they scan. The codes go
 * through the driver's own arming (`deliver`), as the serial and HID readers hand them over.
 */
import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";
import { formatMoney } from "../../ui/src/format.ts";
import { messages } from "../../ui/src/i18n/index.ts";
import type { ErrorCode } from "../../ui/src/i18n/messages.ts";
import {
  asShown,
  type DemoKiosk,
  expectNoAxeViolations,
  focusedText,
  forgedSlip,
  getJson,
  kioskPerFile,
  currentScreen,
  postJson,
  screenText,
  storedSession,
  tabTo,
  waitForScreen,
  paySlipThroughApi,
  printsCopyFromErrorScreen,
  warsawDay,
} from "./helpers.ts";

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

  it("a refused second slip on the summary is shown, and Back to my payment returns to the payment as it was", async () => {
    const first = demo.issueSlip([{ code: "PJ", amount: 10_000 }], "KIE/3/2026");
    readerScans(demo, first);
    await waitForScreen(page, "summary");
    const armed = () => demo.demo.daemon.kiosk.devices.scanner.armed;
    await expect.poll(armed).toBe(true);
    const before = await storedSession(demo.url);
    expect(before).toMatchObject({
      state: "summary",
      slips: [expect.objectContaining({ caseRef: "KIE/3/2026" })],
    });
    const refusals: Array<[string, ErrorCode]> = [
      [first, "SLIP_ALREADY_PAID"],
      [forgedSlip({ issued: `${warsawDay(-20)}0900`, valid: warsawDay(-1) }), "SLIP_EXPIRED"],
      ["OPL1|not-a-slip|x|y|z", "SLIP_UNREADABLE"],
    ];
    for (const [i, [code, refusal]] of refusals.entries()) {
      readerScans(demo, code);
      await waitForScreen(page, "error");
      expect(await screenText(page)).toContain(pl.errors[refusal].title);
      // The way back to the payment is the main action: a keypad's Enter takes it.
      await expect.poll(() => focusedText(page)).toBe(pl.error.backToPayment);
      expect(await page.getByRole("button", { name: pl.error.scanAgain }).count()).toBe(0);
      // The refusal changed nothing stored (SPEC §4); the session only names it beside the summary.
      expect(await storedSession(demo.url)).toEqual(before);
      if (i === 0) await expectNoAxeViolations(page, "a reader's refusal on the summary");
      // Enter on the focused button, or the keypad's Cancel (Escape), which goes back rather than cancel.
      await page.keyboard.press(i === 1 ? "Escape" : "Enter");
      await waitForScreen(page, "summary");
      const text = await screenText(page);
      expect(text).toContain("KIE/3/2026");
      expect(text).toContain(asShown(formatMoney(before.total as number, "pl")));
      expect(await storedSession(demo.url)).toEqual(before);
      // The same refusal is not shown again; the reader still takes the next code.
      await page.waitForTimeout(300);
      expect(await currentScreen(page)).toBe("summary");
      await expect.poll(armed).toBe(true);
    }
  });

  it("Back to start after a refusal on the summary still cancels the payment", async () => {
    const first = demo.issueSlip([{ code: "PJ", amount: 10_000 }], "KIE/5/2026");
    readerScans(demo, first);
    await waitForScreen(page, "summary");
    await expect.poll(() => demo.demo.daemon.kiosk.devices.scanner.armed).toBe(true);
    readerScans(demo, "OPL1|not-a-slip|x|y|z");
    await waitForScreen(page, "error");
    await tabTo(page, pl.error.backToStart);
    await waitForScreen(page, "welcome");
    await expect.poll(async () => (await storedSession(demo.url)).state).not.toBe("summary");
  });

  it("a summary holding a slip the reader added offers no Change, which would drop that slip", async () => {
    await page.getByRole("button", { name: pl.welcome.chooseService }).click();
    await waitForScreen(page, "basket");
    await page.locator("basket-screen li[data-item=GEO_EGIB] button[data-increase]").click();
    await page.getByRole("button", { name: pl.basket.continue }).click();
    await waitForScreen(page, "summary");
    const change = page.locator("summary-screen button[data-change]");
    expect(await change.count()).toBe(1);
    await expect.poll(() => demo.demo.daemon.kiosk.devices.scanner.armed).toBe(true);
    readerScans(demo, demo.issueSlip([{ code: "DR", amount: 5_400 }], "KIE/6/2026"));
    await expect.poll(async () => (await screenText(page)).includes("KIE/6/2026")).toBe(true);
    // A change rebuilds the basket from the codes the page holds (POST /api/basket); the reader's
    // code stayed with the daemon, so the slip would be lost: Pay and Cancel only.
    expect(await change.count()).toBe(0);
    const session = await storedSession(demo.url);
    expect(session.slips).toEqual([expect.objectContaining({ caseRef: "KIE/6/2026" })]);
    expect((session.lines as Array<{ code: string }>).map((l) => l.code).sort()).toEqual(["DR", "GEO_EGIB"]);
    await expectNoAxeViolations(page, "a summary with a reader's slip");
  });

  it("a slip paid already says when, where and how much, as the 422 does to the page's own scans, and prints a copy", {
    timeout: 60_000,
  }, async () => {
    const slip = demo.issueSlip([{ code: "DR", amount: 5_400 }], "KOM/7/2026");
    const total = await paySlipThroughApi(demo, page, slip);
    await expect.poll(() => demo.demo.daemon.kiosk.devices.scanner.armed).toBe(true);

    readerScans(demo, slip);
    await waitForScreen(page, "error");
    // The session's error carries the 422's `paid`, built in the same place.
    const session = await getJson<{ error: { code: string; paid?: unknown; payload?: string } | null }>(
      demo.url,
      "/api/session",
    );
    const refused = await postJson(demo.url, "/api/scan", { payload: slip });
    expect(refused.status).toBe(422);
    const problem = (await refused.json()) as { paid: { paidAt: string; total: number; kiosk: string } };
    expect(session.error?.code).toBe("SLIP_ALREADY_PAID");
    expect(session.error?.paid).toEqual(problem.paid);
    expect(problem.paid.total).toBe(total);

    const info = page.locator("error-screen [data-testid=paid-info]");
    await info.waitFor();
    const text = (await info.textContent()) ?? "";
    expect(text).toContain(pl.error.paidHere);
    expect(asShown(text)).toContain(asShown(formatMoney(problem.paid.total, "pl")));
    expect(text).toMatch(new RegExp(String(new Date().getFullYear())));
    await expectNoAxeViolations(page, "a slip paid already, read by the daemon's reader");

    // A reprint is asked with the slip as read: the daemon sends it beside `paid` (the page never read
    // it), so the visitor gets the copy here as with the page's own reader.
    expect(session.error?.payload).toBe(slip);
    await printsCopyFromErrorScreen(demo, page, pl.error);
  });
});
