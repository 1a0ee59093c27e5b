/**
 * One payment's total has a ceiling: 999 999 999,99 zł, the most an OPLR1 receipt code holds (SPEC §2;
 * kiosk/domain/money.ts MAX_PAYMENT_TOTAL). A basket can add up to more (99 of a 9 999 999,99 zł service
 * is 98 999 999,01 zł a line). Found by the grosz pass (2026-12-08): such a basket was shown and its
 * payment started; the terminal approved it, the kiosk could not write its receipt code, refused the
 * approval (the terminal reversed it) and the visitor read "Payment cancelled". Now the basket is refused
 * while it is built, with nothing stored and the terminal never asked; one at the ceiling's side is paid.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { KioskConfig } from "../../../kiosk/config/types.ts";
import { parseReceiptCode } from "../../../kiosk/domain/receipt-code.ts";
import { type Harness, makeHarness, waitForState } from "../../helpers/kiosk-harness.ts";
import { issueSlip } from "../../helpers/test-config.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The largest price the configuration allows (config/schema.json's grosze), up to 99 a basket. */
const MAX_PRICE = 999_999_999;

async function setup(): Promise<Harness> {
  h = await makeHarness({
    logName: "payment-total-limit",
    config: (c: KioskConfig) => ({
      ...c,
      catalog: [
        {
          code: "BIG",
          label: { pl: "Usługa największa", en: "Largest service" },
          price: MAX_PRICE,
          maxQuantity: 99,
          recipient: "POWIAT",
          validFrom: "2026-01-01",
        },
      ],
      handlingFee: { amount: 200, recipient: "OPERATOR" },
    }),
  });
  return h;
}

const post = (harness: Harness, url: string, payload: object) =>
  harness.kiosk.app.inject({ method: "POST", url, payload });

function stored(harness: Harness): { sessions: number; lines: number } {
  const n = (table: string) =>
    (harness.kiosk.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { sessions: n("sessions"), lines: n("session_lines") };
}

describe("a payment's total ceiling", () => {
  it("refuses a basket over 999 999 999,99 zł while it is built: 422, nothing stored, no card asked", async () => {
    const harness = await setup();
    const before = stored(harness);
    // 99 + 2 of the largest price: 1 009 999 998,99 zł with the fee.
    const res = await post(harness, "/api/basket", {
      items: [
        { code: "BIG", quantity: 99 },
        { code: "BIG", quantity: 2 },
      ],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: "VALIDATION" });
    expect(res.json().title).toContain("999999999.99 PLN");
    expect(stored(harness)).toEqual(before);
    expect(harness.kiosk.flow.view().state).toBe("idle");
    expect(harness.terminal.turnover).toHaveLength(0);
  });

  it("refuses a slip that would take the summary over the ceiling, and keeps the summary as it was", async () => {
    const harness = await setup();
    const first = await post(harness, "/api/basket", { items: [{ code: "BIG", quantity: 99 }] });
    expect(first.statusCode).toBe(200);
    const held = harness.kiosk.flow.view();
    const slip = issueSlip(harness.keys, { lines: [{ code: "DR", amount: MAX_PRICE }] });
    const res = await post(harness, "/api/session/slips", { payload: slip });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: "VALIDATION" });
    const view = harness.kiosk.flow.view();
    expect(view.state).toBe("summary");
    expect(view.total).toBe(held.total);
    expect(view.slips).toEqual([]);
  });

  it("pays a basket of 99 of the largest price, its receipt code carrying the whole total", async () => {
    const harness = await setup();
    const res = await post(harness, "/api/basket", { items: [{ code: "BIG", quantity: 99 }] });
    expect(res.statusCode).toBe(200);
    const total = 99 * MAX_PRICE + 200;
    expect(harness.kiosk.flow.view().total).toBe(total);
    expect((await post(harness, "/api/session/pay", {})).statusCode).toBe(202);
    await waitForState(harness.kiosk, ["done"]);
    const payment = harness.kiosk.flow.view().payment;
    expect(payment?.status).toBe("approved");
    const code = parseReceiptCode(payment?.verificationCode ?? "");
    expect(code.ok && code.code.total).toBe(total);
    expect(harness.terminal.turnover.map((t) => t.amount)).toEqual([total]);
  });
});
