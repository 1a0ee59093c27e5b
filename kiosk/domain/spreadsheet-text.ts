/**
 * CSV formula injection (OWASP "CSV Injection"): a spreadsheet reads a cell that starts with `=`, `+`,
 * `-` or `@` as a formula, and tab or carriage return let a cell start one after Excel trims it. Text
 * that reaches a CSV from outside (a case reference from a slip, a label, a slip id, a void reason) is
 * therefore written with a leading `'`, which the spreadsheet shows as text and does not evaluate.
 *
 * Only text is neutralised, never the numbers the project formats itself (amounts such as `-1.00`,
 * counts): those are numeric columns whose content is ours, and a `'` would turn them into text and
 * break every sum in the accountant's sheet. Pure, so both the kiosk's and the hub's exports use it.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function spreadsheetSafeText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
