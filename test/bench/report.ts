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
import { loadConfig } from "../../kiosk/config/load.ts";
import { parsedYamlCacheIn } from "../../kiosk/config/parsed-yaml-cache.ts";
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
 * totals from the same database (SPEC §8 `report_1m_payments_peer_ms`), each with the best plan the
 * shell gets for that output on this database (issue 17, docs/benchmarks.md "The report's peer,
 * re-examined"):
 * - the rows in report order without a sort: `s.rowid` after `s.id` makes each payment's key unique
 *   in the `sessions_paid_order` index, so SQLite takes the lines in `line_no` order from
 *   `session_lines`' primary key instead of sorting every payment's lines (the kiosk's pages do the
 *   same); same rows, same order.
 * - the totals from the running totals of migration 9 (`day_line_totals`), as the kiosk's summary
 *   reads them. Summed from the lines instead, SQLite now picks `sessions_day_status` (day, status,
 *   total) for the day's approved payments and visits a million sessions rows in `total` order, all
 *   over the file: 6 s of CPU at 1 M where the order of `sessions_business_day` took 1.5 s. That
 *   worse plan, not the database, made the peer slower after migration 9.
 * The shell writes the CSV as the export does, but quotes a cell holding a space ("Dowód
 * rejestracyjny"); `peer` checks its rows against the kiosk's with those quotes left out.
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
 ORDER BY s.business_day, s.paid_at, s.id, s.rowid, l.line_no;
SELECT recipient, MIN(recipient_name) AS name, recipient_nrb AS nrb, SUM(lines) AS lines, SUM(amount) AS amount
  FROM day_line_totals
 WHERE business_day = '${BENCH_DAY}'
 GROUP BY recipient, recipient_nrb ORDER BY recipient, recipient_nrb;
`;

/** The header line the peer's totals start with (the second statement's columns). */
const PEER_TOTALS_HEADER = "recipient,name,nrb,lines,amount\r\n";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The JavaScript the child runs, compiled from the sources as they are (a stale build would lie). */
let built = false;
function build(): void {
  if (built) return;
  built = true;
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "inherit" });
}

export interface ReportRun {
  payments: number;
  /**
   * Not a SPEC figure: the peak RSS of `oplatomat report settlement` and `oplatomat export payments`
   * as staff run them (see `cliPeaks`), or null without GNU time.
   */
  cliPeakMb: { report: number; export: number } | null;
  ms: number;
  /** CPU time (user + system): on a shared machine a steadier ratio to the peer than wall time. */
  cpuMs: number;
  peerCpuMs: number | null;
  peakRssMb: number;
  peerMs: number;
  dbMb: number;
}

/** One recipient's totals as the kiosk's summary has them (`totals.perRecipient`). */
interface RecipientTotals {
  recipient: string;
  name: string;
  nrb: string;
  lines: number;
  amount: number;
}

/** What the kiosk's child wrote: the export's rows and bytes, and the summary's per-recipient totals. */
interface KioskOutput {
  rows: number;
  csvBytes: number;
  perRecipient: RecipientTotals[];
}

/**
 * Counts what the peer writes as it streams by (its CSV can be 400 MB): bytes, line ends and the
 * shell's quote characters, and keeps the tail, where the totals are.
 */
const TAIL_BYTES = 64 * 1024;

class PeerOutput {
  bytes = 0;
  lines = 0;
  quotes = 0;
  private tail: Buffer = Buffer.alloc(0);

  add(chunk: Buffer): void {
    this.bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.lines++;
    for (let i = chunk.indexOf(34); i !== -1; i = chunk.indexOf(34, i + 1)) this.quotes++;
    // The totals are the last few hundred bytes: a chunk of the tail's size holds them whole.
    this.tail = chunk.length >= TAIL_BYTES ? chunk : Buffer.concat([this.tail, chunk]).subarray(-TAIL_BYTES);
  }

  /**
   * Throws unless the peer wrote what the kiosk did: as many CSV rows, the same bytes once the
   * shell's quotes are left out (the kiosk's export has no quotes in this data), and the same
   * per-recipient totals.
   */
  check(kiosk: KioskOutput): void {
    const tail = this.tail.toString("utf8");
    const at = tail.lastIndexOf(PEER_TOTALS_HEADER);
    if (at < 0) throw new Error("sqlite3 wrote no totals");
    const totals = Buffer.from(tail.slice(at));
    const count = (b: Buffer, byte: number) => b.reduce((n, c) => n + (c === byte ? 1 : 0), 0);
    const rows = this.lines - count(totals, 10) - 1;
    const csvBytes = this.bytes - totals.length - (this.quotes - count(totals, 34));
    if (rows !== kiosk.rows || csvBytes !== kiosk.csvBytes)
      throw new Error(
        `sqlite3 wrote ${rows} rows in ${csvBytes} bytes (quotes left out), the kiosk ${kiosk.rows} in ${kiosk.csvBytes}`,
      );
    const peerTotals = tail
      .slice(at + PEER_TOTALS_HEADER.length)
      .split("\r\n")
      .filter((l) => l !== "")
      .map((l) => {
        const [recipient, name, nrb, lines, amount] = l
          .split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)
          .map((c) => c.replace(/^"|"$/g, ""));
        return { recipient, name, nrb, lines: Number(lines), amount: Number(amount) };
      });
    if (JSON.stringify(peerTotals) !== JSON.stringify(kiosk.perRecipient))
      throw new Error(
        `sqlite3's totals ${JSON.stringify(peerTotals)} differ from the kiosk's ${JSON.stringify(kiosk.perRecipient)}`,
      );
  }
}

/**
 * The `sqlite3` shell over the same database: wall time, and its CPU time when GNU time is there to
 * tell it. The timed run writes to /dev/null, as the kiosk's child writes into a discarding stream:
 * through a pipe to this process the shell waited on the reader (at 1 M payments on an idle machine
 * its wall time was 8.7 s for 5.3 s of CPU, which flattered the kiosk's wall ratio). A second,
 * untimed run's output is counted and checked against the kiosk's.
 */
async function peer(file: string, kiosk: KioskOutput): Promise<{ ms: number; cpuMs: number | null }> {
  const timeFile = `${file}.time`;
  const timed = fs.existsSync("/usr/bin/time");
  const discard = fs.openSync("/dev/null", "w");
  const started = performance.now();
  try {
    await runShell(file, discard, timed ? timeFile : undefined);
  } finally {
    fs.closeSync(discard);
  }
  const ms = performance.now() - started;
  // The peer again, untimed, its output counted as it streams by and checked against the kiosk's.
  const output = new PeerOutput();
  await runShell(file, "pipe", undefined, (chunk) => output.add(chunk));
  output.check(kiosk);
  const [user, system] = timed ? fs.readFileSync(timeFile, "utf8").trim().split(" ").map(Number) : [];
  return { ms, cpuMs: user !== undefined && system !== undefined ? (user + system) * 1000 : null };
}

/**
 * One run of the peer's statements in the `sqlite3` shell, its output to `stdout` (or to `onData`
 * through a pipe), under GNU time writing user and system seconds to `timeFile` when given.
 */
async function runShell(
  file: string,
  stdout: number | "pipe",
  timeFile?: string,
  onData?: (chunk: Buffer) => void,
): Promise<void> {
  const shell = ["sqlite3", "-readonly", file];
  const [command, ...args] = timeFile ? ["/usr/bin/time", "-f", "%U %S", "-o", timeFile, ...shell] : shell;
  const child = spawn(command as string, args, { stdio: ["pipe", stdout, "inherit"] });
  child.stdin?.end(PEER_SQL);
  if (onData) child.stdout?.on("data", onData);
  const [code] = (await once(child, "close")) as [number | null];
  if (code !== 0) throw new Error(`sqlite3 exited ${code}`);
}

/** Seeds `payments` payments and measures the kiosk and its peer on them. */
export async function reportRun(payments: number): Promise<ReportRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-bench-report-"));
  try {
    const file = path.join(dir, "bench.db");
    seedPayments(file, payments);
    return await measureReport(file, payments);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The kiosk's report and export over a seeded database in a child, then the peer on the same file.
 * Also for a database seeded once and kept (experiments: seeding a million payments takes a minute).
 */
export async function measureReport(file: string, payments: number): Promise<ReportRun> {
  build();
  const child = path.join(import.meta.dirname, "report-child.mjs");
  const out = execFileSync(process.execPath, [child, file, BENCH_DAY, JSON.stringify(reportingConfig())], {
    encoding: "utf8",
    maxBuffer: 1024 * 1024,
  });
  const result = JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as KioskOutput & {
    ms: number;
    cpuMs: number;
    maxRssKb: number;
  };
  if (result.rows !== payments * 2)
    throw new Error(`export wrote ${result.rows} rows, expected ${payments * 2}`);
  const floor = await peer(file, result);
  return {
    payments,
    cliPeakMb: cliPeaks(file),
    ms: result.ms,
    cpuMs: result.cpuMs,
    peerCpuMs: floor.cpuMs,
    peakRssMb: result.maxRssKb / 1024,
    peerMs: floor.ms,
    dbMb: fs.statSync(file).size / 2 ** 20,
  };
}

/** The release build the CLI runs (dist/, as `npm run build:daemon` makes it), built once per run. */
let releaseBuilt = false;
function buildRelease(): void {
  if (releaseBuilt) return;
  releaseBuilt = true;
  execFileSync("npm", ["run", "--silent", "build:daemon"], { cwd: ROOT, stdio: "inherit" });
}

/**
 * The commands as staff run them, each its own process from the release build (bin/oplatomat.mjs,
 * `OPLATOMAT_RUNTIME=dist`): `oplatomat report settlement` (JSON) and `oplatomat export payments`
 * (CSV) of the day, their output to /dev/null, with the demo configuration (read and validated as
 * every command does; its parse kept in the data directory as the daemon's start keeps it) and the
 * database linked into that data directory. Peak RSS of each process from
 * GNU time (its own: time is a small process that forks it, so no copy of the bench is counted).
 * Besides the figure, which is the report code alone in one process (report-child.mjs).
 */
function cliPeaks(file: string): { report: number; export: number } | null {
  if (!fs.existsSync("/usr/bin/time")) return null;
  buildRelease();
  const data = path.join(path.dirname(file), "cli-data");
  fs.mkdirSync(data, { recursive: true });
  const db = path.join(data, "oplatomat.db");
  if (!fs.existsSync(db)) fs.linkSync(file, db);
  const config = path.join(ROOT, "config", "demo.yaml");
  // As on a kiosk, where the daemon started with the same --data: its parse of the configuration is
  // kept there (kiosk/commands/daemon.ts), and the commands read it instead of loading YAML.
  loadConfig(config, process.env, parsedYamlCacheIn(data));
  const peak = (args: string[]): number => {
    const timeFile = `${file}.cli-time`;
    const discard = fs.openSync("/dev/null", "w");
    try {
      execFileSync(
        "/usr/bin/time",
        ["-f", "%M", "-o", timeFile, process.execPath, path.join(ROOT, "bin", "oplatomat.mjs"), ...args],
        {
          stdio: ["ignore", discard, "inherit"],
          env: { ...process.env, OPLATOMAT_RUNTIME: "dist", OPLATOMAT_CONFIG: config },
        },
      );
    } finally {
      fs.closeSync(discard);
    }
    return Number(fs.readFileSync(timeFile, "utf8").trim()) / 1024;
  };
  return {
    report: peak(["report", "settlement", "--date", BENCH_DAY, "--data", data]),
    export: peak(["export", "payments", "--from", BENCH_DAY, "--to", BENCH_DAY, "--data", data]),
  };
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
    (r.cliPeakMb
      ? `CLI as staff run it: report ${r.cliPeakMb.report.toFixed(1)} MB, export ${r.cliPeakMb.export.toFixed(1)} MB, `
      : "") +
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
