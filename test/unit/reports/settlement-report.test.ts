import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatAmount } from "../../../kiosk/domain/money.ts";
import { accountingExportStream, writeAccountingExport } from "../../../kiosk/reports/accounting-export.ts";
import { runExportPaymentsCommand, runSettlementReportCommand } from "../../../kiosk/reports/commands.ts";
import { ReportingError } from "../../../kiosk/reports/errors.ts";
import { settlementReportStream } from "../../../kiosk/reports/settlement-report.ts";
import { settlementSummary } from "../../../kiosk/reports/settlement-summary.ts";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import {
  DAY,
  FIXED_DAY_APPROVED_TOTAL,
  insertPayment,
  insertTerminalDay,
  reportingConfig,
  seedFixedDay,
} from "../../integration/reporting/fixture-day.ts";

const NOW = new Date("2026-11-26T06:00:00Z");

async function text(write: (out: PassThrough) => Promise<unknown>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  await write(out);
  out.end();
  return Buffer.concat(chunks).toString("utf8");
}

describe("settlement report", () => {
  const config = reportingConfig();
  let db: Db;
  let dir: string;

  beforeEach(() => {
    db = openDatabase(":memory:");
    seedFixedDay(db, config);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-report-"));
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("flags a terminal total one grosz off the kiosk's", () => {
    insertTerminalDay(db, 1);
    const r = settlementSummary(db, config, DAY, NOW).reconciliation;
    expect(r.status).toBe("mismatch");
    expect(r.differenceTotal).toBe(1);
    expect(r.differenceCount).toBe(0);
  });

  it("agrees when the terminal's totals equal the kiosk's, and says so before end-of-day", () => {
    expect(settlementSummary(db, config, DAY, NOW).reconciliation.status).toBe("not_closed");
    insertTerminalDay(db, 0);
    expect(settlementSummary(db, config, DAY, NOW).reconciliation.status).toBe("match");
  });

  it("names the payments started on the day (office time) that await staff, in no total, in the JSON and CSV; the command warns", async () => {
    const report = (format: "json" | "csv", warn?: (text: string) => void) =>
      text((out) =>
        runSettlementReportCommand({
          db,
          config,
          date: DAY,
          format,
          out,
          now: NOW,
          ...(warn ? { warn } : {}),
        }),
      );
    const exportRows = () =>
      text((out) => runExportPaymentsCommand({ db, config, from: DAY, to: DAY, format: "csv", stdout: out }));
    const before = { json: await report("json"), csv: await report("csv"), export: await exportRows() };
    // A day with none: the JSON says so with an empty member, the CSV has no block for them.
    expect((JSON.parse(before.json) as { undecided: unknown }).undecided).toEqual([]);
    expect(before.csv).not.toContain("undecided");
    // Started 00:30 and 23:30 on the day in Warsaw (the first on the day before in UTC), and 00:10 the next day.
    for (const [id, startedAt] of [
      ["U1", "2026-11-24T23:30:00.000Z"],
      ["U2", "2026-11-25T22:30:00.000Z"],
      ["U3", "2026-11-25T23:10:00.000Z"],
    ] as const) {
      insertPayment(db, config, {
        id,
        paidAt: startedAt,
        slip: `S/${id}`,
        caseRef: `KOM/${id}`,
        status: "declined",
        state: "unknown",
        lines: [{ code: "DR", amount: 5400, recipient: "POWIAT" }],
      });
      db.prepare("UPDATE sessions SET payment_status = 'unknown', authorizing_at = ? WHERE id = ?").run(
        startedAt,
        id,
      );
    }
    const summary = settlementSummary(db, config, DAY, NOW);
    const u1 = {
      paymentId: "U1",
      startedAt: "2026-11-25T00:30:00+01:00",
      slip: "S/U1",
      case: "KOM/U1",
      total: 5400,
    };
    const u2 = {
      paymentId: "U2",
      startedAt: "2026-11-25T23:30:00+01:00",
      slip: "S/U2",
      case: "KOM/U2",
      total: 5400,
    };
    const undecided = [u1, u2].map((u) => ({ ...u, state: "unknown" }));
    expect(summary.undecided).toEqual(undecided);
    expect(summary.totals.approvedTotal).toBe(FIXED_DAY_APPROVED_TOTAL);
    const warnings: string[] = [];
    // The JSON: the same members and totals, and `undecided` naming them (an office tool reading only
    // the download sees the day is not ready to close); before, it was byte-identical to a day with none.
    const json = await report("json", (w) => warnings.push(w));
    const parsed = JSON.parse(json) as Record<string, unknown>;
    const was = JSON.parse(before.json) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([
      "header",
      "totals",
      "reconciliation",
      "reversals",
      "undecided",
      "payments",
    ]);
    expect(parsed["undecided"]).toEqual(undecided);
    expect({ ...parsed, undecided: [] }).toEqual(was);
    // The CSV: a block of its own before the payments, whose SPEC §7 columns and rows are unchanged.
    const csv = await report("csv");
    const block =
      "undecided\r\npayment_id,started_at,slip,case,total,state\r\n" +
      "U1,2026-11-25T00:30:00+01:00,S/U1,KOM/U1,54.00,unknown\r\n" +
      "U2,2026-11-25T23:30:00+01:00,S/U2,KOM/U2,54.00,unknown\r\n\r\n";
    expect(csv).toBe(before.csv.replace("payments\r\n", `${block}payments\r\n`));
    // The accounting export (SPEC §7: payments the terminal approved, one row a line) cannot name
    // them and does not: docs/operations.md says to read the report or the admin API's list.
    expect(await exportRows()).toBe(before.export);
    expect(warnings).toEqual([
      "warning: 2 payments of 2026-11-25 await a staff decision: U1, U2 (the card terminal could not prove whether the card was charged; not in this report's totals)\n",
    ]);
  });

  it("writes a PDF whose text holds the totals, the mismatch flag and Polish letters", async () => {
    insertTerminalDay(db, -1);
    const file = path.join(dir, "report.pdf");
    await runSettlementReportCommand({ db, config, date: DAY, format: "pdf", out: file, now: NOW });
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe("%PDF-");
    const txt = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(
      /[\u00a0\s]+/g,
      " ",
    );
    const flat = (g: number) => formatAmount(g, "pl").replace(/\u00a0/g, " ");
    expect(txt).toContain(flat(FIXED_DAY_APPROVED_TOTAL));
    expect(txt).toContain(flat(32_650));
    expect(txt).toContain(flat(14_045));
    expect(txt).toContain("NIEZGODNOŚĆ");
    expect(txt).toContain("Starostwo Powiatowe w Łódźmierzu");
    expect(txt).toContain("pay-20261125-0003");
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
  });

  it("exports the same rows whatever the page size (pages split payments nowhere)", async () => {
    const big = await text((out) =>
      writeAccountingExport(db, { from: "2026-11-01", to: "2026-11-30", format: "csv" }, out),
    );
    for (const pageSize of [1, 2, 3]) {
      const paged = await text((out) =>
        writeAccountingExport(db, { from: "2026-11-01", to: "2026-11-30", format: "csv", pageSize }, out),
      );
      expect(paged).toBe(big);
    }
    const lines = big.trimEnd().split("\r\n");
    expect(lines).toHaveLength(1 + 2 + 12);
    expect(big).not.toContain("pay-20261125-0004");
  });

  it("JSON export rows carry the CSV's keys and values", async () => {
    const json = await text((out) => writeAccountingExport(db, { from: DAY, to: DAY, format: "json" }, out));
    const rows = JSON.parse(json) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(12);
    expect(rows[0]).toMatchObject({ payment_id: "pay-20261125-0001", amount: "54.00", status: "approved" });
    expect(rows.filter((r) => r.status === "reversed")).toHaveLength(2);
  });

  it("writes to a FIFO given as --out instead of renaming a regular file over it", async () => {
    // Renaming `<out>.partial` over `--out /dev/null`, run as root, replaced the device (issue 17).
    const fifo = path.join(dir, "report.fifo");
    execFileSync("mkfifo", [fifo]);
    const read = new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      fs.createReadStream(fifo)
        .on("data", (c) => chunks.push(c as Buffer))
        .on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
        .on("error", reject);
    });
    await runSettlementReportCommand({ db, config, date: DAY, format: "json", out: fifo, now: NOW });
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
    expect(fs.existsSync(`${fifo}.partial`)).toBe(false);
    const written = await read;
    expect(written).toBe(
      await text((out) =>
        runSettlementReportCommand({ db, config, date: DAY, format: "json", out, now: NOW }),
      ),
    );
  });

  it("refuses a malformed day or an inverted range", async () => {
    await expect(
      runExportPaymentsCommand({ db, from: "2026-11-31", to: "2026-12-01", stdout: new PassThrough() }),
    ).rejects.toThrow(ReportingError);
    await expect(
      runExportPaymentsCommand({ db, from: DAY, to: "2026-11-01", stdout: new PassThrough() }),
    ).rejects.toThrow(/--from/);
    await expect(
      runSettlementReportCommand({ db, config, date: "25.11.2026", out: new PassThrough() }),
    ).rejects.toThrow(ReportingError);
  });
});

describe("download streams", () => {
  it("stream the same bytes the writers produce", async () => {
    const config = reportingConfig();
    const db = openDatabase(":memory:");
    seedFixedDay(db, config);
    const read = async (s: NodeJS.ReadableStream) => {
      const chunks: Buffer[] = [];
      for await (const c of s) chunks.push(Buffer.from(c as Buffer));
      return Buffer.concat(chunks).toString("utf8");
    };
    const options = { from: DAY, to: DAY, format: "csv", dialect: "excel-pl" } as const;
    expect(await read(accountingExportStream(db, options))).toBe(
      await text((out) => writeAccountingExport(db, options, out)),
    );
    const report = await read(settlementReportStream(db, config, DAY, "json", NOW));
    expect(JSON.parse(report).totals.approvedTotal).toBe(FIXED_DAY_APPROVED_TOTAL);
    db.close();
  });
});
