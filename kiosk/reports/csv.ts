/** RFC 4180 fields and rows, in the standard dialect (`,`, `160.00`) or excel-pl (`;`, `160,00`, BOM). */
import { formatPlain, formatPlainComma } from "../domain/money.ts";

export type CsvDialect = "standard" | "excel-pl";

export interface CsvStyle {
  delimiter: string;
  amount: (grosze: number) => string;
  /** Written once before the first row. */
  preamble: string;
}

export function csvStyle(dialect: CsvDialect): CsvStyle {
  return dialect === "excel-pl"
    ? { delimiter: ";", amount: formatPlainComma, preamble: "\uFEFF" }
    : { delimiter: ",", amount: formatPlain, preamble: "" };
}

export function csvField(value: string | number | null | undefined, delimiter: string): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  if (text.includes(delimiter) || /["\r\n]/.test(text)) return `"${text.replaceAll('"', '""')}"`;
  return text;
}

export function csvRow(values: ReadonlyArray<string | number | null | undefined>, delimiter: string): string {
  return values.map((v) => csvField(v, delimiter)).join(delimiter) + "\r\n";
}
