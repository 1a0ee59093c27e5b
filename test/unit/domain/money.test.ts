import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatAmount,
  formatPlain,
  formatPlainComma,
  MAX_AMOUNT,
  parseAmount,
} from "../../../kiosk/domain/money.ts";

const grosze = fc.integer({ min: 0, max: MAX_AMOUNT });

describe("money in grosze", () => {
  it("formats for people in each language", () => {
    expect(formatAmount(123450, "pl")).toBe("1\u00a0234,50\u00a0zł");
    expect(formatAmount(123450, "uk")).toBe("1\u00a0234,50\u00a0zł");
    expect(formatAmount(123450, "en")).toBe("PLN\u00a01,234.50");
    expect(formatAmount(5, "pl")).toBe("0,05\u00a0zł");
    expect(formatPlain(16000)).toBe("160.00");
    expect(formatPlain(-1)).toBe("-0.01");
    expect(formatPlainComma(1250)).toBe("12,50");
  });

  it("parse(format(x)) = x for every amount and every text form", () => {
    fc.assert(
      fc.property(grosze, (g) => {
        expect(parseAmount(formatPlain(g))).toBe(g);
        expect(parseAmount(formatPlainComma(g))).toBe(g);
        expect(parseAmount(formatAmount(g, "pl"))).toBe(g);
        expect(parseAmount(formatAmount(g, "en").replaceAll(",", ""))).toBe(g);
      }),
    );
  });

  it("refuses what is not a plain amount", () => {
    for (const bad of ["", "-1", "1.234", "12,345", "abc", "1e3", "1.2.3", "10000000.00", "0x10"]) {
      expect(() => parseAmount(bad), bad).toThrow(RangeError);
    }
    expect(() => formatPlain(1.5)).toThrow(RangeError);
  });
});
