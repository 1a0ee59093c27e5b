/**
 * Card numbers must never be stored or logged. The terminal sends masked PANs; this is the last
 * line of defence for anything that could still carry one.
 */

/** Luhn check over a digit string. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let total = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
    double = !double;
  }
  return total % 10 === 0;
}

/** Keeps at most the last four digits of whatever the terminal gave, masking the rest with `*`. */
export function maskPan(pan: string): string {
  const digits = pan.replace(/[^0-9]/g, "");
  const shown = digits.slice(-4);
  return `${"*".repeat(Math.max(digits.length - 4, 4))}${shown}`;
}

const DIGIT_RUN = /\d[\d -]{11,22}\d/g;

/** Replaces every Luhn-valid 13–19-digit run (spaces or dashes allowed) by its masked form. */
export function scrubPans(text: string): string {
  return text.replace(DIGIT_RUN, (run) => {
    const digits = run.replace(/[ -]/g, "");
    return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? maskPan(digits) : run;
  });
}

/** True when the text holds something that looks like a full card number. */
export function containsPan(text: string): boolean {
  return scrubPans(text) !== text;
}
