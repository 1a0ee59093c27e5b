/**
 * Issue 19.8: the log scan read PDFs (settlement reports written beside the logs) as UTF-8 text and
 * took font widths and offsets for card numbers. It now reads a PDF's strings, inflated, and still
 * finds a card number a PDF really shows.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { settlementSummary } from "../../../kiosk/reports/settlement-summary.ts";
import { writeReportFile } from "../../../kiosk/reports/settlement-report.ts";
import { openDatabase } from "../../../kiosk/store/db.ts";
import { reportingConfig, seedFixedDay } from "../../integration/reporting/fixture-day.ts";

const SCRIPT = path.resolve("scripts/scan-logs.ts");
let dir = "";
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = "";
});

function scan(directory: string): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, ["--import", "tsx", SCRIPT, directory], { encoding: "utf8" });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

/** A one-page PDF whose compressed content stream draws `text` in a standard font. */
function pdfShowing(text: string): Buffer {
  const content = zlib.deflateSync(Buffer.from(`BT /F1 12 Tf 72 720 Td (${text}) Tj ET`, "latin1"));
  return Buffer.concat([
    Buffer.from(
      "%PDF-1.4\n1 0 obj\n<< /Length " + content.length + " /Filter /FlateDecode >>\nstream\n",
      "latin1",
    ),
    content,
    Buffer.from(
      "\nendstream\nendobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<< /Size 2 >>\n%%EOF\n",
      "latin1",
    ),
  ]);
}

describe("log scan of PDFs", () => {
  it("finds nothing in a real settlement report PDF", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-scan-pdf-"));
    const db = openDatabase(":memory:");
    const config = reportingConfig();
    seedFixedDay(db, config);
    const summary = settlementSummary(db, config, "2026-11-25", new Date("2026-11-26T10:00:00Z"));
    await writeReportFile(db, summary, "pdf", path.join(dir, "settlement.pdf"));
    db.close();
    const run = scan(dir);
    expect(run.out).toContain("1 file(s), 0 finding(s)");
    expect(run.status).toBe(0);
  });

  it("still finds a card number that a PDF shows", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-scan-pdf-"));
    fs.writeFileSync(path.join(dir, "leak.pdf"), pdfShowing("card 4111 1111 1111 1111"));
    const run = scan(dir);
    expect(run.out).toMatch(/leak\.pdf:\d+: card_number/);
    expect(run.out).not.toContain("4111 1111 1111 1111");
    expect(run.status).toBe(1);
  });
});

describe("log scan of timestamps", () => {
  it("takes no 14-digit timestamp that passes Luhn for a card number", async () => {
    const { scanText } = await import("../../../scripts/scan-logs.ts");
    expect(scanText('{"msg":"receipt","code":"OPLR1|K01|p_1|PZ1465|-|200|20261205231651|k|s"}')).toEqual([]);
    expect(scanText("/CreationDate (D:20261205231651Z)")).toEqual([]);
    expect(scanText("pan 4111 1111 1111 1111")).toHaveLength(1);
  });
});
