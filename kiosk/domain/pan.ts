/**
 * Card numbers must never be stored or logged. The terminal sends masked PANs; this is the last
 * line of defence for anything that could still carry one. One definition of "looks like a card
 * number" serves the database writers, the logger and the log scanner, so they cannot disagree:
 * a run of 13–19 digits — contiguous, or in groups split by single spaces or dashes, not glued to
 * other digits — that passes the Luhn check.
 */

const CANDIDATE = /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/g;

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

export interface CardNumberHit {
  /** The text as found (with separators). */
  text: string;
  index: number;
}

function isCardNumber(run: string): string | null {
  const digits = run.replace(/[ -]/g, "");
  return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? digits : null;
}

/** Every card-number-like run in `text`. */
export function findCardNumbers(text: string): CardNumberHit[] {
  const hits: CardNumberHit[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    if (isCardNumber(match[0])) hits.push({ text: match[0], index: match.index ?? 0 });
  }
  return hits;
}

/** Keeps at most the last four digits of whatever the terminal gave, masking the rest with `*`. */
export function maskPan(pan: string): string {
  const digits = pan.replace(/[^0-9]/g, "");
  return `${"*".repeat(Math.max(digits.length - 4, 4))}${digits.slice(-4)}`;
}

/** Replaces every card-number-like run in `text` by `mask(digits)` (by default: last four only). */
export function maskCardNumbers(text: string, mask: (digits: string) => string = maskPan): string {
  if (!/[0-9]{4}/.test(text)) return text;
  return text.replace(CANDIDATE, (run) => {
    const digits = isCardNumber(run);
    return digits ? mask(digits) : run;
  });
}

/** What the database writers use: every card-number-like run reduced to its last four digits. */
export const scrubPans = (text: string): string => maskCardNumbers(text);

/** True when the text holds something that looks like a full card number. */
export function containsPan(text: string): boolean {
  return findCardNumbers(text).length > 0;
}
