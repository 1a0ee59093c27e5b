import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatDate,
  formatDateTime,
  formatMoney,
  formatQuantity,
  parseAmountInput,
} from "../../../ui/src/format.ts";

const plain = (s: string) => s.replace(/\u00a0/g, " ");

describe("amounts on screen", () => {
  it("writes 160,00 zł in Polish and Ukrainian and PLN 160.00 in English", () => {
    expect(plain(formatMoney(16000, "pl"))).toBe("160,00 zł");
    expect(plain(formatMoney(16000, "uk"))).toBe("160,00 zł");
    expect(plain(formatMoney(16000, "en"))).toBe("PLN 160.00");
  });

  it("keeps the grosze exact, including single digits and amounts ending in 51", () => {
    expect(plain(formatMoney(10051, "pl"))).toBe("100,51 zł");
    expect(plain(formatMoney(5, "en"))).toBe("PLN 0.05");
    expect(plain(formatMoney(1250, "pl"))).toBe("12,50 zł");
  });

  it("groups thousands the way each language does", () => {
    expect(plain(formatMoney(160000, "pl"))).toBe("1600,00 zł");
    expect(plain(formatMoney(1600000, "pl"))).toBe("16 000,00 zł");
    expect(plain(formatMoney(160000, "en"))).toBe("PLN 1,600.00");
    expect(plain(formatMoney(123456789, "en"))).toBe("PLN 1,234,567.89");
  });

  it("never lets an amount break across lines", () => {
    expect(formatMoney(16000, "pl")).toContain("\u00a0");
    expect(formatMoney(16000, "en")).toContain("\u00a0");
  });
});

describe("a line of several of a service", () => {
  it("says how many and the price of each, from the line's whole amount", () => {
    expect(plain(formatQuantity({ quantity: 3, amount: 15000 }, "pl"))).toBe("3 × 50,00 zł");
    expect(plain(formatQuantity({ quantity: 2, amount: 1702 }, "en"))).toBe("2 × PLN 8.51");
  });
});

describe("amounts typed on the keypad", () => {
  it("reads comma and dot decimals into grosze", () => {
    expect(parseAmountInput("100,51")).toBe(10051);
    expect(parseAmountInput("100.5")).toBe(10050);
    expect(parseAmountInput("100")).toBe(10000);
    expect(parseAmountInput("0,07")).toBe(7);
    expect(parseAmountInput("16 000,50")).toBe(1600050);
  });

  it("refuses what is not an amount", () => {
    for (const text of ["", ",", "1,234", "1e3", "-5", "12a", "1.2.3"]) {
      expect(parseAmountInput(text)).toBeNull();
    }
  });

  it("round-trips every amount written in Polish", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), (grosze) => {
        const written = plain(formatMoney(grosze, "pl")).replace(" zł", "");
        expect(parseAmountInput(written)).toBe(grosze);
      }),
    );
  });
});

describe("dates on screen", () => {
  it("uses Warsaw time in every language", () => {
    // 23:30 UTC on 31 December is already New Year's Day in Warsaw.
    const iso = "2026-12-31T23:30:00Z";
    expect(formatDateTime(iso, "pl")).toMatch(/1 stycznia 2027.*00:30/);
    expect(formatDateTime(iso, "en")).toMatch(/1 January 2027.*00:30/);
    expect(formatDateTime(iso, "uk")).toMatch(/1 січня 2027.*00:30/);
  });

  it("writes a slip's last valid day in the visitor's language", () => {
    expect(formatDate("20261209", "pl")).toMatch(/9 grudnia 2026/);
    expect(formatDate("2026-12-09", "en")).toMatch(/9 December 2026/);
    expect(formatDate("2026-12-09", "uk")).toMatch(/9 грудня 2026/);
  });
});
