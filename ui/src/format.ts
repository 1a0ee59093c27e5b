/**
 * Amounts and dates as a person reads them. Money stays integer grosze until the last step:
 * the złoty and grosz parts are split with integer arithmetic, never through a float.
 */
import type { Language } from "./api.ts";

const NBSP = "\u00a0";

function group(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** `160,00 zł` in pl and uk, `PLN 160.00` in en. A non-breaking space keeps an amount on one line. */
export function formatMoney(grosze: number, lang: Language): string {
  const negative = grosze < 0;
  const abs = Math.abs(Math.trunc(grosze));
  const zloty = String(Math.floor(abs / 100));
  const cents = String(abs % 100).padStart(2, "0");
  const sign = negative ? "-" : "";
  if (lang === "en") return `${sign}PLN${NBSP}${group(zloty, ",")}.${cents}`;
  // Polish typography groups thousands only from five digits on (1600,00 but 16 000,00).
  const whole = zloty.length > 4 ? group(zloty, NBSP) : zloty;
  return `${sign}${whole},${cents}${NBSP}zł`;
}

/**
 * `2 × 50,00 zł`: how many of a service a line holds and the price of each. A line's amount is the whole
 * (unit price × quantity, kiosk/domain/basket.ts), so the division is exact; rounded all the same, so
 * that a grosz amount is what gets formatted.
 */
export function formatQuantity(line: { quantity: number; amount: number }, lang: Language): string {
  return `${line.quantity} × ${formatMoney(Math.round(line.amount / line.quantity), lang)}`;
}

const LOCALES: Record<Language, string> = { pl: "pl-PL", en: "en-GB", uk: "uk-UA" };

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

/**
 * One formatter per language and style, made on first use: building an Intl.DateTimeFormat loads its
 * locale data, about a millisecond of the summary's render each time on a loaded kiosk.
 */
function formatter(lang: Language, style: "date" | "dateTime"): Intl.DateTimeFormat {
  const key = `${lang}:${style}`;
  let made = FORMATTERS.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(LOCALES[lang], {
      dateStyle: "long",
      ...(style === "dateTime" ? { timeStyle: "short" } : {}),
      timeZone: "Europe/Warsaw",
    });
    FORMATTERS.set(key, made);
  }
  return made;
}

export function formatDateTime(iso: string, lang: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter(lang, "dateTime").format(date);
}

/** A calendar day (`YYYY-MM-DD` or `YYYYMMDD`) written out in the visitor's language. */
export function formatDate(day: string, lang: Language): string {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(day);
  if (!match) return day;
  // Noon UTC is the same calendar day in Warsaw whatever the season.
  const date = new Date(`${match[1]}-${match[2]}-${match[3]}T12:00:00Z`);
  return formatter(lang, "date").format(date);
}

/**
 * What the visitor typed on the keypad (`100`, `100,5`, `100.51`) as grosze, or null when it is not
 * an amount. At most two decimals; no sign, no exponent; spaces between digit groups are fine.
 */
export function parseAmountInput(text: string): number | null {
  // Spaces are allowed where a person (or our own formatting) groups thousands.
  const match = /^(\d{1,9})(?:[.,](\d{0,2}))?$/.exec(text.replace(/[\s\u00a0]/g, ""));
  if (!match) return null;
  const zloty = Number.parseInt(match[1]!, 10);
  const cents = Number.parseInt((match[2] ?? "").padEnd(2, "0"), 10);
  return zloty * 100 + cents;
}

/** A label that starts a line or a title ("numer decyzji" → "Numer decyzji"). */
export function sentenceCase(text: string, lang: Language): string {
  return text.charAt(0).toLocaleUpperCase(lang) + text.slice(1);
}
