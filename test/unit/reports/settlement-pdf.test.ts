/**
 * The kiosk's settlement PDF keeps a component's and a recipient's code on one line (outside-in pass,
 * 2026-12-07: `X9_LONGCOD` over `E_1234` in the component table). Codes are up to 16 characters
 * (config/schema.json); such a code fits its column at the table's size, and a wider one is set smaller.
 */
import { execFileSync } from "node:child_process";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeSettlementPdf } from "../../../kiosk/reports/settlement-pdf.ts";
import { settlementSummary } from "../../../kiosk/reports/settlement-summary.ts";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import { DAY, reportingConfig, seedFixedDay } from "../../integration/reporting/fixture-day.ts";

const NOW = new Date("2026-11-26T06:00:00Z");
/** 16 characters each: typical letters and digits, and the widest letters the pattern allows. */
const CODES = ["X9_LONGCODE_1234", "OPLATA_SKARBOWA1", "WWWWWWWWWWWWWWWW"];
const RECIPIENT = "ODPADY_KOMUNALNE";

async function pdfText(db: Db): Promise<string> {
  const summary = settlementSummary(db, reportingConfig(), DAY, NOW);
  const [first, ...rest] = summary.totals.perComponent;
  if (!first) throw new Error("the fixture day has no components");
  summary.totals.perComponent = [...CODES.map((code) => ({ ...first, code, recipient: RECIPIENT })), ...rest];
  const [payee, ...others] = summary.totals.perRecipient;
  if (!payee) throw new Error("the fixture day has no recipients");
  summary.totals.perRecipient = [{ ...payee, recipient: RECIPIENT }, ...others];
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  await writeSettlementPdf(db, summary, out);
  return execFileSync("pdftotext", ["-layout", "-", "-"], { input: Buffer.concat(chunks), encoding: "utf8" });
}

describe("the kiosk's settlement PDF", () => {
  let db: Db;
  beforeEach(() => {
    db = openDatabase(":memory:");
    seedFixedDay(db, reportingConfig());
  });
  afterEach(() => db.close());

  it("prints a 16-character component code and recipient code on one line", async () => {
    const text = await pdfText(db);
    const lines = text.split("\n");
    for (const code of CODES) {
      const row = lines.filter((l) => l.includes(code));
      expect(row, code).toHaveLength(1);
      // The component's row names its recipient on the same line, whole.
      expect(row[0], code).toContain(RECIPIENT);
    }
    // And the recipients' table, whose first column is the recipient's code.
    expect(lines.filter((l) => l.trimStart().startsWith(RECIPIENT))).toHaveLength(1);
  });
});
