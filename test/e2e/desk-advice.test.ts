/**
 * The cash desk's advice (SPEC §10, conformance audit "UI and back-office pass"): a refused slip or
 * a device refusal shows its title and, under it in the same alert, what the cashier does, in the
 * cashier's language (pl, en, uk), never the kiosk visitor's "what to do" and never a raw code. A
 * slip paid on this desk offers a copy of its confirmation (SPEC §1a's `reprint`), and a copy the
 * printer refuses says what to do. Axe clean.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_CASHIERS } from "../../kiosk/demo.ts";
import { deskMessages } from "../../ui/src/i18n/desk.ts";
import { deskAdvice } from "../../ui/src/i18n/desk-advice.ts";
import { messages } from "../../ui/src/i18n/index.ts";
import {
  type DemoKiosk,
  expectNoAxeViolations,
  forgedSlip,
  type KioskBrowser,
  openDeskShift,
  startCashDesk,
  warsawDay,
} from "./helpers.ts";

let kiosk: DemoKiosk;
let browser: KioskBrowser;
let page: Page;

beforeAll(async () => {
  ({ kiosk, browser, page } = await startCashDesk("desk-advice"));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
});

const desk = () => page.locator("cash-desk");
/** The basket's state as the desk shows it. */
const deskState = () => desk().locator("p.state").getAttribute("data-state");

/** The status of each failing device check of the daemon's readiness (`/ready`), by check. */
async function failingDevices(): Promise<Record<string, string>> {
  const ready = (await (await fetch(`${kiosk.url}/ready`)).json()) as {
    checks: Record<string, Array<{ componentType?: string; status: string }>>;
  };
  return Object.fromEntries(
    Object.entries(ready.checks)
      .filter(([, [check]]) => check?.componentType === "device" && check.status === "fail")
      .map(([name, [check]]) => [name, check!.status]),
  );
}

/** Until the daemon's readiness says every device works again: the desk is back in service. */
async function inService(): Promise<void> {
  await expect.poll(failingDevices, { timeout: 20_000 }).toEqual({});
}

// Each test starts at a desk in service with no basket, whatever the test before it left: a device it
// switched off, a printer cover it opened, a basket it did not finish.
beforeEach(async () => {
  kiosk.demo.sims.terminal.clearOutcomes();
  await inService();
  const token = await page.evaluate(() => sessionStorage.getItem("oplatomat.desk.token"));
  await fetch(`${kiosk.url}/api/session/cancel`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  await expect.poll(deskState).toBe("idle");
});

const text = async (selector: string) => ((await desk().locator(selector).textContent()) ?? "").trim();

async function scan(payload: string): Promise<void> {
  await desk().locator("#scan").fill(payload);
  await desk().locator("#scan").press("Enter");
}

/** Scans a slip into an empty basket and waits until the basket holds it. */
async function scanIntoBasket(payload: string): Promise<void> {
  await scan(payload);
  await expect.poll(() => desk().locator("tr.group").count(), { timeout: 10_000 }).toBe(1);
}

/** Scans and waits for the refusal's title; answers the advice shown under it. */
async function refused(payload: string, title: string): Promise<string> {
  await scan(payload);
  await expect.poll(() => text(".problem"), { timeout: 10_000 }).toBe(title);
  // Title and advice are in one alert, so a screen reader says both.
  expect(await desk().locator("[role=alert] .advice").count()).toBe(1);
  return text("[role=alert] .advice");
}

async function language(lang: "pl" | "en" | "uk"): Promise<void> {
  await desk().locator("header select").selectOption(lang);
}

const expiredSlip = () => forgedSlip({ issued: `${warsawDay(-30)}0900`, valid: warsawDay(-2) });
/** Signed under the demo key, then its case changed: the signature no longer verifies. */
const alteredSlip = () => forgedSlip().replace("|KOM/123/2026|", "|KOM/999/2026|");

describe("what the cashier does about a refusal", () => {
  it("says it in Polish under each slip refusal's title, not the visitor's words", async () => {
    const a = deskAdvice("pl");
    const visitor = messages("pl").errors;
    await language("pl");
    const cases = [
      ["SLIP_EXPIRED", expiredSlip()],
      ["SLIP_WRONG_OFFICE", forgedSlip({ office: "WA0001" })],
      ["SLIP_UNKNOWN_KEY", forgedSlip({ kid: "obcy2026" })],
      ["SLIP_SIGNATURE_INVALID", alteredSlip()],
      ["SLIP_CHECK_UNAVAILABLE", forgedSlip()],
      ["SLIP_UNREADABLE", "OPL1|PZ1465|S/1|not-a-slip|x"],
    ] as const;
    for (const [code, payload] of cases) {
      const advice = await refused(payload, visitor[code].title);
      expect(advice, code).toBe(a.slip[code]);
      expect(advice, code).not.toBe(visitor[code].todo);
      expect(await text("[role=alert]"), code).not.toContain(code);
    }
    expect(deskAdvice("pl").slip.SLIP_EXPIRED).toMatch(/referenta po nowy blankiet/);
    await refused(expiredSlip(), visitor.SLIP_EXPIRED.title);
    await expectNoAxeViolations(page, "cash desk: refusal with advice (pl)");
  }, 60_000);

  it("says it in English and Ukrainian when the cashier's language is switched", async () => {
    for (const lang of ["en", "uk"] as const) {
      await language(lang);
      const a = deskAdvice(lang);
      const visitor = messages(lang).errors;
      expect(await refused(expiredSlip(), visitor.SLIP_EXPIRED.title)).toBe(a.slip.SLIP_EXPIRED);
      expect(await refused(forgedSlip({ office: "WA0001" }), visitor.SLIP_WRONG_OFFICE.title)).toBe(
        a.slip.SLIP_WRONG_OFFICE,
      );
      expect(await refused(alteredSlip(), visitor.SLIP_SIGNATURE_INVALID.title)).toBe(
        a.slip.SLIP_SIGNATURE_INVALID,
      );
      expect(await refused(forgedSlip(), visitor.SLIP_CHECK_UNAVAILABLE.title)).toBe(
        a.slip.SLIP_CHECK_UNAVAILABLE,
      );
      await expectNoAxeViolations(page, `cash desk: refusal with advice (${lang})`);
    }
  }, 60_000);

  it("a slip paid on this desk: when, where and how much, and a copy of its confirmation (en)", async () => {
    await language("en");
    const a = deskAdvice("en");
    const slip = kiosk.issueSlip([{ code: "DR", amount: 5400 }], "KOM/777/2026");
    await scanIntoBasket(slip);
    // SPEC §1a's `total` is the payment's (the handling fee included).
    const total = await text("[data-testid=total]");
    await desk().getByRole("button", { name: "Pay by card" }).click();
    await expect.poll(deskState, { timeout: 20_000 }).toBe("done");
    await desk().getByRole("button", { name: "Next customer" }).click();
    await expect.poll(deskState, { timeout: 10_000 }).not.toBe("done");

    const advice = await refused(slip, messages("en").errors.SLIP_ALREADY_PAID.title);
    expect(advice).toContain(a.paidCopy);
    expect(advice).toContain(`amount ${total}.`);
    expect(advice).toContain("K01");
    expect(advice).toMatch(new RegExp(String(new Date().getFullYear())));
    await expectNoAxeViolations(page, "cash desk: already paid with a copy (en)");
    const printer = kiosk.demo.sims.printer;
    const before = printer.receipts.length;
    await desk().getByRole("button", { name: a.copy }).click();
    await expect.poll(() => printer.receipts.length, { timeout: 10_000 }).toBe(before + 1);
    expect(printer.receipts.at(-1)!.lines.join("\n")).toContain("KOPIA");
    await expect.poll(() => text(".message")).toBe(a.copyPrinted);

    // The printer's cover open: the copy is refused with what to do, and can be asked for again.
    await refused(slip, messages("en").errors.SLIP_ALREADY_PAID.title);
    printer.set({ coverOpen: true });
    try {
      // Once the daemon knows (its readiness says the printer is not usable).
      await expect
        .poll(async () => (await failingDevices())["printer:state"], { timeout: 10_000 })
        .toBe("fail");
      await desk().getByRole("button", { name: a.copy }).click();
      await expect.poll(() => text(".problem"), { timeout: 10_000 }).toBe(a.device.copy.title);
      expect(await text("[role=alert] .advice")).toBe(a.device.copy.todo);
      expect(await desk().getByRole("button", { name: a.copy }).count()).toBe(1);
      await expectNoAxeViolations(page, "cash desk: copy refused (en)");
    } finally {
      printer.set({ coverOpen: false });
    }
    await inService();
  }, 60_000);

  it("a slip the office system holds as paid is not called 'already in this basket' (pl)", async () => {
    await language("pl");
    const a = deskAdvice("pl");
    const t = messages("pl").errors.SLIP_ALREADY_PAID.title;
    const inBasket = kiosk.issueSlip([{ code: "DR", amount: 5400 }], "KOM/781/2026");
    await scan(inBasket);
    await expect.poll(() => desk().locator("tr.group").count(), { timeout: 10_000 }).toBe(1);
    // Paid elsewhere (another office's desk, a transfer): PiK's slip check answers `paid`.
    const paidElsewhere = kiosk.issueSlip([{ code: "DR", amount: 5400 }], "KOM/782/2026");
    const slipId = paidElsewhere.split("|")[2]!;
    kiosk.demo.fakes.pik.markPaid(slipId, "INNE-STANOWISKO.1");
    expect(await refused(paidElsewhere, t)).toBe(a.slip.SLIP_ALREADY_PAID);
    // The basket's own slip scanned again: that one is in this basket.
    await scan(inBasket);
    await expect.poll(() => text(".problem"), { timeout: 10_000 }).toBe(deskMessages("pl").problems.inBasket);
    expect(await desk().locator("tr.group").count()).toBe(1);
    await desk().getByRole("button", { name: "Anuluj koszyk" }).click();
  }, 60_000);

  it("a card the bank declines: what the cashier does next, under the basket's state (uk)", async () => {
    await language("uk");
    const a = deskAdvice("uk");
    // The simulated terminal declines amounts ending in 51 grosze (53.51 + the 2.00 fee).
    await scan(kiosk.issueSlip([{ code: "DR", amount: 5351 }], "KOM/779/2026"));
    await expect.poll(() => desk().locator("tr.group").count(), { timeout: 10_000 }).toBe(1);
    expect(await text("[data-testid=total]")).toMatch(/55,51/);
    // The pay call's answer (202, "authorizing") held back until the event stream has brought the
    // decline: the desk must not put that older state back over it (it stayed "authorizing" whenever
    // the answer came last, the flake of session 12, seen about one run in three).
    await page.route("**/api/session/pay", async (route) => {
      const answer = await route.fetch();
      await expect.poll(() => deskState(), { timeout: 10_000 }).toBe("declined");
      await route.fulfill({ response: answer });
    });
    try {
      const answered = page.waitForResponse("**/api/session/pay");
      await desk().getByRole("button", { name: "Оплатити карткою" }).click();
      await answered;
      // A moment for the page to read the answer (already received) and render.
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
      expect(await deskState()).toBe("declined");
    } finally {
      await page.unroute("**/api/session/pay");
    }
    await expect.poll(() => text("p.advice[data-code=DECLINED]")).toBe(a.session.DECLINED);
    // In the basket's live region, with the state it explains.
    expect(await desk().locator("[aria-live=polite] p.advice").count()).toBe(1);
    await expectNoAxeViolations(page, "cash desk: declined (uk)");
    await desk().getByRole("button", { name: "Скасувати кошик" }).click();
  }, 60_000);
});

describe("what the cashier does about the slips no other test here scans", () => {
  it("says it under each title, in pl, en and uk", async () => {
    const pik = kiosk.demo.fakes.pik;
    const slipId = (payload: string) => payload.split("|")[2]!;
    for (const lang of ["pl", "en", "uk"] as const) {
      await language(lang);
      const a = deskAdvice(lang);
      const visitor = messages(lang).errors;
      // The office system's answers (SPEC §1's last check): cancelled, or another amount than printed.
      const cancelled = kiosk.issueSlip([{ code: "DR", amount: 5400 }], "KOM/790/2026");
      pik.cancelSlip(slipId(cancelled));
      const changed = kiosk.issueSlip([{ code: "DR", amount: 5400 }], "KOM/791/2026");
      pik.changeTotal(slipId(changed), 6400);
      const cases = [
        ["SLIP_TOTAL_MISMATCH", forgedSlip({ total: 99 })],
        ["SLIP_UNKNOWN_COMPONENT", forgedSlip({ lines: [{ code: "NIEZNANA", amount: 1000 }] })],
        ["SLIP_CANCELLED", cancelled],
        ["SLIP_AMOUNT_CHANGED", changed],
        ["SLIP_UNKNOWN_KEY", forgedSlip({ kid: "obcy2026" })],
        ["SLIP_UNREADABLE", "OPL1|PZ1465|S/1|not-a-slip|x"],
      ] as const;
      for (const [code, payload] of cases) {
        expect(await refused(payload, visitor[code].title), `${code} (${lang})`).toBe(a.slip[code]);
        expect(await deskState(), `${code} (${lang})`).toBe("idle");
      }
    }
    await expectNoAxeViolations(page, "cash desk: amount changed (uk)");
  }, 60_000);
});

describe("what the cashier does when a device refuses", () => {
  const terminal = () => kiosk.demo.sims.terminal;
  const printer = () => kiosk.demo.sims.printer;
  const button = (name: string) => desk().getByRole("button", { name, exact: true });
  /** Pays the basket on screen and moves to the next customer: the terminal charged once more. */
  async function payAndNext(labels: { pay: string; next: string }, charged: number): Promise<void> {
    await button(labels.pay).click();
    await expect.poll(deskState, { timeout: 20_000 }).toBe("done");
    expect(terminal().turnover().length).toBe(charged + 1);
    await button(labels.next).click();
  }

  /** A basket of one slip, open for payment. */
  async function basket(amount: number, caseRef: string): Promise<void> {
    await scan(kiosk.issueSlip([{ code: "DR", amount }], caseRef));
    await expect.poll(() => desk().locator("tr.group").count(), { timeout: 10_000 }).toBe(1);
    expect(await deskState()).toBe("summary");
  }

  /** A payment taken on this shift (the next customer's screen after it); answers its id. */
  async function paid(lang: "pl" | "en" | "uk", caseRef: string): Promise<string> {
    const t = deskMessages(lang);
    const before = await desk().locator("tr[data-payment]").count();
    await basket(5400, caseRef);
    await button(t.basket.pay).click();
    await expect.poll(deskState, { timeout: 20_000 }).toBe("done");
    await button(t.basket.next).click();
    await expect.poll(deskState, { timeout: 10_000 }).toBe("idle");
    await expect.poll(() => desk().locator("tr[data-payment]").count(), { timeout: 10_000 }).toBe(before + 1);
    return (await desk().locator("tr[data-payment]").last().getAttribute("data-payment")) as string;
  }

  /** Switches the terminal off and waits until the daemon knows (its readiness fails the terminal). */
  async function terminalOff(): Promise<void> {
    await terminal().unplug();
    await expect
      .poll(async () => (await failingDevices())["terminal:state"], { timeout: 20_000 })
      .toBe("fail");
  }

  async function refusal(): Promise<{ title: string; advice: string }> {
    await expect.poll(() => text(".problem"), { timeout: 20_000 }).not.toBe("");
    return { title: await text(".problem"), advice: await text("[role=alert] .advice") };
  }

  it("the printer stops while a basket is open: the basket closed, nothing charged, what to do (pl)", async () => {
    await language("pl");
    const a = deskAdvice("pl");
    const t = deskMessages("pl");
    const slip = kiosk.issueSlip([{ code: "DR", amount: 5400 }], "KOM/792/2026");
    await scanIntoBasket(slip);
    const charged = terminal().turnover().length;
    printer().set({ coverOpen: true });
    try {
      // The desk went out of order and closed the basket: said under its state, with what to check.
      await expect.poll(deskState, { timeout: 10_000 }).toBe("out_of_order");
      expect(await button(t.basket.pay).count()).toBe(0);
      expect(await desk().locator("tr.group").count()).toBe(0);
      await expectNoAxeViolations(page, "cash desk: out of order (pl)");
      expect(await text("[aria-live=polite] p.advice[data-code=out_of_order]")).toBe(
        a.device.outOfOrder.todo,
      );
      // A scan meanwhile is refused with the same advice.
      await scan(slip);
      expect(await refusal()).toEqual({ title: a.device.outOfOrder.title, advice: a.device.outOfOrder.todo });
    } finally {
      printer().set({ coverOpen: false });
    }
    // Back in service by itself; the slips are scanned again and paid.
    await expect.poll(deskState, { timeout: 20_000 }).toBe("idle");
    expect(await desk().locator("[aria-live=polite] p.advice").count()).toBe(0);
    await scanIntoBasket(slip);
    await payAndNext(t.basket, charged);
  }, 60_000);

  it("a payment the printer refuses (switched off, found at pay): nothing charged, the basket closed (en)", async () => {
    await language("en");
    const a = deskAdvice("en");
    const t = deskMessages("en");
    const slip = kiosk.issueSlip([{ code: "DR", amount: 5400 }], "KOM/796/2026");
    await scanIntoBasket(slip);
    const charged = terminal().turnover().length;
    // Switched off: it says nothing by itself; the daemon finds out when it asks before the payment.
    printer().set({ offline: true });
    try {
      await button(t.basket.pay).click();
      expect(await refusal()).toEqual({ title: a.device.printer.title, advice: a.device.printer.todo });
      expect(terminal().turnover().length).toBe(charged);
      // As the advice says: the basket is closed, so the slips are scanned again, not paid from here.
      await expect.poll(deskState, { timeout: 10_000 }).toBe("out_of_order");
      expect(await text("[aria-live=polite] p.advice[data-code=out_of_order]")).toBe(
        a.device.outOfOrder.todo,
      );
      expect(await button(t.basket.pay).count()).toBe(0);
      await expectNoAxeViolations(page, "cash desk: pay refused by the printer (en)");
    } finally {
      printer().set({ offline: false });
    }
    await inService();
    await expect.poll(deskState, { timeout: 20_000 }).toBe("idle");
    await scanIntoBasket(slip);
    await payAndNext(t.basket, charged);
  }, 60_000);

  it("a payment the terminal refuses (busy with a void): nothing charged, the basket kept, paid once it is free (uk)", async () => {
    await language("uk");
    const a = deskAdvice("uk");
    const t = deskMessages("uk");
    const id = await paid("uk", "KOM/793/2026");
    await basket(5400, "KOM/794/2026");
    // The terminal takes its time over the void: it holds the 06 30 until released.
    const sim = terminal() as unknown as { reversal(...args: unknown[]): Promise<void> };
    const original = sim.reversal;
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      sim.reversal = async function (this: unknown, ...args: unknown[]) {
        resolve();
        await new Promise<void>((go) => {
          release = go;
        });
        return original.apply(this, args);
      };
    });
    try {
      await button(`${t.payments.void} ${id}`).click();
      await desk().locator("#void-pin").fill(DEMO_CASHIERS[0].pin);
      await desk().locator("#void-reason").fill("помилка касира");
      await button(t.voidForm.confirm).click();
      await held;
      const charged = terminal().turnover().length;
      await button(t.basket.pay).click();
      expect(await refusal()).toEqual({ title: a.device.terminal.title, advice: a.device.terminal.todo });
      expect(terminal().turnover().length).toBe(charged);
      expect(await deskState()).toBe("summary");
      expect(await button(t.basket.pay).count()).toBe(1);
    } finally {
      delete (sim as { reversal?: unknown }).reversal;
      release();
    }
    await expect.poll(() => text(".message"), { timeout: 20_000 }).toBe(t.voidForm.done);
    await button(t.basket.pay).click();
    await expect.poll(deskState, { timeout: 20_000 }).toBe("done");
    await button(t.basket.next).click();
  }, 60_000);

  it("a void the terminal does not confirm: the payment stays taken, and voiding again works (en)", async () => {
    await language("en");
    const a = deskAdvice("en");
    const t = deskMessages("en");
    const id = await paid("en", "KOM/795/2026");
    const row = desk().locator(`tr[data-payment="${id}"]`);
    await terminalOff();
    try {
      await button(`${t.payments.void} ${id}`).click();
      await desk().locator("#void-pin").fill(DEMO_CASHIERS[0].pin);
      await desk().locator("#void-reason").fill("cashier's mistake");
      await button(t.voidForm.confirm).click();
      expect(await refusal()).toEqual({ title: a.device.void.title, advice: a.device.void.todo });
      // Stays taken, as the title says, and the void can be asked for again from the same form.
      expect(await row.textContent()).toContain(t.approved);
      expect(await button(t.voidForm.confirm).count()).toBe(1);
      await expectNoAxeViolations(page, "cash desk: void not confirmed (en)");
    } finally {
      await terminal().replug();
    }
    await inService();
    await button(t.voidForm.confirm).click();
    await expect.poll(() => text(".message"), { timeout: 20_000 }).toBe(t.voidForm.done);
    await expect.poll(async () => (await row.textContent()) ?? "").toContain(t.reversed);
    expect(await text(".problem")).toBe("");
  }, 60_000);

  it("an end-of-day the terminal does not confirm: the shift stays open, and closing again works (pl)", async () => {
    await language("pl");
    const a = deskAdvice("pl");
    const t = deskMessages("pl");
    await terminalOff();
    try {
      await button(t.close.button).click();
      await desk().getByRole("radio", { name: t.close.lastShiftYes }).check();
      await button(t.close.confirm).click();
      expect(await refusal()).toEqual({ title: a.device.endOfDay.title, advice: a.device.endOfDay.todo });
      // The shift is still open: its desk is on screen, no report.
      expect(await desk().locator("#scan").count()).toBe(1);
      expect(await desk().locator("#report-heading").count()).toBe(0);
      await expectNoAxeViolations(page, "cash desk: end-of-day not confirmed (pl)");
    } finally {
      await terminal().replug();
    }
    await inService();
    // Asked again, the dialog keeps the answer given.
    await button(t.close.button).click();
    expect(await desk().getByRole("radio", { name: t.close.lastShiftYes }).isChecked()).toBe(true);
    await button(t.close.confirm).click();
    await desk().locator("#report-heading").waitFor({ timeout: 20_000 });
    expect(await text("section.report")).toContain(t.report.endOfDay);
    expect(await text(".problem")).toBe("");
    // A new shift, so the desk is as the next test expects it.
    await openDeskShift(page);
  }, 60_000);
});
