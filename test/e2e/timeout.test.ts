/**
 * Time: the card payment is never timed out; the warning 20 s before the kiosk gives up on a visitor
 * is shown and spoken and offers more time; afterwards the kiosk is back at the start, in Polish.
 * Also speech (F2 and the toolbar) and the out-of-order screen.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages } from "../../ui/src/i18n/index.ts";
import {
  type DemoKiosk,
  expectNoAxeViolations,
  getJson,
  type KioskBrowser,
  launchKioskBrowser,
  openKiosk,
  postJson,
  screenText,
  screenshot,
  startDemoKiosk,
  waitForScreen,
  wedgeScan,
} from "./helpers.ts";

const LANGS = ["pl", "en", "uk"] as const;

async function timeoutDialogOpen(page: Page): Promise<boolean> {
  return page.locator("timeout-dialog dialog").evaluate((d) => (d as HTMLDialogElement).open);
}

describe("time-outs, speech and out of order", () => {
  let demo: DemoKiosk;
  let browser: KioskBrowser;

  beforeAll(async () => {
    // 22 s: the warning comes 2 s after the last action, so the test sees it without waiting long.
    demo = await startDemoKiosk({ name: "timeout", idleTimeoutSeconds: 22, terminalDelayMs: 1200 });
    browser = await launchKioskBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it("never warns while the terminal works nor over the success screen, warns on an idle summary, gives more time, then starts over in Polish", {
    timeout: 120_000,
  }, async () => {
    await postJson(demo.url, "/api/session/cancel");
    const page = await openKiosk(browser, demo.url);
    await page.locator("kiosk-toolbar button[data-lang=en]").click();

    // The host keeps the terminal working (a "waiting for host" status every second) past the point
    // where an idle visitor would be warned: the check below cannot race the approval on a busy machine.
    demo.demo.sims.terminal.setNextOutcome({ kind: "slowHost", intervalMs: 1000, count: 25 });
    await wedgeScan(page, demo.issueSlip());
    await waitForScreen(page, "summary");
    await page.getByRole("button", { name: "Pay by card" }).click();
    await waitForScreen(page, "authorizing");
    const live = page.locator("authorizing-screen [data-testid=terminal-message]");
    expect(await live.getAttribute("aria-live")).toBe("assertive");
    await expect.poll(async () => (await live.textContent())?.trim().length ?? 0).toBeGreaterThan(0);
    await expectNoAxeViolations(page, "authorizing en");
    await screenshot(page, "authorizing-live-en");
    expect(await timeoutDialogOpen(page)).toBe(false);
    expect(
      await getJson<{ state: string; expiresAt: string | null }>(demo.url, "/api/session"),
    ).toMatchObject({
      state: "authorizing",
      expiresAt: null,
    });

    // 25 s of terminal work is past the 20 s after which an idle visitor is warned: still no warning.
    await waitForScreen(page, "approved", 60_000);
    expect(await timeoutDialogOpen(page)).toBe(false);
    await page.getByRole("button", { name: "Finish" }).waitFor();
    // Paid: the success screen counts down on its ring and goes back to the start, and "Do you need
    // more time?" never covers it (issue 18 finding 8). The page notes any moment the dialog is open.
    await page.evaluate(() => {
      const w = window as unknown as { warnedOverSuccess: boolean };
      w.warnedOverSuccess = false;
      const timer = window.setInterval(() => {
        const app = document.querySelector("oplatomat-app")?.shadowRoot;
        if (app?.querySelector("main")?.dataset.screen !== "approved") return window.clearInterval(timer);
        const dialog = app.querySelector("timeout-dialog")?.shadowRoot?.querySelector("dialog");
        if (dialog?.open) w.warnedOverSuccess = true;
      }, 50);
    });
    expect(await page.locator("header countdown-ring").count()).toBe(1);
    await waitForScreen(page, "welcome", 40_000);
    expect(
      await page.evaluate(() => (window as unknown as { warnedOverSuccess: boolean }).warnedOverSuccess),
    ).toBe(false);

    // On the summary an idle visitor is warned, and can ask for more time.
    await page.locator("kiosk-toolbar button[data-lang=en]").click();
    await wedgeScan(page, demo.issueSlip());
    await waitForScreen(page, "summary");
    await expect.poll(() => timeoutDialogOpen(page), { timeout: 10_000 }).toBe(true);
    const t = messages("en").timeout;
    expect(await screenText(page)).toContain(t.title);
    await expectNoAxeViolations(page, "time-out warning en");
    await screenshot(page, "timeout-warning-en");

    const before = (await getJson<{ expiresAt: string }>(demo.url, "/api/session")).expiresAt;
    await page.getByRole("button", { name: t.more }).click();
    await expect.poll(() => timeoutDialogOpen(page)).toBe(false);
    const after = (await getJson<{ expiresAt: string }>(demo.url, "/api/session")).expiresAt;
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));

    // Nobody touches the kiosk any more: warning again, then the start screen in Polish.
    await expect.poll(() => timeoutDialogOpen(page), { timeout: 10_000 }).toBe(true);
    await waitForScreen(page, "welcome", 30_000);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("pl");
    expect(await screenText(page)).toContain(messages("pl").welcome.title);
  });

  it("a visitor who walks away from the basket is sent back to the start too, after twice the idle time", {
    timeout: 90_000,
  }, async () => {
    await postJson(demo.url, "/api/session/cancel");
    const page = await openKiosk(browser, demo.url);
    await page.locator("kiosk-toolbar button[data-lang=uk]").click();
    await page.getByRole("button", { name: messages("uk").welcome.chooseService }).click();
    await waitForScreen(page, "basket");
    // A data-entry screen: 44 s here (120 s at the default 60 s), shown on the ring (finding 8).
    const ring = page.locator("header countdown-ring");
    expect(await ring.getAttribute("total")).toBe("44");
    expect(Number(await ring.locator("[role=timer]").getAttribute("data-seconds"))).toBeGreaterThan(22);
    await expect.poll(() => timeoutDialogOpen(page), { timeout: 35_000 }).toBe(true);
    await screenshot(page, "timeout-warning-uk");
    await waitForScreen(page, "welcome", 30_000);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("pl");
  });

  it("speaks every screen and the warning when speech is switched on by key (F2) or touch", {
    timeout: 90_000,
  }, async (ctx) => {
    const kiosk = await getJson<{ speech: boolean }>(demo.url, "/api/kiosk");
    // The daemon says whether it can speak (GET /api/kiosk); the UI offers speech only then.
    if (!kiosk.speech) ctx.skip();
    await postJson(demo.url, "/api/session/cancel");
    const page = await openKiosk(browser, demo.url);
    // What the daemon was asked to say: the catalogue's sentences, as synthesised.
    const log = demo.demo.daemon.spokenLog;
    log.clear();
    const spoken = {
      some: (match: (s: string) => boolean) => log.list().some((e) => match(`${e.language}:${e.text}`)),
      includes: (s: string) => log.list().some((e) => `${e.language}:${e.text}` === s),
      get length() {
        return log.list().length;
      },
    };
    await page.locator("kiosk-toolbar button[data-lang=en]").click();
    await page.keyboard.press("F2");
    const toggle = page.locator("kiosk-toolbar button[data-setting=speech]");
    expect(await toggle.getAttribute("aria-pressed")).toBe("true");
    await expect.poll(() => spoken.some((s) => s.startsWith("en:Pay your office fees by card"))).toBe(true);
    await page.getByRole("button", { name: messages("en").welcome.chooseService }).click();
    await waitForScreen(page, "basket");
    await expect.poll(() => spoken.some((s) => s.startsWith("en:Choose services"))).toBe(true);
    // The basket is a data-entry screen: the warning comes 20 s before twice the idle time.
    await expect.poll(() => timeoutDialogOpen(page), { timeout: 35_000 }).toBe(true);
    await expect.poll(() => spoken.includes(`en:${messages("en").timeout.spoken}`)).toBe(true);
    await page.getByRole("button", { name: messages("en").timeout.more }).click();
    await toggle.click();
    expect(await toggle.getAttribute("aria-pressed")).toBe("false");
    const count = spoken.length;
    await page.getByRole("button", { name: messages("en").basket.back }).click();
    await waitForScreen(page, "welcome");
    expect(spoken.length).toBe(count);
  });

  it.each(LANGS)("says the kiosk is out of order, and passes axe (%s)", async (lang) => {
    await postJson(demo.url, "/api/session/cancel");
    const page = await openKiosk(browser, demo.url);
    await page.locator(`kiosk-toolbar button[data-lang=${lang}]`).click();
    const flow = demo.demo.daemon.kiosk.flow;
    flow.setOutOfOrder("e2e", "printer cover open");
    try {
      await waitForScreen(page, "out_of_order");
      expect(await screenText(page)).toContain(messages(lang).outOfOrder.title);
      await expectNoAxeViolations(page, `out of order ${lang}`);
      await screenshot(page, `out-of-order-${lang}`);
    } finally {
      flow.setOutOfOrder("e2e", null);
    }
    await waitForScreen(page, "welcome");
  });
});
