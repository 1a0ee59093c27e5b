/**
 * Polish bank account numbers (NRB, SPEC §3 recipients): 2 check digits, an 8-digit sort code whose last
 * digit checks the first seven, and a 16-digit account. The IBAN check (ISO 7064 mod 97-10) covers all.
 */

const SORT_CODE_WEIGHTS = [3, 9, 7, 1, 3, 9, 7] as const;
/** "PL" as IBAN letters (P = 25, L = 21). */
const COUNTRY_DIGITS = "2521";

/** Remainder of a long decimal string modulo 97, in chunks so no step exceeds 2^53. */
function mod97(digits: string): number {
  let rest = 0;
  for (let i = 0; i < digits.length; i += 7) {
    rest = Number(String(rest) + digits.slice(i, i + 7)) % 97;
  }
  return rest;
}

/** Strips spaces and an optional `PL` prefix; the result is not checked. */
export function normalizeNrb(nrb: string): string {
  const compact = nrb.replace(/\s+/g, "");
  return /^PL/i.test(compact) ? compact.slice(2) : compact;
}

/** The sort code's own check digit (the eighth) over its first seven digits. */
export function isValidSortCode(sortCode8: string): boolean {
  if (!/^\d{8}$/.test(sortCode8)) return false;
  return sortCodeCheckDigit(sortCode8.slice(0, 7)) === Number(sortCode8[7]);
}

/** The check digit for the first seven digits of a sort code. */
export function sortCodeCheckDigit(first7: string): number {
  if (!/^\d{7}$/.test(first7)) throw new RangeError("a sort code prefix is 7 digits");
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(first7[i]) * SORT_CODE_WEIGHTS[i]!;
  return (10 - (sum % 10)) % 10;
}

/** The two NRB check digits for a sort code and account number. */
export function nrbCheckDigits(sortCode8: string, account16: string): string {
  if (!/^\d{8}$/.test(sortCode8)) throw new RangeError("a sort code is 8 digits");
  if (!/^\d{16}$/.test(account16)) throw new RangeError("an account number is 16 digits");
  const check = 98 - mod97(`${sortCode8}${account16}${COUNTRY_DIGITS}00`);
  return String(check).padStart(2, "0");
}

/** A complete 26-digit NRB (no spaces). */
export function makeNrb(sortCode8: string, account16: string): string {
  return `${nrbCheckDigits(sortCode8, account16)}${sortCode8}${account16}`;
}

/** Why an NRB is wrong, or `undefined` when it is valid. Accepts spaces and a `PL` prefix. */
export function nrbProblem(nrb: string): string | undefined {
  const digits = normalizeNrb(nrb);
  if (!/^\d{26}$/.test(digits)) return "an NRB is 26 digits";
  // Generation yields 02..98 only; 00, 01 and 99 would alias 97, 98 and 02 and are never issued.
  const check = Number(digits.slice(0, 2));
  if (check < 2 || check > 98 || mod97(`${digits.slice(2)}${COUNTRY_DIGITS}${digits.slice(0, 2)}`) !== 1) {
    return "invalid NRB check digits";
  }
  if (!isValidSortCode(digits.slice(2, 10))) return "invalid sort-code check digit";
  return undefined;
}

export function isValidNrb(nrb: string): boolean {
  return nrbProblem(nrb) === undefined;
}

/** Paper form, 2 + 6×4 digits: `14 1020 5226 0000 1234 5678 9012`. */
export function formatNrb(nrb: string): string {
  const digits = normalizeNrb(nrb);
  const groups = [digits.slice(0, 2)];
  for (let i = 2; i < digits.length; i += 4) groups.push(digits.slice(i, i + 4));
  return groups.join(" ");
}
