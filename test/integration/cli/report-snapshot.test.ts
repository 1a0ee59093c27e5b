/**
 * `oplatomat report settlement` run while the daemon takes payments: the report process has its own
 * connection, and the daemon commits between the report's reads. What it prints must still be one
 * state of the database: its totals count exactly the payments it lists.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { runSettlementReportCommand } from "../../../kiosk/reports/commands.ts";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import { DAY, insertPayment, reportingConfig, seedFixedDay } from "../reporting/fixture-day.ts";

/** What the daemon does right after the report has read its totals (set by the test). */
let afterTotals: (() => void) | undefined;
vi.mock("../../../kiosk/reports/settlement-summary.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../../kiosk/reports/settlement-summary.ts")>();
  return {
    ...original,
    settlementSummary: (...args: Parameters<typeof original.settlementSummary>) => {
      const summary = original.settlementSummary(...args);
      afterTotals?.();
      afterTotals = undefined;
      return summary;
    },
  };
});

const config = reportingConfig();
let dir: string;
let daemon: Db;
let report: Db;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-snapshot-"));
  const file = path.join(dir, "oplatomat.db");
  daemon = openDatabase(file);
  seedFixedDay(daemon, config);
  report = openDatabase(file);
});
afterEach(() => {
  report.close();
  daemon.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface ReportJson {
  totals: { approvedCount: number; approvedTotal: number };
  payments: Array<{ paymentId: string; status: string; total: number }>;
}

it("lists exactly the payments its totals count while the daemon commits another", async () => {
  // The daemon commits a payment after the report read its totals and before it reads the payments
  // (on a kiosk, the PDF's library loading alone opens that window on every report).
  afterTotals = () =>
    insertPayment(daemon, config, {
      id: "pay-20261125-0099",
      paidAt: `${DAY}T10:15:00+01:00`,
      slip: "S/2026/000999",
      lines: [{ code: "DR", amount: 5400, recipient: "POWIAT" }],
    });
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await runSettlementReportCommand({ db: report, config, date: DAY, format: "json", out });
  const json = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ReportJson;
  const approved = json.payments.filter((p) => p.status === "approved");
  expect(approved.map((p) => p.paymentId)).not.toContain("pay-20261125-0099");
  expect(approved).toHaveLength(json.totals.approvedCount);
  expect(approved.reduce((sum, p) => sum + p.total, 0)).toBe(json.totals.approvedTotal);
  // The next report sees it.
  const again: Buffer[] = [];
  const next = new Writable({
    write(chunk: Buffer, _encoding, done) {
      again.push(chunk);
      done();
    },
  });
  await runSettlementReportCommand({ db: report, config, date: DAY, format: "json", out: next });
  const after = JSON.parse(Buffer.concat(again).toString("utf8")) as ReportJson;
  expect(after.totals.approvedCount).toBe(json.totals.approvedCount + 1);
});
