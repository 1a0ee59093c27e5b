/**
 * RFC 4180 fields and rows, in the standard dialect (`,`, `160.00`) or excel-pl (`;`, `160,00`, BOM).
 * Every CSV the kiosk writes goes through `csvRow`: a text cell is neutralised against formula
 * injection (spreadsheet-text.ts); a number, or an amount the dialect formatted (`CsvNumber`),
 * is written as it is.
 */
import { formatPlain, formatPlainComma } from "./money.ts";
import { spreadsheetSafeText } from "./spreadsheet-text.ts";

export type CsvDialect = "standard" | "excel-pl";

/** A number already written as text for the dialect (`-1.00`, `160,00`): a numeric cell, never neutralised. */
export class CsvNumber {
  constructor(readonly text: string) {}
}

export type CsvValue = string | number | CsvNumber | null | undefined;

export interface CsvStyle {
  delimiter: string;
  amount: (grosze: number) => CsvNumber;
  /** Written once before the first row. */
  preamble: string;
}

export function csvStyle(dialect: CsvDialect): CsvStyle {
  return dialect === "excel-pl"
    ? { delimiter: ";", amount: (g) => new CsvNumber(formatPlainComma(g)), preamble: "\uFEFF" }
    : { delimiter: ",", amount: (g) => new CsvNumber(formatPlain(g)), preamble: "" };
}

export function csvField(value: CsvValue, delimiter: string): string {
  if (value === null || value === undefined) return "";
  const text =
    typeof value === "string"
      ? spreadsheetSafeText(value)
      : value instanceof CsvNumber
        ? value.text
        : String(value);
  if (text.includes(delimiter) || /["\r\n]/.test(text)) return `"${text.replaceAll('"', '""')}"`;
  return text;
}

export function csvRow(values: ReadonlyArray<CsvValue>, delimiter: string): string {
  return values.map((v) => csvField(v, delimiter)).join(delimiter) + "\r\n";
}
