/**
 * Issue 18, finding 10: errors a visitor can act on. A short staff code instead of the daemon's
 * internal name, an icon, one action per error (scan again for an unreadable code), no heading framed
 * like a text field after a scan, and an already paid slip that says when, where and how much, and
 * offers the reprint of its confirmation (SPEC §1a).
 */
import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";
import { formatMoney } from "../../ui/src/format.ts";
import { messages } from "../../ui/src/i18n/index.ts";
import { SPOKEN_WORDS } from "../../ui/src/i18n/spoken-words.ts";
import {
  asShown,
  type DemoKiosk,
  kioskPerFile,
  expectNoAxeViolations,
  focusedText,
  forgedSlip,
  screenText,
  storedSession,
  waitForScreen,
  paySlipThroughApi,
  printsCopyFromErrorScreen,
  warsawDay,
  wedgeScan,
} from "./helpers.ts";

const pl = messages("pl");
const en = messages("en");

describe("error screens", () => {
  const kiosk = kioskPerFile({ name: "errors", idleTimeoutSeconds: 120, terminalDelayMs: 50 });
  let demo: DemoKiosk;
  let page: Page;
  beforeEach(() => {
    ({ demo, page } = kiosk);
  });

  it("an unreadable code: staff code E01, an icon, Scan again, and a heading that is not framed", async () => {
    await wedgeScan(page, "OPL1|not-a-slip|x|y|z");
    await waitForScreen(page, "error");
    const text = await screenText(page);
    expect(text.replace(/ :/g, ":")).toContain(`${pl.error.staffCode}: E01`);
    expect(text).not.toContain("SLIP_UNREADABLE");
    expect(await page.locator("error-screen [data-testid=error-icon]").count()).toBe(1);
    // Focus starts on the main action (issue 18 finding 6); the heading, when focused, is not framed.
    const heading = await page.locator("error-screen h1").evaluate((h) => {
      (h as HTMLElement).focus();
      const style = getComputedStyle(h);
      return {
        focused: h.getRootNode() instanceof ShadowRoot && (h.getRootNode() as ShadowRoot).activeElement === h,
        outline: style.outlineStyle,
        shadow: style.boxShadow,
      };
    });
    expect(heading).toEqual({ focused: true, outline: "none", shadow: "none" });
    await expectNoAxeViolations(page, "unreadable code");
    await page.getByRole("button", { name: pl.error.scanAgain }).click();
    await waitForScreen(page, "welcome");
    // And scanning again works from there.
    await wedgeScan(page, demo.issueSlip());
    await waitForScreen(page, "summary");
  });

  it("a slip the office system cannot confirm offers Try again with the same slip", async () => {
    await wedgeScan(page, forgedSlip());
    await waitForScreen(page, "error");
    expect((await screenText(page)).replace(/ :/g, ":")).toContain(`${pl.error.staffCode}: E11`);
    await page.getByRole("button", { name: pl.error.tryAgain }).click();
    await waitForScreen(page, "error");
    await page.getByRole("button", { name: pl.error.backToStart }).click();
    await waitForScreen(page, "welcome");
  });

  it("an already paid slip says when, where and how much, and prints its confirmation again", async () => {
    const slip = demo.issueSlip([{ code: "DR", amount: 5400 }]);
    const total = await paySlipThroughApi(demo, page, slip);
    await page.locator("kiosk-toolbar button[data-lang=en]").click();

    await wedgeScan(page, slip);
    await waitForScreen(page, "error");
    const text = await screenText(page);
    expect(text).toContain(en.errors.SLIP_ALREADY_PAID.title);
    expect(text.replace(/ :/g, ":")).toContain(`${en.error.staffCode}: E08`);
    expect(text).not.toContain("SLIP_ALREADY_PAID");
    const info = (await page.locator("error-screen [data-testid=paid-info]").textContent()) ?? "";
    expect(info).toContain(en.error.paidHere);
    expect(info).toContain(formatMoney(total, "en"));
    expect(info).toMatch(new RegExp(String(new Date().getFullYear())));
    await expectNoAxeViolations(page, "already paid (en)");

    await printsCopyFromErrorScreen(demo, page, en.error);
  });

  it.each([
    ["pl", "SLIP_WRONG_OFFICE"],
    ["en", "SLIP_ALREADY_PAID"],
    ["uk", "SLIP_EXPIRED"],
  ] as const)(
    "a slip refused on the summary (%s, %s) keeps the payment: Back to my payment, focused and said",
    {
      timeout: 60_000,
    },
    async (lang, refusal) => {
      const t = messages(lang);
      if (lang !== "pl") await page.locator(`kiosk-toolbar button[data-lang=${lang}]`).click();
      const first = demo.issueSlip(
        [
          { code: "DR", amount: 5_400 },
          { code: "TAB", amount: 8_000 },
        ],
        "KOM/7/2026",
      );
      await wedgeScan(page, first);
      await waitForScreen(page, "summary");
      await expect.poll(async () => (await storedSession(demo.url)).language).toBe(lang);
      const before = await storedSession(demo.url);
      expect(before).toMatchObject({
        state: "summary",
        slips: [expect.objectContaining({ caseRef: "KOM/7/2026" })],
      });
      const second = {
        SLIP_WRONG_OFFICE: forgedSlip({ office: "XX1" }),
        // The same slip twice (SPEC §4).
        SLIP_ALREADY_PAID: first,
        SLIP_EXPIRED: forgedSlip({ issued: `${warsawDay(-20)}0900`, valid: warsawDay(-1) }),
      }[refusal];
      await wedgeScan(page, second);
      await waitForScreen(page, "error");
      expect(await screenText(page)).toContain(t.errors[refusal].title);
      await expect.poll(() => focusedText(page)).toBe(t.error.backToPayment);
      expect(await storedSession(demo.url)).toEqual(before);
      // Audio mode (F2, as the keypad's speech key) says the focused button in the visitor's language.
      const spoken = demo.demo.daemon.spokenLog;
      const from = spoken.list().length;
      await page.keyboard.press("F2");
      const sentence = `${t.error.backToPayment}, ${SPOKEN_WORDS[lang].button}.`;
      await expect
        .poll(
          () =>
            spoken
              .list()
              .slice(from)
              .some((entry) => entry.text === sentence),
          { timeout: 15_000 },
        )
        .toBe(true);
      await page.keyboard.press("F2");
      await expectNoAxeViolations(page, `a refusal on the summary (${lang})`);
      await page.keyboard.press("Enter");
      await waitForScreen(page, "summary");
      const text = await screenText(page);
      expect(text).toContain("KOM/7/2026");
      expect(text).toContain(asShown(formatMoney(before.total as number, lang)));
      expect(await storedSession(demo.url)).toEqual(before);
    },
  );

  it("on the summary, Try again stays beside Back to my payment, and Back to start cancels", async () => {
    const first = demo.issueSlip([{ code: "DR", amount: 5_400 }], "KOM/8/2026");
    await wedgeScan(page, first);
    await waitForScreen(page, "summary");
    const before = await storedSession(demo.url);
    // A genuine-looking slip the office system has never heard of cannot be confirmed (E11).
    const unconfirmed = forgedSlip();
    await wedgeScan(page, unconfirmed);
    await waitForScreen(page, "error");
    expect((await screenText(page)).replace(/ :/g, ":")).toContain(`${pl.error.staffCode}: E11`);
    const actions = await page.locator("error-screen .actions button").allTextContents();
    expect(actions.map((a) => a.trim())).toEqual([
      pl.error.backToPayment,
      pl.error.tryAgain,
      pl.error.backToStart,
    ]);
    await expect.poll(() => focusedText(page)).toBe(pl.error.backToPayment);
    const retried = page.waitForResponse((r) => r.url().endsWith("/api/session/slips"));
    await page.getByRole("button", { name: pl.error.tryAgain }).click();
    expect((await retried).status()).toBe(422);
    await waitForScreen(page, "error");
    expect(await storedSession(demo.url)).toEqual(before);
    // The keypad's Cancel (Escape) goes back to the payment; it does not cancel it.
    await page.keyboard.press("Escape");
    await waitForScreen(page, "summary");
    expect(await storedSession(demo.url)).toEqual(before);
    await wedgeScan(page, "OPL1|not-a-slip|x|y|z");
    await waitForScreen(page, "error");
    await page.getByRole("button", { name: pl.error.backToStart }).click();
    await waitForScreen(page, "welcome");
    await expect.poll(async () => (await storedSession(demo.url)).state).not.toBe("summary");
  });
});
