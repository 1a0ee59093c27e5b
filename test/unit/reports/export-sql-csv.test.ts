/**
 * The accounting export's CSV is written by SQLite (store/paid-lines-csv.ts) for speed; the rows must
 * stay byte for byte what the JavaScript writer (`csvRow(exportValues(row))`) writes, for clean data
 * and for every cell that needs quoting or neutralising, on both dialects and across page boundaries.
 */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { CsvDialect } from "../../../kiosk/domain/csv.ts";
import { csvRow, csvStyle } from "../../../kiosk/domain/csv.ts";
import {
  EXPORT_COLUMNS,
  exportValues,
  writeAccountingExport,
} from "../../../kiosk/reports/accounting-export.ts";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import { scanPaidLines } from "../../../kiosk/store/paid-lines.ts";
import { isPlainCsv } from "../../../kiosk/store/paid-lines-csv.ts";
import { insertPayment, reportingConfig, seedFixedDay } from "../../integration/reporting/fixture-day.ts";

/** The JavaScript writer, row by row: the reference the SQL writer must match. */
async function referenceCsv(db: Db, from: string, to: string, dialect: CsvDialect): Promise<string> {
  const style = csvStyle(dialect);
  let text = style.preamble + csvRow(EXPORT_COLUMNS, style.delimiter);
  await scanPaidLines(db, { fromDay: from, toDay: to }, (r) => {
    text += csvRow(exportValues(r, style.amount), style.delimiter);
  });
  return text;
}

async function exported(db: Db, from: string, to: string, dialect: CsvDialect, pageSize: number) {
  let text = "";
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString("utf8");
      cb();
    },
  });
  const { rows } = await writeAccountingExport(db, { from, to, format: "csv", dialect, pageSize }, out);
  return { text, rows };
}

/** Clean payments around payments whose text needs every kind of care, over two days. */
function seeded(): Db {
  const db = openDatabase(":memory:");
  const config = reportingConfig();
  seedFixedDay(db, config);
  const awkward: Array<{ slip?: string; caseRef?: string; label: string }> = [
    { slip: "=HYPERLINK(1)", caseRef: "+48 123", label: "plain" },
    { slip: "S/1", caseRef: "-5", label: "@SUM(A1)" },
    { slip: "S/2", caseRef: "a,b", label: "semi;colon" },
    { slip: "S/3", caseRef: 'say "hi"', label: "line\nbreak" },
    { slip: "S/4", caseRef: "tab\tinside", label: "\tstarts with a tab" },
    { slip: "S/5", caseRef: "cr\rinside", label: "\rstarts with a CR" },
    { slip: "S/6", caseRef: "", label: "Zażółć gęślą jaźń" },
  ];
  awkward.forEach((a, i) => {
    for (const n of [0, 1, 2]) {
      // A clean payment before and after each awkward one, so pages mix both kinds.
      insertPayment(db, config, {
        id: `pay-2026112${6 + (i % 2)}-${i}${n}`,
        paidAt: `2026-11-2${6 + (i % 2)}T1${i}:0${n}:00+01:00`,
        ...(n === 1 ? { slip: a.slip, caseRef: a.caseRef } : { slip: `S/9/${i}${n}`, caseRef: "KOM/1" }),
        lines: [
          { code: "DR", amount: 5400 + i, recipient: "POWIAT", ...(n === 1 ? { label: a.label } : {}) },
          { code: "FEE", amount: 200, recipient: "OPERATOR" },
        ],
      });
    }
  });
  // Labels stored as plain text, as JSON without Polish, and as JSON whose Polish is not text.
  db.prepare(
    "UPDATE session_lines SET label = 'not json, at all' WHERE session_id = 'pay-20261126-00'",
  ).run();
  db.prepare(
    `UPDATE session_lines SET label = '{"en":"English only"}' WHERE session_id = 'pay-20261126-02'`,
  ).run();
  db.prepare(`UPDATE session_lines SET label = '{"pl":12}' WHERE session_id = 'pay-20261127-10'`).run();
  multiSlipPayment(db, config);
  return db;
}

/** One payment of three slips (one with awkward text), each line's slip and case its own slip's. */
function multiSlipPayment(db: Db, config: ReturnType<typeof reportingConfig>): void {
  insertPayment(db, config, {
    id: "pay-20261126-multi",
    paidAt: "2026-11-26T15:30:00+01:00",
    slip: "S/M1",
    caseRef: "KOM/M1",
    lines: [
      { code: "DR", amount: 5400, recipient: "POWIAT", label: "Prawo jazdy – wtórnik" },
      { code: "PEL", amount: 1700, recipient: "GMINA" },
      { code: "TAB", amount: 8000, recipient: "POWIAT" },
      { code: "FEE", amount: 200, recipient: "OPERATOR" },
    ],
  });
  const slip = db.prepare(
    `INSERT INTO session_slips (session_id, slip_no, office_id, slip_id, case_ref, slip_valid, slip_payload, total)
     VALUES ('pay-20261126-multi', ?, 'PZ1465', ?, ?, 'valid', 'payload', 100)`,
  );
  slip.run(1, "S/M1", "KOM/M1");
  slip.run(2, '=S/M2 "B"', "Łódź; sprawa 2");
  slip.run(3, "S/M3", "-KOM/M3");
  const line = db.prepare(
    "UPDATE session_lines SET slip_no = ? WHERE session_id = 'pay-20261126-multi' AND line_no = ?",
  );
  line.run(1, 1);
  line.run(2, 2);
  line.run(3, 3);
}

describe("the accounting export written by SQLite", () => {
  for (const dialect of ["standard", "excel-pl"] as const)
    for (const pageSize of [1, 2, 3, 1000])
      it(`matches the JavaScript writer byte for byte (${dialect}, ${pageSize} a page)`, async () => {
        const db = seeded();
        const expected = await referenceCsv(db, "2026-11-24", "2026-11-27", dialect);
        const { text, rows } = await exported(db, "2026-11-24", "2026-11-27", dialect, pageSize);
        expect(text).toBe(expected);
        expect(rows).toBe(expected.split("\r\n").length - 2);
        expect(text).toContain("'=HYPERLINK(1)");
        // Each line of the payment of several slips names its own slip, neutralised and quoted.
        expect(text).toContain(`"'=S/M2 ""B"""`);
      });

  it("exports nothing but the header for a day without payments", async () => {
    const db = seeded();
    const { text, rows } = await exported(db, "2027-01-01", "2027-01-01", "standard", 10);
    expect(rows).toBe(0);
    expect(text).toBe(csvRow(EXPORT_COLUMNS, ","));
  });
});

describe("isPlainCsv (is a page's unquoted text already its CSV?)", () => {
  const row = (cells: string[]) => `${cells.join(",")}\r\n`;
  const clean = Array.from({ length: 19 }, (_, i) => `c${i}`);
  it("accepts rows of plain cells, empty cells included", () => {
    expect(isPlainCsv(row(clean) + row(clean.map((c, i) => (i % 3 ? c : ""))), 2, ",")).toBe(true);
  });
  it.each([
    ["a cell holding the delimiter", row(["a,b", ...clean.slice(1)])],
    ["a quote", row(['"', ...clean.slice(1)])],
    ["a line feed", row(["a\nb", ...clean.slice(1)])],
    ["a carriage return", row(["a\rb", ...clean.slice(1)])],
    ["a formula at the start of a row", row(["=1", ...clean.slice(1)])],
    ["a formula in a later cell", row([...clean.slice(0, 5), "-1", ...clean.slice(6)])],
    ["a tab at the start of a cell", row([...clean.slice(0, 18), "\tx"])],
    ["a row too few", row(clean)],
  ])("refuses %s", (_name, text) => {
    expect(isPlainCsv(text, text === row(clean) ? 2 : 1, ",")).toBe(false);
  });
});
