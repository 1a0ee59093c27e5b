/**
 * What the `oplatomat report settlement` and `oplatomat export payments` commands run (SPEC §5),
 * with their input checked here so the CLI only parses flags.
 */
import type { Writable } from "node:stream";
import type { KioskConfig } from "../config/types.ts";
import { isRealDay } from "../domain/time.ts";
import { type Db, readSnapshot, readTogether } from "../store/db.ts";
import { type ExportFormat, writeAccountingExport } from "./accounting-export.ts";
import type { CsvDialect } from "../domain/csv.ts";
import { type ElixirEncoding, ElixirError, elixirTransfers, encodeElixir } from "./elixir.ts";
import { ReportingError } from "./errors.ts";
import { type ReportFormat, writeReportFile, writeSettlementReport } from "./settlement-report.ts";
import { type SettlementSummary, settlementSummary } from "./settlement-summary.ts";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function checkDay(name: string, value: string): void {
  if (!DAY.test(value) || !isRealDay(value))
    throw new ReportingError(
      "VALIDATION",
      "invalid_input",
      `--${name} must be a day YYYY-MM-DD, got ${JSON.stringify(value)}`,
    );
}

export interface SettlementReportCommand {
  db: Db;
  config: KioskConfig;
  date: string;
  format?: ReportFormat;
  /** A file path (written atomically), or a stream (standard output by default). */
  out?: string | Writable | NodeJS.WritableStream;
  dialect?: CsvDialect;
  now?: Date;
  /** Where a warning for the person running the report goes (the command's standard error). */
  warn?: (text: string) => void;
}

/**
 * The day's payments only staff can settle, as one warning line for the person running the command:
 * they are in no total of the report (the JSON's `undecided` member and the CSV's `undecided` block
 * list them for tools).
 */
export function undecidedWarning(summary: SettlementSummary): string | null {
  const ids = summary.undecided.map((u) => u.paymentId);
  if (ids.length === 0) return null;
  const what = ids.length === 1 ? "1 payment" : `${ids.length} payments`;
  const verb = ids.length === 1 ? "awaits" : "await";
  return (
    `warning: ${what} of ${summary.header.day} ${verb} a staff decision: ${ids.join(", ")} ` +
    "(the card terminal could not prove whether the card was charged; not in this report's totals)\n"
  );
}

export async function runSettlementReportCommand(cmd: SettlementReportCommand): Promise<SettlementSummary> {
  checkDay("date", cmd.date);
  const format = cmd.format ?? "json";
  if (!["json", "csv", "pdf"].includes(format))
    throw new ReportingError(
      "VALIDATION",
      "invalid_input",
      `--format must be json, csv or pdf, got ${format}`,
    );
  // One snapshot for the totals and the payments listed under them (store/db.ts readSnapshot).
  const summary = await readSnapshot(cmd.db, async () => {
    const summary = settlementSummary(cmd.db, cmd.config, cmd.date, cmd.now ?? new Date());
    if (typeof cmd.out === "string") await writeReportFile(cmd.db, summary, format, cmd.out, cmd.dialect);
    else await writeSettlementReport(cmd.db, summary, format, cmd.out ?? process.stdout, cmd.dialect);
    return summary;
  });
  const warning = undecidedWarning(summary);
  if (warning) cmd.warn?.(warning);
  return summary;
}

export interface ExportPaymentsCommand {
  db: Db;
  config?: KioskConfig;
  from: string;
  to: string;
  format?: ExportFormat;
  dialect?: CsvDialect;
  stdout?: Writable | NodeJS.WritableStream;
}

export async function runExportPaymentsCommand(cmd: ExportPaymentsCommand): Promise<{ rows: number }> {
  checkDay("from", cmd.from);
  checkDay("to", cmd.to);
  if (cmd.from > cmd.to)
    throw new ReportingError("VALIDATION", "invalid_input", "--from must not be after --to");
  const format = cmd.format ?? "csv";
  if (format !== "csv" && format !== "json")
    throw new ReportingError(
      "VALIDATION",
      "invalid_input",
      `--format must be csv or json, got ${String(format)}`,
    );
  const dialect = cmd.dialect ?? "standard";
  if (dialect !== "standard" && dialect !== "excel-pl")
    throw new ReportingError(
      "VALIDATION",
      "invalid_input",
      `--dialect must be excel-pl, got ${String(dialect)}`,
    );
  // Its pages read in one snapshot: a payment committed meanwhile is in none of them, not in a later one.
  return readSnapshot(cmd.db, () =>
    writeAccountingExport(
      cmd.db,
      { from: cmd.from, to: cmd.to, format, dialect },
      cmd.stdout ?? process.stdout,
    ),
  );
}

/**
 * The day's Elixir-O payout file (SPEC §5 `report payouts`): one type-110 transfer per recipient
 * account for the day's net amount (approved payments; reversed ones are out), from the ordering
 * account (the handling fee's recipient), in the bank's encoding. Empty when nothing is to be paid.
 */
export function payoutFile(
  db: Db,
  config: KioskConfig,
  date: string,
  encoding: ElixirEncoding,
  now: Date = new Date(),
): Buffer {
  checkDay("date", date);
  const summary = readTogether(db, () => settlementSummary(db, config, date, now));
  try {
    return encodeElixir(elixirTransfers(summary, config), encoding);
  } catch (e) {
    if (e instanceof ElixirError) throw new ReportingError("CONFLICT", "invalid_input", e.message);
    throw e;
  }
}
