/** The settlement report in a chosen format, to a stream or to a file (written whole or not at all). */
import { PassThrough, type Readable, type Writable } from "node:stream";
import type { KioskConfig } from "../config/types.ts";
import type { Db } from "../store/db.ts";
import type { CsvDialect } from "../domain/csv.ts";
import { writeCompleteFile } from "./complete-file.ts";
import { writeSettlementCsv } from "./settlement-csv.ts";
import { writeSettlementJson } from "./settlement-json.ts";
import { type SettlementSummary, settlementSummary } from "./settlement-summary.ts";

export type ReportFormat = "json" | "csv" | "pdf";

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  pdf: "application/pdf",
};

export async function writeSettlementReport(
  db: Db,
  summary: SettlementSummary,
  format: ReportFormat,
  out: Writable | NodeJS.WritableStream,
  dialect: CsvDialect = "standard",
): Promise<void> {
  if (format === "json") return writeSettlementJson(db, summary, out);
  if (format === "csv") return writeSettlementCsv(db, summary, out, dialect);
  // pdfkit is the heaviest module the daemon could load; only a PDF report needs it.
  const { writeSettlementPdf } = await import("./settlement-pdf.ts");
  return writeSettlementPdf(db, summary, out);
}

/** Writes the report complete or not at all (complete-file.ts: a device or FIFO is written as it is). */
export async function writeReportFile(
  db: Db,
  summary: SettlementSummary,
  format: ReportFormat,
  file: string,
  dialect: CsvDialect = "standard",
): Promise<void> {
  await writeCompleteFile(file, (out) => writeSettlementReport(db, summary, format, out, dialect));
}

/** A readable report, e.g. an HTTP download body; errors surface as a stream error. */
export function settlementReportStream(
  db: Db,
  config: KioskConfig,
  day: string,
  format: ReportFormat,
  now: Date = new Date(),
): Readable {
  const out = new PassThrough();
  const summary = settlementSummary(db, config, day, now);
  writeSettlementReport(db, summary, format, out).then(
    () => out.end(),
    (e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))),
  );
  return out;
}
