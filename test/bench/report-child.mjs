/**
 * The measured part of the report benchmark, alone in its process and run as JavaScript compiled by
 * tsc (var/bench/tsc-build/, no TypeScript loader; the release's bundle exports no report
 * functions): the day's settlement report as JSON, then the CSV export of the same day, both into a discarding stream that applies backpressure like a slow
 * download would. Arguments: database, day, the kiosk configuration as JSON. Prints
 * `{ ms, cpuMs, maxRssKb, rows, csvBytes, perRecipient }` (the last three for the bench's check
 * that its peer wrote the same rows and totals).
 */
import fs from "node:fs";
import { Writable } from "node:stream";

const dist = new URL("../../var/bench/tsc-build/kiosk/", import.meta.url);
const { openDatabase } = await import(new URL("store/db.js", dist).href);
const { settlementSummary } = await import(new URL("reports/settlement-summary.js", dist).href);
const { writeSettlementReport } = await import(new URL("reports/settlement-report.js", dist).href);
const { writeAccountingExport } = await import(new URL("reports/accounting-export.js", dist).href);
const { useSystemZoneinfo } = await import(new URL("zoneinfo.js", dist).href);
const { prepareReportProcess } = await import(new URL("reports/report-process.js", dist).href);

// As `oplatomat` does (kiosk/cli.ts): the office's time from the system's tzdata, not ICU (7 MB).
useSystemZoneinfo();

const [file, day, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson);

/** A slow reader that throws the bytes away, counting them. */
function discard() {
  const out = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk, _enc, cb) {
      out.bytes += chunk.length;
      setImmediate(cb);
    },
  });
  out.bytes = 0;
  return out;
}

const db = openDatabase(file, { readonly: true });
// As `oplatomat report` and `oplatomat export` do before they read the database
// (kiosk/commands/reports.ts): Maglev as the top tier on Node 22 and later, a smaller page cache.
prepareReportProcess(db);
const start = performance.now();
const cpuBefore = process.cpuUsage();
const summary = settlementSummary(db, config, day, new Date());
await writeSettlementReport(db, summary, "json", discard());
const csv = discard();
const { rows } = await writeAccountingExport(db, { from: day, to: day, format: "csv" }, csv);
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;
db.close();
const { perRecipient } = summary.totals;
// This process's own peak, VmHWM: the high-water mark of its memory since exec. getrusage's maxRSS
// (process.resourceUsage) is kept across exec and so counts the forked copy of the bench process
// too: after the kiosk group had grown the bench to 83 MB, that is what it reported here.
const peakKb = Number(/^VmHWM:\s+(\d+)/m.exec(fs.readFileSync("/proc/self/status", "utf8"))?.[1]);
console.log(
  JSON.stringify({
    ms,
    cpuMs,
    maxRssKb: peakKb,
    rows,
    csvBytes: csv.bytes,
    perRecipient,
  }),
);
