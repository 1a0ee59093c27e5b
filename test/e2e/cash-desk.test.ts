/**
 * The cash-desk journey in Chromium (issue 16, SPEC §10), keyboard only, axe clean on every step:
 * a cashier opens a shift, a hand scanner (keyboard wedge) reads two slips into one basket, a
 * service is picked by code, the card payment is taken once, a payment is voided with the PIN and
 * a reason, and the shift closes with its report on screen.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CASHIERS } from "../../kiosk/demo.ts";
import { deskMessages } from "../../ui/src/i18n/desk.ts";
import { messages } from "../../ui/src/i18n/index.ts";
import {
  type DemoKiosk,
  expectNoAxeViolations,
  type KioskBrowser,
  LANDSCAPE,
  launchKioskBrowser,
  screenshot,
  startDemoKiosk,
  tabTo,
  wedgeScan,
} from "./helpers.ts";

const pl = deskMessages("pl");
const plKiosk = messages("pl");
let kiosk: DemoKiosk;
let browser: KioskBrowser;
let page: Page;

beforeAll(async () => {
  kiosk = await startDemoKiosk({ name: "cash-desk", terminalDelayMs: 0, attended: true });
  browser = await launchKioskBrowser(LANDSCAPE);
  page = await browser.context.newPage();
  await page.goto(`${kiosk.url}/`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
});

const desk = () => page.locator("cash-desk");
const state = () => desk().locator("p.state").getAttribute("data-state");

const scanFocused = () =>
  desk()
    .locator("#scan")
    .evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement);

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the cash desk in Chromium, keyboard only", () => {
  it("opens a shift, takes two slips and a service in one payment, voids, and closes with the report", async () => {
    const anna = DEMO_CASHIERS[0];
    await desk().locator("#cashier").waitFor();
    await expectNoAxeViolations(page, "cash desk: shift open");
    // A wrong PIN: a clear message, no shift.
    await page.keyboard.press("Tab");
    await until(
      async () => (await page.evaluate(() => document.activeElement?.tagName)) === "CASH-DESK",
      "focus",
    );
    await desk().locator("#cashier").focus();
    await page.keyboard.type(anna.id);
    await page.keyboard.press("Tab");
    await page.keyboard.type("000000");
    await page.keyboard.press("Enter");
    // In the cashier's language, not the daemon's English sentence.
    await expect
      .poll(() => desk().locator(".problem").textContent(), { timeout: 10_000 })
      .toBe(pl.problems.wrongPin);
    await desk().locator("#pin").fill("");
    await page.keyboard.type(anna.pin);
    await page.keyboard.press("Enter");
    await desk().locator("#scan").waitFor();
    await until(scanFocused, "scan focus");

    // The hand scanner types into the focused scan field, slip after slip.
    const first = kiosk.issueSlip(undefined, "KOM/501/2026");
    await wedgeScan(page, first);
    await until(async () => (await desk().locator("tr.group").count()) === 1, "first slip");
    await wedgeScan(page, kiosk.issueSlip([{ code: "PEL", amount: 1700 }], "PJ/77/2026"));
    await until(async () => (await desk().locator("tr.group").count()) === 2, "second slip");
    // A slip already in the basket: a clear message, the basket unchanged.
    const total = await desk().locator("[data-testid=total]").textContent();
    await wedgeScan(page, first);
    await expect.poll(() => desk().locator(".problem").textContent()).toBe(pl.problems.inBasket);
    expect(await desk().locator("[data-testid=total]").textContent()).toBe(total);
    // A refused slip: its translated words, no code and no English detail.
    await wedgeScan(page, "OPL1|PZ1465|S/1|not-a-slip|x");
    await expect
      .poll(() => desk().locator(".problem").textContent())
      .toBe(plKiosk.errors.SLIP_UNREADABLE.title);
    await page.keyboard.press("Tab"); // to "Add slip"
    await page.keyboard.press("Tab"); // to the service field
    await page.keyboard.type("GEO_MAP");
    await page.keyboard.press("Enter");
    await until(
      async () => (await desk().locator("tr.group").count()) === 3,
      `service line (${await desk().locator(".problem").textContent()})`,
    );
    expect(await desk().locator("[data-testid=total]").textContent()).not.toBe(total);
    // The handling fee under the name the office configured, as the receipt and the shift report print it.
    const basketText = (await desk().locator("section[aria-labelledby=basket-heading]").textContent()) ?? "";
    expect(basketText).toContain(kiosk.demo.config.handlingFee.label?.pl ?? "");
    expect(basketText).not.toContain(pl.basket.fee);
    await expectNoAxeViolations(page, "cash desk: basket");
    await screenshot(page, "cash-desk-basket");

    await tabTo(page, "Zapłać kartą");
    await until(async () => (await state()) === "done", "payment done");
    const payments = kiosk.demo.fakes.pik.payments();
    expect(payments).toHaveLength(2);
    await expectNoAxeViolations(page, "cash desk: paid");
    await tabTo(page, "Następny klient");
    // The desk puts the focus back on the scan field once the next customer's screen is there; until
    // then a Tab walk could be overtaken by that move and press Enter in the scan field instead.
    await until(scanFocused, "scan focus for the next customer");
    await until(async () => (await desk().locator("tr[data-payment]").count()) === 1, "shift payments");

    const id = (await desk().locator("tr[data-payment]").first().getAttribute("data-payment")) as string;
    await tabTo(page, `Anuluj płatność ${id}`);
    await desk().locator("#void-pin").waitFor();
    await desk().locator("#void-pin").focus();
    await page.keyboard.type("000000");
    await page.keyboard.press("Tab");
    await page.keyboard.type("pomyłka");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => desk().locator(".problem").textContent(), { timeout: 10_000 })
      .toBe(pl.problems.wrongPin);
    await desk().locator("#void-pin").fill("");
    await desk().locator("#void-reason").fill("");
    await desk().locator("#void-pin").focus();
    await page.keyboard.type(anna.pin);
    await page.keyboard.press("Tab");
    await page.keyboard.type("klient zrezygnował");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => desk().locator(".message").textContent(), { timeout: 20_000 })
      .toMatch(/anulowana/);

    await desk().locator("input[name=endOfDay]").focus();
    await page.keyboard.press("Space");
    await tabTo(page, "Zamknij zmianę");
    await desk().locator("#report-heading").waitFor();
    const report = (await desk().locator("section.report").textContent()) ?? "";
    expect(report).toContain("Zgodne z terminalem");
    expect(report).toContain(anna.name);
    await expectNoAxeViolations(page, "cash desk: shift report");
    await screenshot(page, "cash-desk-report");
  }, 120_000);
});
