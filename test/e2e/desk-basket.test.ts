/**
 * The cash desk's basket in Chromium (SPEC §4, §10): the lines follow the language the cashier
 * chooses, as the kiosk's summary follows the visitor's (the daemon labels a session's lines, fee and
 * terminal prompts in the session's language, so the desk switches the session), the next basket
 * starts in it; and the same price-list service added twice is one line of quantity 2, while two
 * typed amounts stay two lines.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatMoney } from "../../ui/src/format.ts";
import { deskMessages } from "../../ui/src/i18n/desk.ts";
import { type DemoKiosk, expectNoAxeViolations, type KioskBrowser, startCashDesk } from "./helpers.ts";

type Lang = "pl" | "en" | "uk";

let kiosk: DemoKiosk;
let browser: KioskBrowser;
let page: Page;

const desk = () => page.locator("cash-desk");
const token = () => page.evaluate(() => sessionStorage.getItem("oplatomat.desk.token"));

/** The daemon's session as the desk's token sees it (SPEC §4 `GET /api/session`). */
async function daemonSession(): Promise<{ language: string; state: string }> {
  const res = await fetch(`${kiosk.url}/api/session`, {
    headers: { authorization: `Bearer ${await token()}` },
  });
  return (await res.json()) as { language: string; state: string };
}

beforeAll(async () => {
  ({ kiosk, browser, page } = await startCashDesk("desk-basket"));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
});

// Each test starts in Polish with no basket.
beforeEach(async () => {
  await language("pl");
  await fetch(`${kiosk.url}/api/session/cancel`, {
    method: "POST",
    headers: { authorization: `Bearer ${await token()}` },
  });
  await expect.poll(() => desk().locator("p.state").getAttribute("data-state")).toBe("idle");
});

async function language(lang: Lang): Promise<void> {
  await desk().locator("header select").selectOption(lang);
}

async function scan(payload: string): Promise<void> {
  await desk().locator("#scan").fill(payload);
  await desk().locator("#scan").press("Enter");
}

/** Adds a service through the desk's form, by code (and typed amount), and waits for the total to change. */
async function addService(code: string, amount?: string): Promise<void> {
  // An empty basket shows no total (textContent would wait for one).
  const total = async () => {
    const cell = desk().locator("[data-testid=total]");
    return (await cell.count()) > 0 ? await cell.textContent() : null;
  };
  const before = await total();
  await desk().locator("#service").fill(code);
  if (amount !== undefined) await desk().locator("#amount").fill(amount);
  await desk().locator("#service").press("Enter");
  await expect.poll(total, { timeout: 10_000 }).not.toBe(before);
}

/** Each basket line's label as shown. */
const shownLabels = () =>
  desk()
    .locator("tr[data-code] td:first-child")
    .evaluateAll((cells) =>
      cells.map((td) =>
        // The cell's own text: the quantity and the recipient are elements of their own.
        [...td.childNodes]
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent)
          .join("")
          .trim(),
      ),
    );

/** The labels the demo configures for the slip's components and the services, in `lang`. */
function labelsIn(lang: Lang, codes: readonly string[]): string[] {
  const config = kiosk.demo.config;
  return codes.map((code) => {
    const label = config.components[code]?.label ?? config.catalog.find((i) => i.code === code)?.label;
    return label?.[lang] ?? `(no label for ${code})`;
  });
}

describe("the desk's basket", () => {
  it("shows the lines and the fee in the language the cashier switches to, and starts the next basket in it", async () => {
    await scan(kiosk.issueSlip());
    await expect.poll(() => desk().locator("tr.group").count(), { timeout: 10_000 }).toBe(1);
    await addService("GEO_MAP");
    const codes = ["DR", "TAB", "NAL", "PC", "GEO_MAP"];
    await expect.poll(shownLabels).toEqual(labelsIn("pl", codes));
    const basket = () => desk().locator("section[aria-labelledby=basket-heading]").textContent();
    for (const lang of ["en", "uk", "pl"] as const) {
      await language(lang);
      await expect.poll(shownLabels, { timeout: 10_000 }).toEqual(labelsIn(lang, codes));
      // The fee as the office names it in that language, and the desk's own words beside it.
      await expect.poll(basket).toContain(kiosk.demo.config.handlingFee.label?.[lang] ?? "");
      expect(await basket()).toContain(deskMessages(lang).basket.services);
    }
    await language("en");
    await expect.poll(shownLabels, { timeout: 10_000 }).toEqual(labelsIn("en", codes));
    await expectNoAxeViolations(page, "cash desk: basket in English");

    // The cashier ends this basket: the idle desk stays in English, so the next one starts in it.
    await desk()
      .getByRole("button", { name: deskMessages("en").basket.cancel })
      .click();
    await expect.poll(() => desk().locator("p.state").getAttribute("data-state")).toBe("idle");
    await expect.poll(async () => (await daemonSession()).language, { timeout: 10_000 }).toBe("en");
    await scan(kiosk.issueSlip([{ code: "PEL", amount: 1700 }], "PJ/77/2026"));
    await expect.poll(shownLabels, { timeout: 10_000 }).toEqual(labelsIn("en", ["PEL"]));

    // A reload (or a restarted browser) keeps the cashier's language, and the basket with it.
    await page.reload();
    await expect.poll(() => desk().locator("header select").inputValue(), { timeout: 10_000 }).toBe("en");
    await expect.poll(() => desk().locator("h1").textContent()).toBe(deskMessages("en").title);
    await expect.poll(shownLabels, { timeout: 10_000 }).toEqual(labelsIn("en", ["PEL"]));
    expect((await daemonSession()).language).toBe("en");
  }, 60_000);

  it("adds the same price-list service again as one line of quantity 2; two typed amounts stay two lines", async () => {
    const t = deskMessages("pl");
    await addService("GEO_MAP");
    await addService("GEO_MAP");
    const map = desk().locator("tr[data-code=GEO_MAP]");
    await expect.poll(() => map.count()).toBe(1);
    const price = kiosk.demo.config.catalog.filter((i) => i.code === "GEO_MAP").at(-1)?.price ?? 0;
    expect(price).toBe(5000);
    expect(await map.locator("[data-testid=quantity]").textContent()).toBe(
      `${t.service.quantity}: 2 × ${formatMoney(price, "pl")}`,
    );
    expect(await map.locator("td.num").textContent()).toBe(formatMoney(2 * price, "pl"));

    await addService("TAX_DOG", "12,34");
    await addService("TAX_DOG", "12,34");
    const dog = desk().locator("tr[data-code=TAX_DOG]");
    await expect.poll(() => dog.count()).toBe(2);
    expect(await dog.locator("[data-testid=quantity]").count()).toBe(0);
    const fee = kiosk.demo.config.handlingFee.amount;
    expect(await desk().locator("[data-testid=total]").textContent()).toBe(
      formatMoney(2 * price + 2 * 1234 + fee, "pl"),
    );
    await expectNoAxeViolations(page, "cash desk: a quantity of 2");

    // Paid as shown: the terminal charged the total on screen.
    await desk().getByRole("button", { name: t.basket.pay }).click();
    await expect
      .poll(() => desk().locator("p.state").getAttribute("data-state"), { timeout: 20_000 })
      .toBe("done");
    expect(kiosk.demo.sims.terminal.turnover().at(-1)?.amount ?? null).toBe(2 * price + 2 * 1234 + fee);
  }, 60_000);

  it("says what to change in a price-list service the daemon refuses (its 422's fields); no empty alert frame", async () => {
    const t = deskMessages("pl");
    const alert = desk().locator("div.alert");
    const frame = () =>
      alert.evaluate((el) => {
        const style = getComputedStyle(el);
        return { edge: style.borderLeftWidth, height: el.getBoundingClientRect().height };
      });
    // Nothing to say: no red-edged band above the desk.
    expect(await frame()).toEqual({ edge: "0px", height: 0 });
    // The rules are the daemon's (kiosk/domain/basket.ts): each refusal is its 422, worded by the desk.
    const refusals: number[] = [];
    const onResponse = (r: { url(): string; status(): number }) => {
      if (/\/api\/(basket|session\/services)$/.test(new URL(r.url()).pathname)) refusals.push(r.status());
    };
    page.on("response", onResponse);
    const refused = async (code: string, fill: { amount?: string; quantity?: string }, text: string) => {
      const before = refusals.filter((s) => s === 422).length;
      await desk().locator("#service").fill(code);
      if (fill.amount !== undefined) await desk().locator("#amount").fill(fill.amount);
      if (fill.quantity !== undefined) await desk().locator("#quantity").fill(fill.quantity);
      await desk().locator("#service").press("Enter");
      await expect.poll(() => desk().locator(".problem").textContent()).toBe(text);
      expect(refusals.filter((s) => s === 422).length).toBe(before + 1);
    };
    // A required reference, by the office's name for it (config: referenceLabel "numer decyzji").
    await refused(
      "TAX_LOCAL",
      { amount: "100" },
      t.service.needsReference("numer decyzji", t.service.reference),
    );
    expect((await frame()).edge).toBe("3px");
    await refused(
      "TAX_DOG",
      { amount: "500" },
      t.service.amountRange(formatMoney(100, "pl"), formatMoney(20_000, "pl")),
    );
    await refused("ZAS_SKARB", { quantity: "9" }, t.service.tooMany(5));
    expect((await daemonSession()).state).toBe("idle");
    // Five fit; one more joins their line and would make six.
    await desk().locator("#quantity").fill("5");
    await addService("ZAS_SKARB");
    await refused("ZAS_SKARB", { quantity: "1" }, t.service.tooMany(5));
    await desk().locator("#reference").fill("DEC/7/2026");
    await addService("TAX_LOCAL", "100");
    await expect.poll(() => desk().locator("tr[data-code]").count()).toBe(2);
    await expect.poll(frame).toEqual({ edge: "0px", height: 0 });
    page.off("response", onResponse);
  }, 60_000);

  it("takes a transfer code's open amount (SPEC §1b 000000) and shows no total until it is typed", async () => {
    const t = deskMessages("pl");
    const nrb = kiosk.demo.config.recipients.GMINA?.nrb as string;
    await scan(`5550001119|PL|${nrb}|000000|Urzad Miasta|Podatek 2026 rata 4|||`);
    const line = desk().locator("tr[data-code=TAX_LOCAL]");
    const total = desk().locator("[data-testid=total]");
    await expect.poll(() => line.count(), { timeout: 10_000 }).toBe(1);
    // The daemon's total is the fee alone while the line counts 0: not shown as the sum to pay.
    expect(await line.locator("td.num").textContent()).toBe(t.basket.amountPending);
    expect(await total.textContent()).toBe(t.basket.totalPending);
    await expectNoAxeViolations(page, "cash desk: an amount to enter");

    // Out of the service's range: refused on the desk, nothing sent.
    await desk().locator("#open-amount").fill("0,50");
    await desk().locator("#open-amount").press("Enter");
    await expect.poll(() => desk().locator(".problem").textContent()).toBe(t.service.badAmount);
    await desk().locator("#open-amount").fill("123,45");
    await desk().locator("#open-amount").press("Enter");
    const fee = kiosk.demo.config.handlingFee.amount;
    await expect.poll(() => total.textContent(), { timeout: 10_000 }).toBe(formatMoney(12_345 + fee, "pl"));
    expect(await line.locator("td.num").textContent()).toBe(formatMoney(12_345, "pl"));
    expect(await desk().locator("#open-amount").count()).toBe(0);

    await desk().getByRole("button", { name: t.basket.pay }).click();
    await expect
      .poll(() => desk().locator("p.state").getAttribute("data-state"), { timeout: 20_000 })
      .toBe("done");
    expect(kiosk.demo.sims.terminal.turnover().at(-1)?.amount ?? null).toBe(12_345 + fee);
  }, 60_000);
});
