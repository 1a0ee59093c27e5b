/**
 * The measured part of the report benchmark, alone in its process: the day's settlement report as
 * JSON, then the CSV export of the same day, both into a discarding stream that applies
 * backpressure like a slow download would. Prints `{ ms, maxRssKb, rows }`.
 */
import { Writable } from "node:stream";
import { writeAccountingExport } from "../../kiosk/reports/accounting-export.ts";
import { writeSettlementReport } from "../../kiosk/reports/settlement-report.ts";
import { settlementSummary } from "../../kiosk/reports/settlement-summary.ts";
import { openDatabase } from "../../kiosk/store/db.ts";
import { reportingConfig } from "../integration/reporting/fixture-day.ts";

const [file, day] = process.argv.slice(2) as [string, string];

function discard(): Writable {
  return new Writable({
    highWaterMark: 64 * 1024,
    write(_chunk, _enc, cb) {
      setImmediate(cb);
    },
  });
}

const db = openDatabase(file, { readonly: true });
const start = performance.now();
const summary = settlementSummary(db, reportingConfig(), day, new Date());
await writeSettlementReport(db, summary, "json", discard());
const { rows } = await writeAccountingExport(db, { from: day, to: day, format: "csv" }, discard());
const ms = performance.now() - start;
db.close();
console.log(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, rows }));
