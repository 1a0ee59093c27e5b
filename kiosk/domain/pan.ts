/**
 * Card numbers must never be stored or logged. The terminal sends masked PANs; this is the last
 * line of defence for anything that could still carry one. One definition of "looks like a card
 * number" serves the database writers, the logger and the log scanner, so they cannot disagree:
 * 13–19 digits that pass the Luhn check, contiguous or in groups split by one or two spaces, a dash
 * or a dot (`4111 1111 1111 1111`, `41  11  …`, `4111.1111.1111.1111`), not glued to other digits.
 *
 * Luhn-aware: a run of digit groups is searched for every window of whole groups holding 13–19
 * digits, and the longest valid window from each group wins, so a card number followed or preceded
 * by other grouped digits (`4111 1111 1111 1111 2026`) is still found. A window with a single dot
 * (`12.3456789012345`, a decimal number) is not a card number: dotted card numbers have three dots.
 */

/** Digit groups joined by one separator each: one or two spaces, a dash or a dot. */
const RUN = /(?<![0-9])[0-9]+(?:(?: {1,2}|[.-])[0-9]+)*/g;
const GROUP = /[0-9]+/g;

export function luhnValid(digits: string): boolean {
  if (digits.length === 0) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Issuer prefixes and lengths of the card schemes a Polish acquirer takes (ISO/IEC 7812 ranges as the
 * schemes publish them). The masker does not use this (it masks any Luhn-valid run, erring towards
 * masking); a check that something "is a card number" does, so that a 14-digit timestamp that happens
 * to pass Luhn (`20261205231651`, one in ten do) is not taken for one.
 */
const SCHEMES: ReadonlyArray<{ prefix: RegExp; lengths: readonly number[] }> = [
  { prefix: /^4/, lengths: [13, 16, 19] }, // Visa
  { prefix: /^(5[1-5]|222[1-9]|22[3-9]|2[3-6]|27[01]|2720)/, lengths: [16] }, // Mastercard
  { prefix: /^(50|5[6-9]|6)/, lengths: [12, 13, 14, 15, 16, 17, 18, 19] }, // Maestro, Discover, UnionPay
  { prefix: /^3[47]/, lengths: [15] }, // American Express
  { prefix: /^(30[0-5]|3095|3[689])/, lengths: [14, 15, 16, 17, 18, 19] }, // Diners Club
  { prefix: /^35(2[89]|[3-8])/, lengths: [16, 17, 18, 19] }, // JCB
];

/** True when the digits pass Luhn and have the prefix and length of some card scheme. */
export function plausiblePan(digits: string): boolean {
  return luhnValid(digits) && SCHEMES.some((s) => s.prefix.test(digits) && s.lengths.includes(digits.length));
}

export interface CardNumberHit {
  /** The text as found (with separators). */
  text: string;
  index: number;
}

interface Window {
  /** Offsets into the text. */
  start: number;
  end: number;
  digits: string;
}

/** The card numbers inside one run of digit groups that starts at `offset` in the text. */
function cardNumbersInRun(run: string, offset: number): Window[] {
  const groups = [...run.matchAll(GROUP)].map((m) => ({ start: m.index ?? 0, text: m[0] }));
  const found: Window[] = [];
  let s = 0;
  while (s < groups.length) {
    let best: Window | undefined;
    let bestEnd = s;
    let digits = "";
    for (let e = s; e < groups.length; e++) {
      digits += groups[e]!.text;
      if (digits.length > 19) break;
      if (digits.length < 13 || !luhnValid(digits)) continue;
      const start = groups[s]!.start;
      const end = groups[e]!.start + groups[e]!.text.length;
      if (isDecimalNumber(run.slice(start, end))) continue;
      best = { start: offset + start, end: offset + end, digits };
      bestEnd = e;
    }
    if (best) found.push(best);
    s = best ? bestEnd + 1 : s + 1;
  }
  return found;
}

function isDecimalNumber(text: string): boolean {
  return /^[0-9]+\.[0-9]+$/.test(text);
}

function cardNumberWindows(text: string): Window[] {
  if (!/[0-9]{2}/.test(text)) return [];
  const windows: Window[] = [];
  for (const match of text.matchAll(RUN)) {
    if (match[0].length >= 13) windows.push(...cardNumbersInRun(match[0], match.index ?? 0));
  }
  return windows;
}

/** Every card-number-like run in `text`. */
export function findCardNumbers(text: string): CardNumberHit[] {
  return cardNumberWindows(text).map((w) => ({ text: text.slice(w.start, w.end), index: w.start }));
}

/**
 * True when the text holds a card number a person could have typed or scanned: a run `findCardNumbers`
 * finds whose digits also have a card scheme's prefix and length (`plausiblePan`), written contiguous
 * or grouped by spaces or dashes. Dotted runs are left out here: an office's case sign
 * (`WK.5430.1.1234.2021`) is written that way and passes Luhn one time in ten; the scrubbers still
 * mask them. Used to refuse input that would carry a card number into the database and the messages.
 */
export function holdsCardNumber(text: string): boolean {
  return findCardNumbers(text).some(
    (h) => !h.text.includes(".") && plausiblePan(h.text.replace(/[^0-9]/g, "")),
  );
}

/** Keeps at most the last four digits of whatever the terminal gave, masking the rest with `*`. */
export function maskPan(pan: string): string {
  const digits = pan.replace(/[^0-9]/g, "");
  return `${"*".repeat(Math.max(digits.length - 4, 4))}${digits.slice(-4)}`;
}

/** Replaces every card-number-like run in `text` by `mask(digits)` (by default: last four only). */
export function maskCardNumbers(text: string, mask: (digits: string) => string = maskPan): string {
  const windows = cardNumberWindows(text);
  if (windows.length === 0) return text;
  let out = "";
  let at = 0;
  for (const w of windows) {
    out += text.slice(at, w.start) + mask(w.digits);
    at = w.end;
  }
  return out + text.slice(at);
}

/** What the database writers use: every card-number-like run reduced to its last four digits. */
export const scrubPans = (text: string): string => maskCardNumbers(text);

/**
 * `value` as JSON text with every card-number-like run in its strings, keys and numbers reduced to
 * its last four digits. Masking the serialised text instead would turn a number such as
 * 4111111111111111 into `************1111`, which is not JSON: a jsonb column refuses it and a
 * reader's JSON.parse throws. A number that holds a card number becomes its masked text.
 */
export function scrubbedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "string") return scrubPans(v);
    if (typeof v === "number") {
      const masked = scrubPans(String(v));
      return masked === String(v) ? v : masked;
    }
    if (v !== null && typeof v === "object" && !Array.isArray(v))
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [scrubPans(k), x]));
    return v;
  });
}

/** True when the text holds something that looks like a full card number. */
export function containsPan(text: string): boolean {
  return findCardNumbers(text).length > 0;
}
