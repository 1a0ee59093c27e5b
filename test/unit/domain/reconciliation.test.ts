/**
 * End-of-day reconciliation: what the terminal's totals can prove about payments one side holds and
 * the other does not — per card family, sized, with the kiosk's candidates named.
 */
import { describe, expect, it } from "vitest";
import { cardFamily, reconcile } from "../../../kiosk/domain/reconciliation.ts";

const pay = (id: string, total: number, brand: string | null) => ({ id, total, brand, receiptNo: null });

describe("end-of-day reconciliation", () => {
  it("matches when the kiosk's payments are the terminal's, family by family", () => {
    const r = reconcile([pay("a", 5000, "VISA"), pay("b", 9400, "Mastercard")], {
      count: 2,
      total: 14400,
      perBrand: { Visa: { count: 1, total: 5000 }, Mastercard: { count: 1, total: 9400 } },
    });
    expect(r).toMatchObject({ matches: true, differences: [], proof: "per_brand_totals" });
  });

  it("sizes a payment the terminal holds and the kiosk does not, in its card family", () => {
    const r = reconcile([pay("a", 5000, "VISA")], {
      count: 2,
      total: 10000,
      perBrand: { Visa: { count: 2, total: 10000 } },
    });
    expect(r.matches).toBe(false);
    expect(r.differences).toEqual([
      { kind: "terminal_only", brand: "Visa", count: 1, total: 5000, candidates: [], likely: null },
    ]);
  });

  it("names the kiosk's candidates for a payment the terminal does not hold, and the exact one", () => {
    const r = reconcile([pay("a", 5000, "Maestro"), pay("b", 7300, "MASTERCARD")], {
      count: 1,
      total: 5000,
      perBrand: { Mastercard: { count: 1, total: 5000 } },
    });
    expect(r.differences).toEqual([
      { kind: "kiosk_only", brand: "Mastercard", count: 1, total: 7300, candidates: ["a", "b"], likely: "b" },
    ]);
  });

  it("can only compare batch totals when the terminal gives no per-family totals", () => {
    const r = reconcile([pay("a", 5000, "VISA")], { count: 1, total: 4000 });
    expect(r).toMatchObject({ matches: false, proof: "batch_totals" });
    expect(r.differences[0]).toMatchObject({ kind: "kiosk_only", brand: "all", count: 0, total: 1000 });
  });

  it("puts brands the way the terminal's single totals group them", () => {
    expect(
      ["VISA", "Visa Electron", "Maestro", "American Express", "girocard", "UnionPay", null].map(cardFamily),
    ).toEqual(["Visa", "Visa", "Mastercard", "Amex", "girocard", "other", "other"]);
  });
});
