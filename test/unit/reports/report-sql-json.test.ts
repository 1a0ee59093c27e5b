/**
 * The settlement report's payment list is written as JSON by SQLite (store/paid-payments-json.ts);
 * it must stay byte for byte what JSON.stringify writes for the payments forEachReportPayment
 * builds: one-slip, several-slip and basket payments, escaped text, across page boundaries.
 */
import { describe, expect, it } from "vitest";
import { forEachReportPayment } from "../../../kiosk/reports/report-payments.ts";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import { scanPaidPaymentsJson } from "../../../kiosk/store/paid-payments-json.ts";
import {
  DAY,
  insertPayment,
  reportingConfig,
  seedFixedDay,
} from "../../integration/reporting/fixture-day.ts";

function slipRow(db: Db, session: string, no: number, slip: string, caseRef: string): void {
  db.prepare(
    `INSERT INTO session_slips (session_id, slip_no, office_id, slip_id, case_ref, slip_valid, slip_payload, total)
     VALUES (?, ?, 'PZ1465', ?, ?, 'valid', 'payload', 100)`,
  ).run(session, no, slip, caseRef);
}

function seeded(): Db {
  const db = openDatabase(":memory:");
  const config = reportingConfig();
  seedFixedDay(db, config);
  const at = (n: number) => `${DAY}T13:0${n}:00+01:00`;
  // Two slips in one payment: each line names its slip, the payment lists both.
  insertPayment(db, config, {
    id: "pay-multi",
    paidAt: at(1),
    slip: "S/A",
    caseRef: "KOM/A",
    lines: [
      { code: "DR", amount: 5400, recipient: "POWIAT" },
      { code: "PEL", amount: 1700, recipient: "GMINA" },
      { code: "TAB", amount: 8000, recipient: "POWIAT" },
      { code: "FEE", amount: 200, recipient: "OPERATOR" },
    ],
  });
  slipRow(db, "pay-multi", 1, "S/A", "KOM/A");
  slipRow(db, "pay-multi", 2, "S/B", "KOM/B");
  db.prepare("UPDATE session_lines SET slip_no = 2 WHERE session_id = 'pay-multi' AND line_no = 2").run();
  db.prepare(
    "UPDATE session_lines SET slip_no = 1 WHERE session_id = 'pay-multi' AND line_no IN (1, 3)",
  ).run();
  // One slip recorded in session_slips: the one-slip shape.
  insertPayment(db, config, {
    id: "pay-single",
    paidAt: at(2),
    slip: "S/C",
    caseRef: "KOM/C",
    lines: [
      {
        code: "DR",
        amount: 5400,
        recipient: "POWIAT",
        label: 'quote " back \\ slash / tab\t nl\n \u0001 ż 😀',
      },
      { code: "FEE", amount: 200, recipient: "OPERATOR", reference: "ref\u001f" },
    ],
  });
  slipRow(db, "pay-single", 1, "S/C", "KOM/C");
  db.prepare("UPDATE session_lines SET slip_no = 1 WHERE session_id = 'pay-single'").run();
  db.prepare(
    "UPDATE session_lines SET label = 'plain, not JSON' WHERE session_id = 'pay-single' AND line_no = 2",
  ).run();
  return db;
}

async function javascriptList(db: Db): Promise<string[]> {
  const list: string[] = [];
  await forEachReportPayment(
    db,
    DAY,
    (p) => list.push(JSON.stringify(p)),
    async () => {},
  );
  return list;
}

async function sqlList(db: Db, pageSize: number): Promise<{ text: string; payments: number }> {
  const pages: string[] = [];
  let payments = 0;
  await scanPaidPaymentsJson(db, { fromDay: DAY, toDay: DAY, pageSize }, (text, n) => {
    pages.push(text.toString("utf8"));
    payments += n;
  });
  return { text: pages.join(",\n    "), payments };
}

describe("the report's payment list written by SQLite", () => {
  for (const pageSize of [1, 2, 1000])
    it(`matches JSON.stringify of the JavaScript payments (${pageSize} a page)`, async () => {
      const db = seeded();
      const expected = await javascriptList(db);
      const { text, payments } = await sqlList(db, pageSize);
      expect(text).toBe(expected.join(",\n    "));
      expect(payments).toBe(expected.length);
      // The fixture holds what the shapes differ by: several slips and escaped text.
      expect(text).toContain('"slips":[{"slip":"S/A","case":"KOM/A"},{"slip":"S/B","case":"KOM/B"}]');
      expect(text).toContain("\\u0001");
    });
});
