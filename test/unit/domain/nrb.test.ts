import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isValidNip } from "../../../kiosk/domain/nip.ts";
import {
  formatNrb,
  isValidNrb,
  isValidSortCode,
  makeNrb,
  nrbCheckDigits,
  nrbProblem,
  sortCodeCheckDigit,
} from "../../../kiosk/domain/nrb.ts";

const WORKED_EXAMPLE = "PL14 1020 5226 0000 1234 5678 9012";
const digitString = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(""));
const validSortCode = digitString(7).map((first7) => `${first7}${sortCodeCheckDigit(first7)}`);

describe("NRB", () => {
  it("accepts the reference's worked example in every usual spelling", () => {
    expect(isValidNrb(WORKED_EXAMPLE)).toBe(true);
    expect(isValidNrb("14102052260000123456789012")).toBe(true);
    expect(isValidNrb("14 1020 5226 0000 1234 5678 9012")).toBe(true);
    expect(nrbCheckDigits("10205226", "0000123456789012")).toBe("14");
  });

  it("rejects the worked example with any single digit changed", () => {
    const digits = "14102052260000123456789012";
    for (let i = 0; i < digits.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === digits[i]) continue;
        const changed = digits.slice(0, i) + d + digits.slice(i + 1);
        expect(isValidNrb(changed), changed).toBe(false);
      }
    }
  });

  it("knows the sort-code check digits of real published sort codes", () => {
    for (const code of ["10205226", "12405211", "14401039", "15001719", "10301508"]) {
      expect(isValidSortCode(code), code).toBe(true);
    }
    expect(isValidSortCode("10205227")).toBe(false);
    expect(isValidSortCode("1020522")).toBe(false);
  });

  it("says which check failed", () => {
    expect(nrbProblem("1410205226")).toBe("an NRB is 26 digits");
    expect(nrbProblem("15102052260000123456789012")).toBe("invalid NRB check digits");
    // Mod 97 right but the sort code's own check digit wrong.
    expect(nrbProblem(makeNrb("10205227", "0000123456789012"))).toBe("invalid sort-code check digit");
  });

  it("validates every number it generates, and only those check digits", () => {
    fc.assert(
      fc.property(validSortCode, digitString(16), fc.integer({ min: 0, max: 99 }), (sort, account, cc) => {
        const nrb = makeNrb(sort, account);
        expect(nrb).toHaveLength(26);
        expect(isValidNrb(nrb)).toBe(true);
        expect(isValidNrb(`PL${formatNrb(nrb)}`)).toBe(true);
        const other = String(cc).padStart(2, "0");
        if (other !== nrb.slice(0, 2)) expect(isValidNrb(other + nrb.slice(2))).toBe(false);
      }),
    );
  });

  it("catches any swap of two different adjacent digits", () => {
    fc.assert(
      fc.property(validSortCode, digitString(16), fc.integer({ min: 0, max: 24 }), (sort, account, i) => {
        const nrb = makeNrb(sort, account);
        fc.pre(nrb[i] !== nrb[i + 1]);
        const swapped = nrb.slice(0, i) + nrb[i + 1] + nrb[i] + nrb.slice(i + 2);
        expect(isValidNrb(swapped)).toBe(false);
      }),
    );
  });

  it("never accepts the check digits 00, 01 or 99, which generation cannot produce", () => {
    // 02 ≡ 99 and 97 ≡ 00 (mod 97): the same account with the aliased check digits.
    fc.assert(
      fc.property(validSortCode, digitString(16), (sort, account) => {
        const nrb = makeNrb(sort, account);
        const cc = Number(nrb.slice(0, 2));
        expect(cc).toBeGreaterThanOrEqual(2);
        expect(cc).toBeLessThanOrEqual(98);
        for (const alias of ["00", "01", "99"]) expect(isValidNrb(alias + nrb.slice(2))).toBe(false);
      }),
    );
  });

  it("formats in the paper grouping", () => {
    expect(formatNrb("14102052260000123456789012")).toBe("14 1020 5226 0000 1234 5678 9012");
    expect(formatNrb(WORKED_EXAMPLE)).toBe("14 1020 5226 0000 1234 5678 9012");
  });
});

describe("NIP", () => {
  it("accepts the reference example and rejects a wrong check digit", () => {
    expect(isValidNip("1234567883")).toBe(true);
    expect(isValidNip("123-456-78-83")).toBe(true);
    expect(isValidNip("1234567882")).toBe(false);
    expect(isValidNip("123456788")).toBe(false);
    expect(isValidNip("12345678AB")).toBe(false);
  });

  it("never accepts a number whose remainder is 10", () => {
    // For any first nine digits, exactly the one right check digit passes, and none when it would be 10.
    fc.assert(
      fc.property(digitString(9), (first9) => {
        let sum = 0;
        const w = [6, 5, 7, 2, 3, 4, 5, 6, 7];
        for (let i = 0; i < 9; i++) sum += Number(first9[i]) * w[i]!;
        const rest = sum % 11;
        for (let d = 0; d <= 9; d++) expect(isValidNip(first9 + d)).toBe(rest !== 10 && d === rest);
      }),
    );
  });
});
