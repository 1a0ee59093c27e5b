/**
 * Benchmark: the settlement report (JSON) plus the accounting CSV export over 1 000 000 stored
 * payments of one day — the worst case for a report, since a day's list is streamed whole. The
 * database is seeded here; the measured part runs in a child process from the release build so its
 * peak RSS is its own, and the `sqlite3` shell then does the same work on the same database (the peer).
 */
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../../kiosk/store/db.ts";
import { reportingConfig } from "../integration/reporting/fixture-day.ts";

export const BENCH_PAYMENTS = Number(process.env.BENCH_REPORT_PAYMENTS ?? 1_000_000);
export const BENCH_DAY = "2026-11-25";

/** Seeds `count` approved payments of two lines each (a component and the handling fee). */
export function seedPayments(file: string, count: number): void {
  const config = reportingConfig();
  const db = openDatabase(file);
  db.pragma("synchronous = OFF");
  const session = db.prepare(
    `INSERT INTO sessions (id, kind, state, language, office_id, kiosk_id, slip_id, case_ref, total, created_at, updated_at,
       payment_status, paid_at, business_day, auth_code, masked_pan, card_brand, terminal_id, trace_no, receipt_no)
     VALUES (?, 'slip', 'done', 'pl', 'PZ1465', 'K01', ?, ?, ?, ?, ?, 'approved', ?, ?, ?, '************0119', 'VISA', '52100001', ?, ?)`,
  );
  const line = db.prepare(
    `INSERT INTO session_lines (session_id, line_no, code, label, recipient, recipient_name, recipient_nrb, amount, quantity, is_fee)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
  );
  const powiat = config.recipients.POWIAT!;
  const operator = config.recipients.OPERATOR!;
  const drLabel = JSON.stringify({ pl: "Dowód rejestracyjny" });
  const feeLabel = JSON.stringify({ pl: "Opłata manipulacyjna" });
  const dayStart = Date.parse(`${BENCH_DAY}T00:00:00+01:00`);
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = `pay-${String(i).padStart(8, "0")}`;
      const at = new Date(dayStart + Math.floor((i * 86_399_000) / count) + 3_600_000);
      const paidAt = `${at.toISOString().slice(0, 19)}+01:00`;
      const amount = 5400 + (i % 100);
      const n = String(i % 1_000_000).padStart(6, "0");
      session.run(
        id,
        `S/2026/${n}`,
        `KOM/${n}/2026`,
        amount + 200,
        paidAt,
        paidAt,
        paidAt,
        BENCH_DAY,
        `A${n}`,
        n,
        n.slice(-4),
      );
      line.run(id, 1, "DR", drLabel, "POWIAT", powiat.name, powiat.nrb, amount, 0);
      line.run(id, 2, "FEE", feeLabel, "OPERATOR", operator.name, operator.nrb, 200, 1);
    }
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}

/**
 * The floor: the `sqlite3` shell writing the same day's export rows as CSV and the per-recipient
 * totals from the same database (SPEC §8 `report_1m_payments_peer_ms`).
 */
const PEER_SQL = `.headers on
.mode csv
SELECT s.id AS payment_id, s.paid_at, s.office_id AS office, s.kiosk_id AS kiosk,
       CASE WHEN x.slip_id IS NOT NULL THEN x.slip_id WHEN l.is_fee = 1 OR s.kind = 'slip' THEN s.slip_id END AS slip,
       CASE WHEN x.slip_id IS NOT NULL THEN x.case_ref WHEN l.is_fee = 1 OR s.kind = 'slip' THEN s.case_ref END AS "case",
       l.line_no, l.code, coalesce(json_extract(l.label, '$.pl'), l.label) AS label, l.recipient, l.recipient_nrb,
       printf('%d.%02d', l.amount / 100, l.amount % 100) AS amount, s.currency, s.card_brand, s.masked_pan,
       s.auth_code, s.terminal_id, s.trace_no, s.payment_status AS status
  FROM sessions s JOIN session_lines l ON l.session_id = s.id
  LEFT JOIN session_slips x ON x.session_id = l.session_id AND x.slip_no = l.slip_no
 WHERE s.business_day = '${BENCH_DAY}' AND s.payment_status IN ('approved', 'reversed')
 ORDER BY s.business_day, s.paid_at, s.id, l.line_no;
SELECT l.recipient, MIN(l.recipient_name) AS name, MIN(l.recipient_nrb) AS nrb, COUNT(*) AS lines, SUM(l.amount) AS amount
  FROM sessions s JOIN session_lines l ON l.session_id = s.id
 WHERE s.business_day = '${BENCH_DAY}' AND s.payment_status = 'approved'
 GROUP BY l.recipient ORDER BY l.recipient;
`;

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The release build the child runs, compiled from the sources as they are (a stale dist/ would lie). */
let built = false;
function build(): void {
  if (built) return;
  built = true;
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "inherit" });
}

export interface ReportRun {
  payments: number;
  ms: number;
  /** CPU time (user + system): on a shared machine a steadier ratio to the peer than wall time. */
  cpuMs: number;
  peerCpuMs: number | null;
  peakRssMb: number;
  peerMs: number;
  dbMb: number;
}

/**
 * The `sqlite3` shell over the same database: wall time, and its CPU time when GNU time is there to
 * tell it; its output is counted and discarded.
 */
async function peer(file: string, rows: number): Promise<{ ms: number; cpuMs: number | null }> {
  const timeFile = `${file}.time`;
  const timed = fs.existsSync("/usr/bin/time");
  const started = performance.now();
  const child = timed
    ? spawn("/usr/bin/time", ["-f", "%U %S", "-o", timeFile, "sqlite3", "-readonly", file], {
        stdio: ["pipe", "pipe", "inherit"],
      })
    : spawn("sqlite3", ["-readonly", file], { stdio: ["pipe", "pipe", "inherit"] });
  child.stdin.end(PEER_SQL);
  let lines = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  });
  const [code] = (await once(child, "close")) as [number | null];
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`sqlite3 exited ${code}`);
  if (lines < rows) throw new Error(`sqlite3 wrote ${lines} lines, expected ${rows} rows`);
  const [user, system] = timed ? fs.readFileSync(timeFile, "utf8").trim().split(" ").map(Number) : [];
  return { ms, cpuMs: user !== undefined && system !== undefined ? (user + system) * 1000 : null };
}

/** Seeds `payments` payments, runs the kiosk's report and export in a child, then the peer. */
export async function reportRun(payments: number): Promise<ReportRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-bench-report-"));
  try {
    const file = path.join(dir, "bench.db");
    seedPayments(file, payments);
    build();
    const child = path.join(import.meta.dirname, "report-child.mjs");
    const out = execFileSync(process.execPath, [child, file, BENCH_DAY, JSON.stringify(reportingConfig())], {
      encoding: "utf8",
      maxBuffer: 1024 * 1024,
    });
    const result = JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as {
      ms: number;
      cpuMs: number;
      maxRssKb: number;
      rows: number;
    };
    if (result.rows !== payments * 2)
      throw new Error(`export wrote ${result.rows} rows, expected ${payments * 2}`);
    const floor = await peer(file, payments * 2);
    return {
      payments,
      ms: result.ms,
      cpuMs: result.cpuMs,
      peerCpuMs: floor.cpuMs,
      peakRssMb: result.maxRssKb / 1024,
      peerMs: floor.ms,
      dbMb: fs.statSync(file).size / 2 ** 20,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One line for people: the run's times, CPU times, memory and ratios to the peer. */
function describe(r: ReportRun): string {
  const cpu =
    r.peerCpuMs === null
      ? ""
      : `, CPU ${Math.round(r.cpuMs)} ms vs peer ${Math.round(r.peerCpuMs)} ms (${(r.cpuMs / r.peerCpuMs).toFixed(2)}x)`;
  return (
    `payments ${r.payments}: report+export ${Math.round(r.ms)} ms vs peer ${Math.round(r.peerMs)} ms ` +
    `(${(r.ms / r.peerMs).toFixed(2)}x)${cpu}, peak RSS ${r.peakRssMb.toFixed(1)} MB, ` +
    `db ${r.dbMb.toFixed(0)} MB, load ${os.loadavg()[0]?.toFixed(1)}`
  );
}

/** The sizes the growth is shown over (issue 17): each a tenth of the next. */
const GROWTH_SIZES = [10_000, 100_000, 1_000_000];

/**
 * How time and memory grow with the stored payments: per payment, time should stay flat (linear
 * growth) and so should the peak RSS itself (streamed, nothing held per payment).
 */
function describeGrowth(runs: ReportRun[]): string[] {
  return runs.map(
    (r) =>
      `  growth: ${r.payments} payments, ${((r.ms * 1000) / r.payments).toFixed(1)} µs a payment ` +
      `(CPU ${((r.cpuMs * 1000) / r.payments).toFixed(1)} µs, peer ${((r.peerMs * 1000) / r.payments).toFixed(1)} µs), ` +
      `peak RSS ${r.peakRssMb.toFixed(1)} MB`,
  );
}

export async function benchReport(): Promise<Array<{ name: string; value: number; unit: string }>> {
  const runs: ReportRun[] = [];
  for (const n of [...GROWTH_SIZES.filter((g) => g < BENCH_PAYMENTS), BENCH_PAYMENTS]) {
    const r = await reportRun(n);
    process.stderr.write(`  ${describe(r)}\n`);
    runs.push(r);
  }
  for (const line of describeGrowth(runs)) process.stderr.write(`${line}\n`);
  const run = runs.at(-1) as ReportRun;
  return [
    { name: "report_1m_payments_ms", value: Math.round(run.ms), unit: "ms" },
    { name: "report_1m_payments_peak_rss_mb", value: Math.round(run.peakRssMb * 10) / 10, unit: "MB" },
    { name: "report_1m_payments_peer_ms", value: Math.round(run.peerMs), unit: "ms" },
  ];
}

/** `node --import tsx test/bench/report.ts [payments…]`: the figures, or the growth over several sizes. */
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const sizes = process.argv.slice(2).map(Number);
  if (sizes.length === 0) for (const f of await benchReport()) console.log(`${f.name} ${f.value} ${f.unit}`);
  const runs: ReportRun[] = [];
  for (const n of sizes) {
    runs.push(await reportRun(n));
    console.log(describe(runs.at(-1) as ReportRun));
  }
  if (runs.length > 1) for (const line of describeGrowth(runs)) console.log(line);
}
