/**
 * Golden files of a fixed day: the accounting export in both dialects and as JSON, the settlement
 * report as JSON and CSV, and the Elixir-O file. `UPDATE_GOLDEN=1` rewrites them after a deliberate
 * change; the diff is then reviewed like code.
 */
import fs from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeAccountingExport } from "../../../kiosk/reports/accounting-export.ts";
import { elixirTransfers } from "../../../kiosk/reports/elixir.ts";
import { writeSettlementReport } from "../../../kiosk/reports/settlement-report.ts";
import { settlementSummary } from "../../../kiosk/reports/settlement-summary.ts";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import {
  DAY,
  insertTerminalDay,
  reportingConfig,
  seedFixedDay,
} from "../../integration/reporting/fixture-day.ts";

const GOLDEN_DIR = path.resolve(import.meta.dirname, "../../fixtures/reports");
const GENERATED_AT = new Date("2026-11-26T06:00:00Z");

function golden(name: string, actual: Buffer): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(file, actual);
  expect(fs.existsSync(file), `golden file ${name} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual.toString("utf8")).toBe(fs.readFileSync(file).toString("utf8"));
  expect(actual.equals(fs.readFileSync(file))).toBe(true);
}

async function collect(write: (out: PassThrough) => Promise<unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  await write(out);
  out.end();
  return Buffer.concat(chunks);
}

describe("reports of a fixed day match their golden files", () => {
  const config = reportingConfig();
  let db: Db;

  beforeEach(() => {
    db = openDatabase(":memory:");
    seedFixedDay(db, config);
    insertTerminalDay(db);
  });
  afterEach(() => db.close());

  it("accounting export, standard CSV", async () => {
    const csv = await collect((out) => writeAccountingExport(db, { from: DAY, to: DAY, format: "csv" }, out));
    golden("export-2026-11-25.csv", csv);
  });

  it("accounting export, excel-pl CSV", async () => {
    const csv = await collect((out) =>
      writeAccountingExport(db, { from: DAY, to: DAY, format: "csv", dialect: "excel-pl" }, out),
    );
    golden("export-2026-11-25.excel-pl.csv", csv);
  });

  it("accounting export, JSON over two days", async () => {
    const json = await collect((out) =>
      writeAccountingExport(db, { from: "2026-11-24", to: DAY, format: "json" }, out),
    );
    golden("export-2026-11-24..25.json.golden", json);
  });

  it("settlement report, JSON", async () => {
    const summary = settlementSummary(db, config, DAY, GENERATED_AT);
    const json = await collect((out) => writeSettlementReport(db, summary, "json", out));
    golden("settlement-2026-11-25.json.golden", json);
  });

  it("settlement report, CSV", async () => {
    const summary = settlementSummary(db, config, DAY, GENERATED_AT);
    const csv = await collect((out) => writeSettlementReport(db, summary, "csv", out));
    golden("settlement-2026-11-25.csv", csv);
  });

  it("Elixir-O transfer file", () => {
    const summary = settlementSummary(db, config, DAY, GENERATED_AT);
    golden("elixir-2026-11-25.txt", Buffer.from(elixirTransfers(summary, config), "utf8"));
  });
});
