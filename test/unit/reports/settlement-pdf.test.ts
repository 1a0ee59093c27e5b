/**
 * The kiosk's settlement PDF keeps a component's and a recipient's code on one line (outside-in pass,
 * 2026-12-07: `X9_LONGCOD` over `E_1234` in the component table). Codes are up to 16 characters
 * (config/schema.json); such a code fits its column at the table's size, and a wider one is set smaller.
 */
import { execFileSync } from "node:child_process";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatNrb } from "../../../kiosk/domain/nrb.ts";
import { writeSettlementPdf } from "../../../kiosk/reports/settlement-pdf.ts";
import { settlementSummary } from "../../../kiosk/reports/settlement-summary.ts";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import {
  DAY,
  insertPayment,
  reportingConfig,
  seedFixedDay,
} from "../../integration/reporting/fixture-day.ts";

const NOW = new Date("2026-11-26T06:00:00Z");
/** 16 characters each: typical letters and digits, and the widest letters the pattern allows. */
const CODES = ["X9_LONGCODE_1234", "OPLATA_SKARBOWA1", "WWWWWWWWWWWWWWWW"];
const RECIPIENT = "ODPADY_KOMUNALNE";

async function rendered(db: Db, summary: ReturnType<typeof settlementSummary>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  await writeSettlementPdf(db, summary, out);
  return execFileSync("pdftotext", ["-layout", "-", "-"], { input: Buffer.concat(chunks), encoding: "utf8" });
}

async function pdfText(db: Db): Promise<string> {
  const summary = settlementSummary(db, reportingConfig(), DAY, NOW);
  const [first, ...rest] = summary.totals.perComponent;
  if (!first) throw new Error("the fixture day has no components");
  summary.totals.perComponent = [...CODES.map((code) => ({ ...first, code, recipient: RECIPIENT })), ...rest];
  const [payee, ...others] = summary.totals.perRecipient;
  if (!payee) throw new Error("the fixture day has no recipients");
  summary.totals.perRecipient = [{ ...payee, recipient: RECIPIENT }, ...others];
  return rendered(db, summary);
}

/** `1 234,56 zł` as the PDF writes it (ordinary spaces once pdftotext has read it). */
function zl(grosze: number): string {
  const zloty = String(Math.trunc(grosze / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  return `${zloty},${String(grosze % 100).padStart(2, "0")} zł`;
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

  it("prints every amount whole on one line, up to a payment of 999 999 999,99 zł", async () => {
    // The grosz pass (2026-12-08): from 10 000 000,00 zł on (1 000 000,00 zł in the reversals) an amount
    // broke inside its cell ("10 000 999," over "99 zł"), so neither a reader nor a parser saw the number.
    const config = reportingConfig();
    const largest = { code: "DR", amount: 98_999_999_901, recipient: "POWIAT", quantity: 99 };
    const fee = { code: "FEE", amount: 1_000_000_098, recipient: "OPERATOR", label: "Opłata" };
    insertPayment(db, config, {
      id: "pay-20261125-0091",
      paidAt: "2026-11-25T12:00:00+01:00",
      slip: "S/2026/000991",
      caseRef: "KOM/991/2026",
      lines: [largest, fee],
    });
    insertPayment(db, config, {
      id: "pay-20261125-0092",
      paidAt: "2026-11-25T12:05:00+01:00",
      lines: [largest, fee],
      status: "reversed",
      reversedAt: "2026-11-25T12:10:00+01:00",
      reversalReason: "test",
    });
    const summary = settlementSummary(db, config, DAY, NOW);
    const lines = (await rendered(db, summary)).split("\n");
    const whole = (amount: number) => lines.filter((l) => l.includes(zl(amount))).length;
    const t = summary.totals;
    const amounts = [
      99_999_999_999,
      largest.amount,
      fee.amount,
      t.approvedTotal,
      ...t.perRecipient.map((r) => r.amount),
      ...t.perComponent.map((c) => c.amount),
    ];
    for (const amount of amounts) expect(whole(amount), zl(amount)).toBeGreaterThan(0);
    // And each recipient's account number, grouped, on its line whole.
    for (const r of t.perRecipient)
      expect(
        lines.some((l) => l.includes(formatNrb(r.nrb))),
        r.nrb,
      ).toBe(true);
    // No line holds a broken amount: digits and a comma with the grosze or "zł" on the next line.
    expect(lines.filter((l) => /\d,(\d?)\s*$|\d,\d\d z\s*$/.test(l))).toEqual([]);
  });
});
