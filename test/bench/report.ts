/**
 * Benchmark: the settlement report (JSON) plus the accounting CSV export over 1 000 000 stored
 * payments of one day — the worst case for a report, since a day's list is streamed whole. The
 * database is seeded here; the measured part runs in a child process so its peak RSS is its own.
 */
import { execFileSync } from "node:child_process";
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

export async function benchReport(): Promise<Array<{ name: string; value: number; unit: string }>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-bench-report-"));
  try {
    const file = path.join(dir, "bench.db");
    seedPayments(file, BENCH_PAYMENTS);
    const child = path.join(import.meta.dirname, "report-child.ts");
    const out = execFileSync(process.execPath, ["--import", "tsx", child, file, BENCH_DAY], {
      encoding: "utf8",
      maxBuffer: 1024 * 1024,
      // tsx resolves from the working directory: run from the repository wherever the bench was started.
      cwd: path.resolve(import.meta.dirname, "../.."),
    });
    const result = JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as {
      ms: number;
      maxRssKb: number;
      rows: number;
    };
    if (result.rows !== BENCH_PAYMENTS * 2)
      throw new Error(`export wrote ${result.rows} rows, expected ${BENCH_PAYMENTS * 2}`);
    return [
      { name: "report_1m_payments_ms", value: Math.round(result.ms), unit: "ms" },
      {
        name: "report_1m_payments_peak_rss_mb",
        value: Math.round((result.maxRssKb / 1024) * 10) / 10,
        unit: "MB",
      },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  for (const f of await benchReport()) console.log(`${f.name} ${f.value} ${f.unit}`);
}
