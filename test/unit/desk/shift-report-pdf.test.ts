/**
 * The shift report's PDF (SPEC §10) names each total once: a card brand is its own code and name
 * ("VISA", not "VISA VISA"); a recipient or component shows its code beside its name.
 */
import { execFileSync } from "node:child_process";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { type ShiftReport, writeShiftReportPdf } from "../../../kiosk/desk/shift-report.ts";

const report: ShiftReport = {
  shift: {
    id: "K01_SH_1",
    cashier: { id: "ANNA", name: "Anna Nowak" },
    office: "PZ1465",
    desk: "K01",
    businessDay: "2026-12-07",
    openedAt: "2026-12-07T08:00:00+01:00",
    closedAt: "2026-12-07T16:00:00+01:00",
  },
  currency: "PLN",
  count: 1,
  total: 10_200,
  payments: [
    {
      id: "K01_P1",
      paidAt: "2026-12-07T09:00:00+01:00",
      status: "approved",
      total: 10_200,
      cardBrand: "VISA",
      card: "0010",
      authCode: "100001",
      receiptNumber: "0001",
      reversedAt: null,
      reason: null,
    },
  ],
  voids: [],
  recipients: [{ code: "POWIAT", name: "Starostwo – dochody", count: 1, total: 10_000 }],
  components: [{ code: "PJ", name: "Prawo jazdy", count: 1, total: 10_000 }],
  cardBrands: [{ code: "VISA", name: "VISA", count: 1, total: 10_200 }],
  endOfDay: null,
};

async function pdfText(r: ShiftReport): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on("end", resolve));
  await writeShiftReportPdf(r, out);
  await ended;
  return execFileSync("pdftotext", ["-layout", "-", "-"], { input: Buffer.concat(chunks), encoding: "utf8" });
}

describe("the shift report's PDF", () => {
  it("names a card brand once, and a recipient and a component by code and name", async () => {
    const text = (await pdfText(report)).replace(/[ \t]+/g, " ");
    expect(text).toContain("VISA: 1 płatn., 102,00 zł");
    expect(text).not.toContain("VISA VISA");
    expect(text).toContain("POWIAT Starostwo – dochody: 1 płatn., 100,00 zł");
    expect(text).toContain("PJ Prawo jazdy: 1 płatn., 100,00 zł");
  });

  it("says when the shift opened and closed as the printed report does, not in ISO form", async () => {
    const text = (await pdfText(report)).replace(/[ \t]+/g, " ");
    expect(text).toContain("Otwarta 2026-12-07 08:00:00, zamknięta 2026-12-07 16:00:00");
    expect(text).not.toContain("T08:00:00+01:00");
  });
});
