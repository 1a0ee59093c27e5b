/**
 * Every screen in every language: axe-core finds nothing, and a screenshot of each lands in
 * test-results/screens/. Every slip error code shows its own explanation in pl, en and uk.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages, SLIP_ERROR_CODES } from "../../ui/src/i18n/index.ts";
import {
  type DemoKiosk,
  demoAvailable,
  demoSlip,
  expectNoAxeViolations,
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

describe.skipIf(!demoAvailable)("every screen in every language", () => {
  let demo: DemoKiosk;
  let browser: KioskBrowser;

  beforeAll(async () => {
    demo = await startDemoKiosk({ idleTimeoutSeconds: 90, terminalDelayMs: 600 });
    browser = await launchKioskBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  async function start(lang: (typeof LANGS)[number]): Promise<Page> {
    await postJson(demo.url, "/api/session/cancel");
    const page = await openKiosk(browser, demo.url);
    await page.locator(`kiosk-toolbar button[data-lang=${lang}]`).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    return page;
  }

  it.each(LANGS)(
    "welcome, basket, keypad, summary, approved and declined pass axe (%s)",
    { timeout: 90_000 },
    async (lang) => {
      const t = messages(lang);
      const page = await start(lang);
      await expectNoAxeViolations(page, `welcome ${lang}`);
      await screenshot(page, `welcome-${lang}`);

      await page.getByRole("button", { name: t.welcome.chooseService }).click();
      await waitForScreen(page, "basket");
      await page.locator("basket-screen li[data-item=GEO_EGIB] button[data-increase]").click();
      await expectNoAxeViolations(page, `basket ${lang}`);
      await screenshot(page, `basket-${lang}`);
      await page.locator("basket-screen li[data-item=TAX_DOG] button[data-edit=amount]").click();
      await page.keyboard.type("100,51", { delay: 50 });
      await expectNoAxeViolations(page, `keypad ${lang}`);
      await screenshot(page, `keypad-${lang}`);
      await page.keyboard.press("Enter");
      await page.getByRole("button", { name: t.basket.continue }).click();
      await waitForScreen(page, "summary");
      await expectNoAxeViolations(page, `summary ${lang}`);
      await screenshot(page, `summary-${lang}`);

      await page.getByRole("button", { name: t.summary.pay }).click();
      await waitForScreen(page, "authorizing");
      await screenshot(page, `authorizing-${lang}`);
      await waitForScreen(page, "declined");
      await expectNoAxeViolations(page, `declined ${lang}`);
      await screenshot(page, `declined-${lang}`);
      await page.getByRole("button", { name: t.declined.cancel }).click();
      await waitForScreen(page, "welcome");

      await page.locator(`kiosk-toolbar button[data-lang=${lang}]`).click();
      await wedgeScan(page, demoSlip());
      await waitForScreen(page, "summary");
      await page.getByRole("button", { name: t.summary.pay }).click();
      await waitForScreen(page, "approved");
      await page.getByRole("button", { name: t.approved.finish }).waitFor();
      await expectNoAxeViolations(page, `approved ${lang}`);
      await screenshot(page, `approved-${lang}`);
    },
  );

  it.each(LANGS)(
    "explains every slip error code, and what to do, in %s",
    { timeout: 60_000 },
    async (lang) => {
      const t = messages(lang);
      const page = await start(lang);
      // The daemon's refusals for each code are tested at the API; here its 422 answer is replayed
      // (a stand-in for the daemon) so the screen for every code can be checked.
      let code: string = SLIP_ERROR_CODES[0];
      await page.route("**/api/scan", (route) =>
        route.fulfill({
          status: 422,
          contentType: "application/problem+json",
          body: JSON.stringify({ type: "about:blank", title: code, status: 422, detail: code, code }),
        }),
      );
      try {
        for (const next of SLIP_ERROR_CODES) {
          code = next;
          await wedgeScan(page, demoSlip());
          await waitForScreen(page, "error");
          const text = await screenText(page);
          expect(text).toContain(t.errors[next].title);
          expect(text).toContain(t.errors[next].todo);
          if (next === "SLIP_ALREADY_PAID") {
            await expectNoAxeViolations(page, `error ${lang}`);
            await screenshot(page, `error-${next}-${lang}`);
          }
          await page.keyboard.press("Escape");
          await waitForScreen(page, "welcome");
        }
      } finally {
        await page.unroute("**/api/scan");
      }
    },
  );

  it("a real unreadable slip from the daemon shows its explanation", async () => {
    const page = await start("pl");
    await wedgeScan(page, "OPL1|not-a-slip|x|y|z");
    await waitForScreen(page, "error");
    expect(await screenText(page)).toContain(messages("pl").errors.SLIP_UNREADABLE.title);
  });

  it("large text and high contrast pass axe, and 200 % zoom loses nothing", async () => {
    const page = await start("pl");
    await page.locator("kiosk-toolbar button[data-setting=largeText]").click();
    await page.locator("kiosk-toolbar button[data-setting=highContrast]").click();
    await wedgeScan(page, demoSlip());
    await waitForScreen(page, "summary");
    await expectNoAxeViolations(page, "summary, large text, high contrast");
    await screenshot(page, "summary-large-contrast-pl");
    // 200 % zoom of the portrait and the landscape screen: half the CSS pixels each way.
    for (const viewport of [
      { width: 540, height: 960 },
      { width: 960, height: 540 },
    ]) {
      await page.setViewportSize(viewport);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `horizontal overflow at ${viewport.width}x${viewport.height}`).toBeLessThanOrEqual(0);
      const pay = page.getByRole("button", { name: messages("pl").summary.pay });
      await pay.scrollIntoViewIfNeeded();
      expect(await pay.isVisible()).toBe(true);
      await screenshot(page, `summary-zoom200-${viewport.width}x${viewport.height}-pl`);
    }
    await page.setViewportSize({ width: 1080, height: 1920 });
  });
});
