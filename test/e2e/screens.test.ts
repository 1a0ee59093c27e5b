/**
 * Every screen in every language: axe-core finds nothing, and a screenshot of each lands in
 * test-results/screens/. Every slip error code shows its own explanation in pl, en and uk.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAFF_CODES } from "../../ui/src/error-codes.ts";
import { messages, SLIP_ERROR_CODES } from "../../ui/src/i18n/index.ts";
import {
  type DeepDom,
  type DemoKiosk,
  forgedSlip,
  getJson,
  waitForState,
  warsawDay,
  expectNoAxeViolations,
  type KioskBrowser,
  LANDSCAPE,
  installDeepDom,
  launchKioskBrowser,
  openKiosk,
  PORTRAIT,
  postJson,
  screenText,
  screenshot,
  startDemoKiosk,
  textCutOff,
  waitForScreen,
  wedgeScan,
  keypadFocused,
} from "./helpers.ts";

const LANGS = ["pl", "en", "uk"] as const;

describe("every screen in every language", () => {
  let demo: DemoKiosk;
  let browser: KioskBrowser;

  beforeAll(async () => {
    demo = await startDemoKiosk({ name: "screens", idleTimeoutSeconds: 90, terminalDelayMs: 300 });
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
      await keypadFocused(page);
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
      await wedgeScan(page, demo.issueSlip());
      await waitForScreen(page, "summary");
      await page.getByRole("button", { name: t.summary.pay }).click();
      await waitForScreen(page, "approved");
      await page.getByRole("button", { name: t.approved.finish }).waitFor();
      await expectNoAxeViolations(page, `approved ${lang}`);
      await screenshot(page, `approved-${lang}`);
    },
  );

  /** A slip that makes the kiosk answer each code, for real: forged, expired, or changed at the office. */
  async function slipsForEveryCode(): Promise<Record<(typeof SLIP_ERROR_CODES)[number], string>> {
    const pik = demo.demo.fakes.pik;
    const lines = [{ code: "DR", amount: 5400 }];
    const genuine = demo.issueSlip(lines);
    const cancelled = demo.issueSlip(lines);
    pik.cancelSlip(cancelled.split("|")[2]!);
    const changed = demo.issueSlip(lines);
    pik.changeTotal(changed.split("|")[2]!, 9999);
    const paid = demo.issueSlip(lines);
    expect((await postJson(demo.url, "/api/scan", { payload: paid })).status).toBe(200);
    expect((await postJson(demo.url, "/api/session/pay")).status).toBe(202);
    await waitForState(demo.url, "done");
    await postJson(demo.url, "/api/session/cancel");
    const signature = genuine.slice(-4) === "AAAA" ? "BBBB" : "AAAA";
    return {
      SLIP_UNREADABLE: "OPL1|not-a-slip|x|y|z",
      SLIP_UNKNOWN_KEY: forgedSlip({ kid: "other2026" }),
      SLIP_SIGNATURE_INVALID: genuine.slice(0, -4) + signature,
      SLIP_WRONG_OFFICE: forgedSlip({ office: "XX1" }),
      SLIP_EXPIRED: forgedSlip({ issued: `${warsawDay(-20)}0900`, valid: warsawDay(-1) }),
      SLIP_TOTAL_MISMATCH: forgedSlip({ total: 16001 }),
      SLIP_UNKNOWN_COMPONENT: forgedSlip({ lines: [{ code: "NOPE", amount: 100 }] }),
      SLIP_ALREADY_PAID: paid,
      SLIP_CANCELLED: cancelled,
      SLIP_AMOUNT_CHANGED: changed,
      // A genuine-looking slip the office system has never heard of cannot be confirmed (policy: refuse).
      SLIP_CHECK_UNAVAILABLE: forgedSlip(),
    };
  }

  it("explains every slip error code the daemon gives, and what to do, in pl, en and uk", {
    timeout: 150_000,
  }, async () => {
    const slips = await slipsForEveryCode();
    for (const lang of LANGS) {
      const t = messages(lang);
      const page = await start(lang);
      for (const code of SLIP_ERROR_CODES) {
        const answer = await getJson<{ state: string }>(demo.url, "/api/session");
        expect(answer.state).toBe("idle");
        await wedgeScan(page, slips[code]);
        await waitForScreen(page, "error");
        const text = await screenText(page);
        expect(text, `${code} in ${lang}`).toContain(t.errors[code].title);
        expect(text, `${code} in ${lang}`).toContain(t.errors[code].todo);
        // Staff get a short code; the daemon's internal name is not for a public screen (issue 18 finding 10).
        expect(text.replace(/ :/g, ":")).toContain(`${t.error.staffCode}: ${STAFF_CODES[code]}`);
        expect(text).not.toContain(code);
        if (code === "SLIP_ALREADY_PAID") {
          await expectNoAxeViolations(page, `error ${lang}`);
          await screenshot(page, `error-${code}-${lang}`);
        }
        await page.keyboard.press("Escape");
        await waitForScreen(page, "welcome");
      }
    }
  });

  it("works in landscape (1920×1080) as well", async () => {
    const page = await start("pl");
    await page.setViewportSize(LANDSCAPE);
    try {
      await expectNoAxeViolations(page, "welcome landscape");
      await screenshot(page, "landscape-welcome-pl");
      await wedgeScan(page, demo.issueSlip());
      await waitForScreen(page, "summary");
      await screenshot(page, "landscape-summary-pl");
      await page.getByRole("button", { name: messages("pl").summary.pay }).click();
      await waitForScreen(page, "approved");
      await page.getByRole("button", { name: messages("pl").approved.finish }).waitFor();
      await expectNoAxeViolations(page, "approved landscape");
      await screenshot(page, "landscape-approved-pl");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await page.setViewportSize(PORTRAIT);
    }
  });

  it("large text and high contrast pass axe, and 200 % zoom loses nothing", { timeout: 60_000 }, async () => {
    const page = await start("pl");
    await page.locator("kiosk-toolbar button[data-setting=largeText]").click();
    await page.locator("kiosk-toolbar button[data-setting=highContrast]").click();
    await wedgeScan(page, demo.issueSlip());
    await waitForScreen(page, "summary");
    await expectNoAxeViolations(page, "summary, large text, high contrast");
    await screenshot(page, "summary-large-contrast-pl");
    // 200 % zoom of the portrait screen: half the CSS pixels each way (540×960), in the default text
    // (the browser's zoom doubles it, as large text does; high contrast kept). What a visitor needs to
    // pay is all there: nothing scrolls, the total is in sight and nothing lies over it, every action is
    // on screen with nothing over it (a touch reaches it), and no line of text is cut.
    // Not held, and so not claimed:
    // - the landscape screen at 200 % (960×540): the step bar and the countdown (about 150 px) and the
    //   toolbar (two rows: its two groups do not share 960 px, about 150 px) leave 240 px, where a fee
    //   with its pager, the total and the actions need about 270; the total and the actions end under
    //   the toolbar. Only what holds there is asserted: nothing scrolls, the toolbar is whole on screen,
    //   and the list shows a whole fee with its pager.
    // - large text at half the pixels (400 %): at 540×960 the toolbar, the step bar and the actions
    //   leave the list no row. The kiosk's browser is not zoomed: large text is its 200 %, and the layout
    //   test holds that on every panel, with no text cut.
    await page.locator("kiosk-toolbar button[data-setting=largeText]").click();
    await page.waitForFunction(() => !document.documentElement.classList.contains("large-text"));
    for (const viewport of [{ width: 540, height: 960 }]) {
      await page.setViewportSize(viewport);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await screenshot(page, `summary-zoom200-${viewport.width}x${viewport.height}-pl`);
      const where = `${viewport.width}×${viewport.height}`;
      await installDeepDom(page);
      const seen = await page.evaluate(() => {
        const { at: deepAt } = (window as unknown as { deepDom: DeepDom }).deepDom;
        const root = document
          .querySelector("oplatomat-app")
          ?.shadowRoot?.querySelector("summary-screen")?.shadowRoot;
        /** Wholly on screen, and what a touch at its centre reaches is the element or inside it. */
        const clear = (el: Element) => {
          const r = el.getBoundingClientRect();
          const onScreen =
            r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
          const hit = deepAt(r.x + r.width / 2, r.y + r.height / 2);
          return onScreen && hit !== null && (hit === el || el.contains(hit));
        };
        const total = root?.querySelector("[data-testid=total]");
        const doc = document.scrollingElement ?? document.documentElement;
        return {
          scrolls: doc.scrollHeight > innerHeight + 1 || doc.scrollWidth > innerWidth + 1,
          total: total ? clear(total) : false,
          actions: [...(root?.querySelectorAll(".actions button") ?? [])].map((b) => ({
            name: b.textContent?.trim() ?? "",
            clear: clear(b),
          })),
        };
      });
      expect(seen.scrolls, `${where}: the page scrolls`).toBe(false);
      expect(seen.total, `${where}: the total in sight, nothing over it`).toBe(true);
      expect(seen.actions.map((a) => a.name)).toContain(messages("pl").summary.pay);
      for (const action of seen.actions)
        expect(action.clear, `${where}: "${action.name}" in sight, nothing over it`).toBe(true);
      expect(await textCutOff(page), where).toEqual([]);
    }
    await page.setViewportSize({ width: 960, height: 540 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await screenshot(page, "summary-zoom200-960x540-pl");
    const landscape = await page.evaluate(() => {
      const app = document.querySelector("oplatomat-app")?.shadowRoot;
      const root = app?.querySelector("summary-screen")?.shadowRoot;
      const toolbar = app?.querySelector("footer")?.getBoundingClientRect();
      const viewport = root
        ?.querySelector("paged-region")
        ?.shadowRoot?.querySelector(".viewport")
        ?.getBoundingClientRect();
      const pager = root
        ?.querySelector("paged-region")
        ?.shadowRoot?.querySelector("nav")
        ?.getBoundingClientRect();
      const doc = document.scrollingElement ?? document.documentElement;
      const fees = [...(root?.querySelectorAll("tbody tr:not(.group)") ?? [])].filter((row) => {
        const r = row.getBoundingClientRect();
        return viewport && r.height > 0 && r.top >= viewport.top - 1 && r.bottom <= viewport.bottom + 1;
      });
      return {
        scrolls: doc.scrollHeight > innerHeight + 1 || doc.scrollWidth > innerWidth + 1,
        toolbarWhole: !!toolbar && toolbar.top >= 0 && toolbar.bottom <= innerHeight + 1,
        wholeFees: fees.length,
        pagerAboveToolbar: !!pager && !!toolbar && pager.bottom <= toolbar.top + 1,
      };
    });
    expect({ ...landscape, wholeFees: landscape.wholeFees > 0 }).toEqual({
      scrolls: false,
      toolbarWhole: true,
      wholeFees: true,
      pagerAboveToolbar: true,
    });
    await page.setViewportSize(PORTRAIT);
  });
});
