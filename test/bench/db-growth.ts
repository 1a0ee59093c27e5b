/**
 * How many bytes each table and index of the kiosk's database grows by per payment (issue: outbox
 * retention). Payments run through the real daemon over the crash rig (ZVT and printer simulators,
 * fake PiK and settlement); SQLite's `dbstat` says the pages (and payload bytes) of every b-tree
 * before and after, with the outbox fully delivered both times.
 * `node --import tsx test/bench/db-growth.ts` (GROWTH_PAYMENTS, default 200; a third are baskets of
 * 2-3 slips, the rest one slip, like an office's mix of registration and licence visits).
 */
import Database from "better-sqlite3";
import { seededRandom } from "../../kiosk/integrations/fake-server.ts";
import {
  endOfDayAsStaff,
  issueSlip,
  issueSlips,
  payOnce,
  startDaemon,
  startRig,
  waitForOutbox,
} from "../crash/rig.ts";

const PAYMENTS = Number(process.env["GROWTH_PAYMENTS"] ?? 200);

interface Tree {
  pages: number;
  bytes: number;
  payload: number;
}

function measure(file: string): Map<string, Tree> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        "SELECT name, COUNT(*) AS pages, SUM(pgsize) AS bytes, SUM(payload) AS payload FROM dbstat GROUP BY name",
      )
      .all() as Array<{ name: string } & Tree>;
    return new Map(rows.map((r) => [r.name, { pages: r.pages, bytes: r.bytes, payload: r.payload }]));
  } finally {
    db.close();
  }
}

function counts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as Array<{ name: string }>;
    return Object.fromEntries(
      tables.map((t) => [
        t.name,
        (db.prepare(`SELECT COUNT(*) AS n FROM "${t.name}"`).get() as { n: number }).n,
      ]),
    );
  } finally {
    db.close();
  }
}

const rig = await startRig();
const daemon = await startDaemon(rig);
try {
  const url = daemon.url as string;
  const random = seededRandom(17);
  // A few payments first: the first ones create pages of every tree.
  for (let i = 0; i < 5; i++) await payOnce(url, issueSlip(rig, random, 0));
  await waitForOutbox(rig, 30_000);
  const before = measure(rig.dbFile);
  const rowsBefore = counts(rig.dbFile);
  let paid = 0;
  for (let i = 0; i < PAYMENTS; i++) {
    const payload = i % 3 === 2 ? issueSlips(rig, random) : issueSlip(rig, random, 0);
    if ((await payOnce(url, payload)) === "paid") paid += 1;
    rig.printer.received = Buffer.alloc(0);
    rig.printer.receipts.length = 0;
  }
  await waitForOutbox(rig, 60_000);
  const after = measure(rig.dbFile);
  const rowsAfter = counts(rig.dbFile);
  await endOfDayAsStaff(url);
  await waitForOutbox(rig, 30_000);
  const afterDay = measure(rig.dbFile);
  process.stdout.write(`${paid} payments paid of ${PAYMENTS}\n`);
  process.stdout.write(
    "tree                          pages  bytes/payment  payload/payment  (one end-of-day: bytes)\n",
  );
  const names = [...new Set([...before.keys(), ...after.keys(), ...afterDay.keys()])].sort();
  for (const name of names) {
    const b = before.get(name) ?? { pages: 0, bytes: 0, payload: 0 };
    const a = after.get(name) ?? { pages: 0, bytes: 0, payload: 0 };
    const d = afterDay.get(name) ?? a;
    if (a.bytes === b.bytes && d.bytes === a.bytes) continue;
    process.stdout.write(
      `${name.padEnd(28)} ${String(a.pages - b.pages).padStart(6)} ${((a.bytes - b.bytes) / paid).toFixed(0).padStart(14)} ${((a.payload - b.payload) / paid).toFixed(0).padStart(16)} ${String(d.bytes - a.bytes).padStart(12)}\n`,
    );
  }
  process.stdout.write("rows per payment:\n");
  for (const [t, n] of Object.entries(rowsAfter)) {
    const grown = n - (rowsBefore[t] ?? 0);
    if (grown !== 0) process.stdout.write(`  ${t.padEnd(26)} ${(grown / paid).toFixed(2)}\n`);
  }
} finally {
  await daemon.stop();
  await rig.close();
}
