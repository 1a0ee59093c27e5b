/**
 * Money is an integer number of grosze everywhere in data. Text forms exist only for people
 * (screens, receipts, CSV) and are produced and parsed here with integer arithmetic only.
 */
import type { Language } from "./language.ts";

export type Grosze = number;

export const MAX_AMOUNT = 999_999_999;

/**
 * The largest total one payment may have: 999 999 999,99 zł, the most an OPLR1 receipt code's total
 * holds (11 digits, receipt-code.ts). A basket of services and slips can add up to more (99 of a
 * 9 999 999,99 zł service is 98 999 999,01 zł a line, up to 20 items); such a basket is refused while it
 * is built, since the approval of a payment whose receipt code cannot be written is refused at the
 * terminal, after the visitor's card was presented.
 */
export const MAX_PAYMENT_TOTAL = 99_999_999_999;

export function isGrosze(value: unknown): value is Grosze {
  return typeof value === "number" && Number.isSafeInteger(value);
}

function split(grosze: Grosze): { sign: string; zloty: string; gr: string } {
  if (!isGrosze(grosze)) throw new RangeError(`not an integer amount of grosze: ${String(grosze)}`);
  const abs = Math.abs(grosze);
  return {
    sign: grosze < 0 ? "-" : "",
    zloty: String(Math.trunc(abs / 100)),
    gr: String(abs % 100).padStart(2, "0"),
  };
}

function group(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** `160.00`: the plain form of CSV exports and machine-readable places (SPEC §7). */
export function formatPlain(grosze: Grosze): string {
  const { sign, zloty, gr } = split(grosze);
  return `${sign}${zloty}.${gr}`;
}

/** `160,00`: the excel-pl dialect's decimal comma. */
export function formatPlainComma(grosze: Grosze): string {
  return formatPlain(grosze).replace(".", ",");
}

const NBSP = "\u00a0";

/** For people: `1 234,50 zł` in Polish and Ukrainian, `PLN 1,234.50` in English. */
export function formatAmount(grosze: Grosze, language: Language): string {
  const { sign, zloty, gr } = split(grosze);
  if (language === "en") return `${sign}PLN${NBSP}${group(zloty, ",")}.${gr}`;
  return `${sign}${group(zloty, NBSP)},${gr}${NBSP}zł`;
}

/**
 * Parses what a person typed or a document says (`160`, `160,5`, `1 234.50`, `PLN 12.00`, `12,00 zł`)
 * into grosze. Refuses negatives, more than two decimals and anything that is not a plain amount.
 */
export function parseAmount(text: string): Grosze {
  const cleaned = text
    .trim()
    .replace(/^PLN\s*/i, "")
    .replace(/\s*(zł|PLN)$/i, "")
    .replace(/[\s\u00a0]/g, "");
  const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(cleaned);
  if (!m) throw new RangeError(`not an amount: ${JSON.stringify(text)}`);
  const zloty = Number(m[1]);
  const gr = Number((m[2] ?? "0").padEnd(2, "0"));
  const value = zloty * 100 + gr;
  if (value > MAX_AMOUNT) throw new RangeError(`amount too large: ${text}`);
  return value;
}

export function sum(amounts: readonly Grosze[]): Grosze {
  let total = 0;
  for (const a of amounts) {
    if (!isGrosze(a)) throw new RangeError(`not an integer amount of grosze: ${String(a)}`);
    total += a;
  }
  if (!Number.isSafeInteger(total)) throw new RangeError("sum overflows");
  return total;
}
