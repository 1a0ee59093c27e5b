/**
 * The settlement report as CSV for an accountant's spreadsheet: blocks separated by an empty line,
 * each opened by its title row — header, totals per recipient, per component, reconciliation,
 * reversals, the payments awaiting staff's verdict (only on a day that has one), then every payment
 * line with the columns of the accounting export (SPEC §7).
 */
import type { Writable } from "node:stream";
import type { Db } from "../store/db.ts";
import { csvLineFormat, EXPORT_COLUMNS } from "./accounting-export.ts";
import { type CsvDialect, type CsvValue, csvRow, csvStyle } from "../domain/csv.ts";
import { scanPaidLinesCsv } from "../store/paid-lines-csv.ts";
import type { SettlementSummary } from "./settlement-summary.ts";
import { Sink } from "./sink.ts";

export async function writeSettlementCsv(
  db: Db,
  s: SettlementSummary,
  out: Writable | NodeJS.WritableStream,
  dialect: CsvDialect = "standard",
): Promise<void> {
  const sink = new Sink(out);
  const { delimiter: d, amount, preamble } = csvStyle(dialect);
  const money = (v: number | null) => (v === null ? "" : amount(v));
  const row = (values: CsvValue[]) => sink.write(csvRow(values, d));
  const h = s.header;
  const t = s.totals;
  const r = s.reconciliation;
  sink.write(preamble);
  row(["settlement_report"]);
  row([
    "report_id",
    "office",
    "office_name",
    "office_nip",
    "kiosk",
    "day",
    "timezone",
    "currency",
    "generated_at",
  ]);
  row([
    h.reportId,
    h.office.id,
    h.office.name,
    h.office.nip,
    h.kiosk,
    h.day,
    h.timezone,
    h.currency,
    h.generatedAt,
  ]);
  sink.write("\r\n");
  row(["totals"]);
  row(["approved_count", "approved_total", "reversed_count", "reversed_total"]);
  row([t.approvedCount, amount(t.approvedTotal), t.reversedCount, amount(t.reversedTotal)]);
  sink.write("\r\n");
  row(["per_recipient"]);
  row(["recipient", "name", "nrb", "lines", "amount"]);
  for (const x of t.perRecipient) row([x.recipient, x.name, x.nrb, x.lines, amount(x.amount)]);
  sink.write("\r\n");
  row(["per_component"]);
  row(["code", "label", "recipient", "lines", "quantity", "amount"]);
  for (const x of t.perComponent) row([x.code, x.label, x.recipient, x.lines, x.quantity, amount(x.amount)]);
  sink.write("\r\n");
  row(["reconciliation"]);
  row([
    "kiosk_count",
    "kiosk_total",
    "terminal_count",
    "terminal_total",
    "difference_count",
    "difference_total",
    "status",
  ]);
  row([
    r.kioskCount,
    amount(r.kioskTotal),
    r.terminalCount,
    money(r.terminalTotal),
    r.differenceCount,
    money(r.differenceTotal),
    r.status,
  ]);
  sink.write("\r\n");
  row(["reversals"]);
  row(["payment_id", "paid_at", "reversed_at", "slip", "case", "total", "reason"]);
  for (const x of s.reversals)
    row([x.paymentId, x.paidAt, x.reversedAt, x.slip, x.case, amount(x.total), x.reason]);
  sink.write("\r\n");
  // A day with a payment only staff can settle says so in a block of its own, before the payments
  // (whose columns are SPEC §7's, unchanged); a day with none has no such block, so its file is what
  // it always was and a reader that counts blocks reads it as before.
  if (s.undecided.length > 0) {
    row(["undecided"]);
    row(["payment_id", "started_at", "slip", "case", "total", "state"]);
    for (const x of s.undecided) row([x.paymentId, x.startedAt, x.slip, x.case, amount(x.total), x.state]);
    sink.write("\r\n");
  }
  row(["payments"]);
  sink.write(csvRow(EXPORT_COLUMNS, d));
  await scanPaidLinesCsv(
    db,
    { fromDay: h.day, toDay: h.day, ...csvLineFormat(dialect) },
    (text) => sink.write(text),
    () => sink.drain(),
  );
  await sink.drain();
}
