/**
 * Issue 18, findings 3 and 7: how a visit that ends without a payment looks. The visitor's language is
 * kept after their own cancel (on the summary, after a decline), the start screen says no money was
 * taken, a payment stopped on the PIN pad is "cancelled", not "declined", and the out-of-order screen
 * speaks every language of the kiosk at once.
 */
import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";
import { messages } from "../../ui/src/i18n/index.ts";
import {
  type DemoKiosk,
  kioskPerFile,
  expectNoAxeViolations,
  getJson,
  postJson,
  screenText,
  waitForScreen,
  wedgeScan,
} from "./helpers.ts";

const uk = messages("uk");
const en = messages("en");

async function documentLang(page: Page): Promise<string> {
  return page.evaluate(() => document.documentElement.lang);
}

describe("visits that end without a payment", () => {
  const kiosk = kioskPerFile({ name: "outcomes", idleTimeoutSeconds: 120, terminalDelayMs: 100 });
  let demo: DemoKiosk;
  let page: Page;
  beforeEach(() => {
    ({ demo, page } = kiosk);
  });

  async function summaryIn(lang: "uk" | "en"): Promise<void> {
    await page.locator(`kiosk-toolbar button[data-lang=${lang}]`).click();
    expect((await postJson(demo.url, "/api/scan", { payload: demo.issueSlip() })).status).toBe(200);
    await waitForScreen(page, "summary");
    await expect.poll(() => screenText(page)).toContain(messages(lang).summary.title);
  }

  it("keeps Ukrainian after a cancel on the summary and says no money was taken", async () => {
    await summaryIn("uk");
    await page.getByRole("button", { name: uk.summary.cancel, exact: true }).click();
    await waitForScreen(page, "welcome");
    await expect.poll(() => screenText(page)).toContain(uk.welcome.cancelledNotice);
    expect(await screenText(page)).toContain(uk.welcome.title);
    expect(await documentLang(page)).toBe("uk");
    expect((await getJson<{ state: string }>(demo.url, "/api/session")).state).toBe("idle");
    await expectNoAxeViolations(page, "start screen after a cancel (uk)");
  });

  it("keeps Ukrainian after a decline is cancelled", async () => {
    demo.demo.sims.terminal.setNextOutcome("decline");
    await summaryIn("uk");
    await page.getByRole("button", { name: uk.summary.pay }).click();
    await waitForScreen(page, "declined");
    await page.getByRole("button", { name: uk.declined.cancel, exact: true }).click();
    await waitForScreen(page, "welcome");
    await expect.poll(() => screenText(page)).toContain(uk.welcome.cancelledNotice);
    expect(await documentLang(page)).toBe("uk");
  });

  it("titles a payment cancelled on the PIN pad as cancelled, with no money taken", async () => {
    demo.demo.sims.terminal.setNextOutcome("abort");
    await summaryIn("en");
    await page.getByRole("button", { name: en.summary.pay }).click();
    await waitForScreen(page, "declined");
    const title = page.locator("declined-screen [data-testid=decline-title]");
    await expect.poll(() => title.textContent()).toBe(en.declined.cancelledTitle);
    const text = await screenText(page);
    expect(text).not.toContain(en.declined.title);
    expect(text).toContain("No money was taken");
    await expectNoAxeViolations(page, "payment cancelled on the PIN pad (en)");
  });

  it("still titles a refused card as declined", async () => {
    demo.demo.sims.terminal.setNextOutcome("decline");
    await summaryIn("en");
    await page.getByRole("button", { name: en.summary.pay }).click();
    await waitForScreen(page, "declined");
    const title = page.locator("declined-screen [data-testid=decline-title]");
    await expect.poll(() => title.textContent()).toBe(en.declined.title);
  });

  it("shows the out-of-order screen in all three languages at once", async () => {
    await page.locator("kiosk-toolbar button[data-lang=uk]").click();
    const flow = demo.demo.daemon.kiosk.flow;
    flow.setOutOfOrder("e2e", "printer cover open");
    try {
      await waitForScreen(page, "out_of_order");
      const text = await screenText(page);
      for (const lang of ["pl", "en", "uk"] as const) {
        expect(text).toContain(messages(lang).outOfOrder.title);
        expect(text).toContain(messages(lang).outOfOrder.body);
      }
      // The visitor's language first, as the heading; the others marked with their language.
      expect(await page.locator("out-of-order-screen h1").textContent()).toBe(uk.outOfOrder.title);
      expect(await page.locator("out-of-order-screen section[lang=pl] h2").textContent()).toBe(
        messages("pl").outOfOrder.title,
      );
      await expectNoAxeViolations(page, "out of order, three languages");
    } finally {
      flow.setOutOfOrder("e2e", null);
    }
    await waitForScreen(page, "welcome");
  });

  it("a scan answered after the kiosk went out of order shows out of order, not the summary it answered", async () => {
    const flow = demo.demo.daemon.kiosk.flow;
    // The scan's answer (200, the summary) held back until the event stream has taken the kiosk out
    // of order: shown after that, the older answer would offer a payment the kiosk cannot take.
    await page.route("**/api/scan", async (route) => {
      const answer = await route.fetch();
      flow.setOutOfOrder("e2e", "printer cover open");
      await waitForScreen(page, "out_of_order");
      await route.fulfill({ response: answer });
    });
    try {
      const answered = page.waitForResponse("**/api/scan");
      await wedgeScan(page, demo.issueSlip());
      await answered;
      // A moment for the page to read the answer (already received) and render.
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
      await waitForScreen(page, "out_of_order", 1_000);
    } finally {
      await page.unroute("**/api/scan");
      flow.setOutOfOrder("e2e", null);
    }
    await waitForScreen(page, "welcome");
    expect((await getJson<{ state: string }>(demo.url, "/api/session")).state).toBe("idle");
  });
});
