/**
 * The accounting export (SPEC §7): one row per payment line of every payment the terminal approved
 * (still approved, or reversed since), in CSV (standard or excel-pl dialect) or JSON, streamed.
 */
import { PassThrough, type Readable, type Writable } from "node:stream";
import { formatPlain } from "../domain/money.ts";
import { polishLabel } from "../store/payment-record.ts";
import type { Db } from "../store/db.ts";
import { type CsvDialect, csvRow, csvStyle } from "../domain/csv.ts";
import { type PaidLineRow, scanPaidLines } from "../store/paid-lines.ts";
import { type CsvLineFormat, scanPaidLinesCsv } from "../store/paid-lines-csv.ts";
import { Sink } from "./sink.ts";

export const EXPORT_COLUMNS = [
  "payment_id",
  "paid_at",
  "office",
  "kiosk",
  "slip",
  "case",
  "line_no",
  "code",
  "label",
  "recipient",
  "recipient_nrb",
  "amount",
  "currency",
  "card_brand",
  "masked_pan",
  "auth_code",
  "terminal_id",
  "trace_no",
  "status",
] as const;

export type ExportFormat = "csv" | "json";

export interface ExportOptions {
  /** Inclusive business days, YYYY-MM-DD (Europe/Warsaw). */
  from: string;
  to: string;
  format: ExportFormat;
  dialect?: CsvDialect;
  pageSize?: number;
}

/** The values of one export row, in column order; `amount` already written for the dialect. */
export function exportValues<A>(
  r: PaidLineRow,
  amount: (grosze: number) => A,
): Array<string | number | A | null> {
  return [
    r.id,
    r.paid_at,
    r.office_id,
    r.kiosk_id,
    r.line_slip_id,
    r.line_case_ref,
    r.line_no,
    r.code,
    polishLabel(r.label),
    r.recipient,
    r.recipient_nrb,
    amount(r.amount),
    r.currency,
    r.card_brand,
    r.masked_pan,
    r.auth_code,
    r.terminal_id,
    r.trace_no,
    r.payment_status,
  ];
}

/** How SQLite writes a row of the export in a dialect (paid-lines-csv.ts). */
export function csvLineFormat(dialect: CsvDialect): CsvLineFormat {
  return dialect === "excel-pl" ? { delimiter: ";", decimal: "," } : { delimiter: ",", decimal: "." };
}

/** Writes the export to `out` (which it does not end); returns the number of rows. */
export async function writeAccountingExport(
  db: Db,
  options: ExportOptions,
  out: Writable | NodeJS.WritableStream,
): Promise<{ rows: number }> {
  const sink = new Sink(out);
  let rows = 0;
  const scan = {
    fromDay: options.from,
    toDay: options.to,
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  };
  if (options.format === "json") {
    sink.write("[");
    await scanPaidLines(
      db,
      scan,
      (r) => {
        const values = exportValues(r, formatPlain);
        const obj: Record<string, string | number | null> = {};
        EXPORT_COLUMNS.forEach((c, i) => {
          obj[c] = values[i] ?? null;
        });
        sink.write((rows === 0 ? "\n" : ",\n") + JSON.stringify(obj));
        rows++;
      },
      () => sink.drain(),
    );
    sink.write(rows === 0 ? "]\n" : "\n]\n");
    await sink.drain();
    return { rows };
  }
  const dialect = options.dialect ?? "standard";
  const style = csvStyle(dialect);
  sink.write(style.preamble + csvRow(EXPORT_COLUMNS, style.delimiter));
  await scanPaidLinesCsv(
    db,
    { ...scan, ...csvLineFormat(dialect) },
    (text, n) => {
      sink.write(text);
      rows += n;
    },
    () => sink.drain(),
  );
  await sink.drain();
  return { rows };
}

/** The export as a readable stream, e.g. an HTTP download body; errors surface as a stream error. */
export function accountingExportStream(db: Db, options: ExportOptions): Readable {
  const out = new PassThrough();
  writeAccountingExport(db, options, out).then(
    () => out.end(),
    (e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))),
  );
  return out;
}

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
};
