/**
 * What the outbox's retention costs on a kiosk with history: a database file with PRUNE_YEARS (default
 * 1) of delivered messages at 500 a day (200 payments, 2.5 messages each; bodies of the measured mean
 * size), then migration 10's index built on it (the upgrade's one-off cost), then the first prune run in
 * batches of 500 (time and CPU per batch), and the file's page count before and after a second year of
 * messages with the rule running daily (it should not grow). `node --import tsx test/bench/outbox-prune.ts`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { openDatabase } from "../../kiosk/store/db.ts";
import { pruneDeliveredOutbox, retentionCutoff } from "../../kiosk/store/outbox-retention.ts";

const YEARS = Number(process.env["PRUNE_YEARS"] ?? 1);
const PER_DAY = 500;
const DAY = 86_400_000;
/** The measured mean body of a message (test/bench/db-growth.ts: 1 909 payload bytes a payment, 2.49 messages). */
const BODY = "x".repeat(700);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-prune-"));
const file = path.join(dir, "k.db");
const start = new Date("2025-01-01T08:00:00.000Z");
let seq = 0;

function fill(db: ReturnType<typeof openDatabase>, fromDay: number, days: number): void {
  const insert = db.prepare(
    `INSERT INTO outbox (id, destination, kind, path, session_id, body, created_at, status, attempts, next_attempt_at, last_status, delivered_at)
     VALUES (?, 'settlement', 'transaction', '/transactions', NULL, ?, ?, 'delivered', 1, ?, 200, ?)`,
  );
  db.transaction(() => {
    for (let d = fromDay; d < fromDay + days; d++) {
      for (let i = 0; i < PER_DAY; i++) {
        const at = new Date(start.getTime() + d * DAY + i * 60_000).toISOString();
        insert.run(`m${++seq}`, JSON.stringify({ seq, body: BODY }), at, at, at);
      }
    }
  })();
}

const pages = (db: ReturnType<typeof openDatabase>) => db.pragma("page_count", { simple: true }) as number;

try {
  let db = openDatabase(file);
  const days = Math.round(365 * YEARS);
  fill(db, 0, days);
  // As a kiosk before this change: no index, no migration 10.
  db.exec("DROP INDEX outbox_delivered; DELETE FROM schema_migrations WHERE version = 10");
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  const mb = (fs.statSync(file).size / 1e6).toFixed(1);
  let t = performance.now();
  let cpu = process.cpuUsage();
  db = openDatabase(file);
  const migrated = process.cpuUsage(cpu);
  process.stdout.write(
    `${days} days, ${seq} messages, ${mb} MB: open with migration 10 ${(performance.now() - t).toFixed(0)} ms (cpu ${((migrated.user + migrated.system) / 1000).toFixed(0)} ms)\n`,
  );
  const now = new Date(start.getTime() + days * DAY);
  const cutoff = retentionCutoff(now);
  const batches: number[] = [];
  const cpus: number[] = [];
  let deleted = 0;
  t = performance.now();
  for (;;) {
    const b = performance.now();
    cpu = process.cpuUsage();
    const n = pruneDeliveredOutbox(db, cutoff);
    const used = process.cpuUsage(cpu);
    batches.push(performance.now() - b);
    cpus.push((used.user + used.system) / 1000);
    deleted += n;
    if (n < 500) break;
  }
  const sorted = [...batches].sort((a, b) => a - b);
  const p = (q: number) =>
    (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number).toFixed(1);
  process.stdout.write(
    `first prune: ${deleted} deleted in ${batches.length} batches, ${(performance.now() - t).toFixed(0)} ms; batch p50 ${p(0.5)} p95 ${p(0.95)} max ${p(1)} ms; cpu per batch mean ${(cpus.reduce((a, b) => a + b, 0) / cpus.length).toFixed(1)} ms\n`,
  );
  db.pragma("wal_checkpoint(TRUNCATE)");
  const afterFirst = pages(db);
  // A second period of history with the rule once a day: the file must not grow.
  for (let d = days; d < days + 180; d++) {
    fill(db, d, 1);
    pruneDeliveredOutbox(db, retentionCutoff(new Date(start.getTime() + (d + 1) * DAY)), 1_000_000);
  }
  db.pragma("wal_checkpoint(TRUNCATE)");
  const empty = db.prepare("SELECT COUNT(*) AS n FROM outbox").get() as { n: number };
  t = performance.now();
  const nothing = pruneDeliveredOutbox(db, retentionCutoff(new Date(start.getTime() + (days + 180) * DAY)));
  const idle = performance.now() - t;
  process.stdout.write(
    `pages after the first prune ${afterFirst}, after 180 more days with a daily prune ${pages(db)} (${empty.n} messages kept); a prune with nothing to do ${idle.toFixed(2)} ms (deleted ${nothing})\n`,
  );
  db.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
