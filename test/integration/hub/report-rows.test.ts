/**
 * The settlement report's rows are written by PostgreSQL (row_to_json, and CSV lines from the
 * report_csv_* functions of migration 003) so a month of ten million transactions streams without
 * per-row work in Node. These tests hold them to what the hub's JavaScript writers produce for the
 * same data: csvRow (kiosk/domain/csv.ts: formula neutralisation, RFC 4180 quoting) and
 * JSON.stringify, on text that needs every rule. And a transaction with two splits to one account
 * counts once for it, also for rows booked before migration 003 (its backfill).
 */
import { execFileSync } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SettlementTransaction } from "../../../contracts/settlement.ts";
import type { Hub } from "../../../hub/main.ts";
import { CSV_HEADER } from "../../../hub/reports/settlement.ts";
import { ServerDb } from "../../../hub/store/db.ts";
import { listMigrations, migrate } from "../../../hub/store/migrate.ts";
import { csvRow, csvStyle } from "../../../kiosk/domain/csv.ts";
import { isoWithOffset } from "../../../kiosk/domain/time.ts";
import {
  get,
  type HubHarness,
  NRB,
  post,
  startHubHarness,
  startInProcessHub,
  TOKENS,
  transaction,
} from "../../helpers/hub-harness.ts";

const DAY = "2026-11-19";
const TZ = "Europe/Warsaw";

/** Text that needs each CSV rule: formulas, a quote, a delimiter, line breaks, a tab, Polish letters. */
const tricky = transaction({
  paidAt: "2026-11-19T08:15:00Z",
  total: 30_000,
  slip: "=SUM(A1:A9)",
  case: 'KOM "pilne", 12\nlinia',
  slips: [
    { slip: "=SUM(A1:A9)", case: "@case", total: 20_000 },
    { slip: "S/2", case: "zażółć\u2028gęślą", total: 10_000 },
  ],
  splits: [
    { recipient: "POWIAT", nrb: NRB.POWIAT, component: "DR", amount: 18_000, slip: "=SUM(A1:A9)" },
    { recipient: "POWIAT", nrb: NRB.POWIAT, component: "+DR", amount: 9_999, slip: 'S/2,"x"\r\ny' },
    { recipient: "GMINA", nrb: NRB.GMINA, component: "-OS", amount: 2_000 },
    { recipient: "OPERATOR", nrb: NRB.OPERATOR, component: "FEE", amount: 1 },
  ],
  card: { brand: "VISA", maskedPan: "+48", authCode: "@1", terminalId: "\tT", traceNumber: "\r9" },
});
const plain = transaction({ paidAt: "2026-11-19T10:00:00Z", total: 5_000, kiosk: "K02" });
/**
 * A cash desk's payment of two slips of two cases and a service (SPEC §6, §10): each slip's rows
 * carry that slip's case; the service's row and the fee's carry the first slip's, as before.
 */
const twoSlips = transaction({
  paidAt: "2026-11-19T11:00:00Z",
  total: 17_300,
  kiosk: "D01",
  cashier: "ANNA",
  slip: "S/2026/1",
  case: "KOM/123/2026",
  slips: [
    { slip: "S/2026/1", case: "KOM/123/2026", total: 5_400 },
    { slip: "S/2026/2", case: "KIE/45/2026", total: 10_000 },
  ],
  splits: [
    { recipient: "GMINA", nrb: NRB.GMINA, component: "DR", amount: 5_400, slip: "S/2026/1" },
    { recipient: "GMINA", nrb: NRB.GMINA, component: "PJ", amount: 10_000, slip: "S/2026/2" },
    { recipient: "GMINA", nrb: NRB.GMINA, component: "ZAS_SKARB", amount: 1_700 },
    { recipient: "OPERATOR", nrb: NRB.OPERATOR, component: "FEE", amount: 200 },
  ],
});
const reversed = transaction({
  paidAt: "2026-11-19T22:59:59Z",
  total: 1_234,
  slip: null,
  case: null,
  card: { brand: null, maskedPan: null, authCode: null, terminalId: null, traceNumber: null },
});
const REASON = 'void "by cashier", at once\n=1';

let h: HubHarness;
let hub: Hub;
let url: string;

beforeAll(async () => {
  h = await startHubHarness();
  ({ hub, url } = await startInProcessHub(h));
  for (const [tx, token] of [
    [tricky, TOKENS.K01],
    [plain, TOKENS.K02],
    [twoSlips, TOKENS.D01],
    [reversed, TOKENS.K01],
  ] as const)
    expect((await post(`${url}/transactions`, tx, { token })).status).toBe(201);
  const reversal = {
    transactionId: reversed.transactionId,
    office: "PZ1465",
    kiosk: "K01",
    total: reversed.total,
    reversedAt: "2026-11-19T23:05:00Z",
    reason: REASON,
  };
  const res = await post(`${url}/transactions/${reversed.transactionId}/reversal`, reversal, {
    token: TOKENS.K01,
  });
  expect(res.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await h?.stop();
});

/** In ledger order (business day, paid at, id): the four are on one day, paid at distinct times. */
const LEDGER = [tricky, plain, twoSlips, reversed];
const STANDARD = csvStyle("standard");
const paidAt = (t: SettlementTransaction) => isoWithOffset(new Date(t.paidAt), TZ);

/** The case of a split's slip: the transaction's for its first slip, a service and the fee. */
function caseOf(t: SettlementTransaction, slip: string | null | undefined): string | null | undefined {
  if (slip == null || slip === t.slip) return t.case;
  return t.slips?.find((x) => x.slip === slip)?.case ?? t.case;
}

function expectedCsv(): string {
  let out = csvRow(CSV_HEADER, ",");
  for (const t of LEDGER)
    t.splits.forEach((s, i) => {
      out += csvRow(
        [
          t.transactionId,
          paidAt(t),
          DAY,
          "PZ1465",
          t.kiosk,
          s.slip ?? t.slip,
          caseOf(t, s.slip),
          i + 1,
          s.component,
          s.recipient,
          s.nrb,
          STANDARD.amount(s.amount),
          "PLN",
          t.card.brand,
          t.card.maskedPan,
          t.card.authCode,
          t.card.terminalId,
          t.card.traceNumber,
          t === reversed ? "reversed" : "approved",
          t.cashier ?? null,
        ],
        ",",
      );
    });
  return out;
}

/** A transaction as JSON.stringify writes it; `slips` as PostgreSQL's jsonb writes the stored array. */
function expectedJson(t: SettlementTransaction, slipsJsonb: string): string {
  const view = {
    transactionId: t.transactionId,
    paidAt: paidAt(t),
    businessDay: DAY,
    device: t.kiosk,
    cashier: t.cashier ?? null,
    total: t.total,
    status: t === reversed ? "reversed" : "approved",
    slip: t.slip ?? null,
    case: t.case ?? null,
    splits: t.splits.map((s) => ({
      recipient: s.recipient,
      nrb: s.nrb,
      component: s.component,
      amount: s.amount,
      slip: s.slip ?? null,
    })),
    card: t.card,
    reversal: t === reversed ? { reversedAt: "2026-11-20T00:05:00+01:00", reason: REASON } : null,
  };
  return `${JSON.stringify(view).slice(0, -1)},"slips":${slipsJsonb}}`;
}

describe("settlement rows written by the database", () => {
  it("CSV: byte for byte what csvRow writes, formulas neutralised, quotes and line breaks quoted", async () => {
    const csv = await get(`${url}/api/offices/PZ1465/settlement?date=${DAY}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.text).toBe(expectedCsv());
    expect(csv.text).toContain(`,'=SUM(A1:A9),"KOM ""pilne"", 12\nlinia",1,DR,`);
    expect(csv.text).toContain(`,'+DR,POWIAT,`);
    // The second slip's line under its own case, not the first slip's.
    expect(csv.text).toContain(`,S/2026/2,KIE/45/2026,2,PJ,GMINA,`);
    expect(csv.text).toContain(`,S/2026/1,KOM/123/2026,3,ZAS_SKARB,GMINA,`);
  });

  it("PDF: the second slip's line under its own case", async () => {
    const res = await fetch(`${url}/api/offices/PZ1465/settlement?date=${DAY}&format=pdf`, {
      headers: { authorization: `Bearer ${TOKENS.staffSystem}` },
    });
    expect(res.status).toBe(200);
    const text = execFileSync("pdftotext", ["-layout", "-", "-"], {
      input: Buffer.from(await res.arrayBuffer()),
      encoding: "utf8",
    });
    const row = (component: string) =>
      text.split("\n").find((l) => new RegExp(`\\s${component}\\s`).test(l)) ?? "";
    expect(row("PJ")).toContain("KIE/45/2026");
    expect(row("ZAS_SKARB")).toContain("KOM/123/2026");
  });

  it("JSON: each transaction as JSON.stringify writes it, in ledger order", async () => {
    const res = await get(`${url}/api/offices/PZ1465/settlement?date=${DAY}&format=json`);
    expect(res.status).toBe(200);
    const slips = `[{"case": "@case", "slip": "=SUM(A1:A9)", "total": 20000}, {"case": "zażółć\u2028gęślą", "slip": "S/2", "total": 10000}]`;
    const two = `[{"case": "KOM/123/2026", "slip": "S/2026/1", "total": 5400}, {"case": "KIE/45/2026", "slip": "S/2026/2", "total": 10000}]`;
    const list = [
      expectedJson(tricky, slips),
      expectedJson(plain, "[]"),
      expectedJson(twoSlips, two),
      expectedJson(reversed, "[]"),
    ];
    expect(res.text.endsWith(`"transactions":[${list.join(",")}]}`)).toBe(true);
    const header = JSON.stringify({ ...res.body, transactions: undefined }).slice(0, -1);
    expect(res.text.startsWith(header)).toBe(true);
  });

  it("counts a transaction once per account however many of its splits go there", async () => {
    const res = await get(`${url}/api/offices/PZ1465/settlement?date=${DAY}&format=json`);
    const recipients = res.body["recipients"] as Array<{ code: string; count: number; total: number }>;
    expect(recipients.find((r) => r.code === "POWIAT")).toMatchObject({
      count: 2,
      total: 18_000 + 9_999 + 3_300,
    });
  });
});

describe("migration 003 on a ledger booked before it", () => {
  it("marks the second split to one account so the transaction counts once", async () => {
    const dbUrl = await h.cluster.createDatabase("before003");
    const db = new ServerDb(dbUrl);
    const client = new pg.Client(dbUrl);
    await client.connect();
    try {
      await migrate(
        db,
        listMigrations().filter((m) => m.version < 3),
      );
      await client.query(
        `INSERT INTO transactions (id, office, device, paid_at, business_day, total)
         VALUES ('a', 'PZ1465', 'K01', '2026-11-19T09:00:00Z', '2026-11-19', 300)`,
      );
      await client.query(
        `INSERT INTO splits (transaction_id, n, recipient, nrb, component, amount) VALUES
           ('a', 1, 'POWIAT', '${NRB.POWIAT}', 'DR', 100), ('a', 2, 'GMINA', '${NRB.GMINA}', 'OS', 50),
           ('a', 3, 'POWIAT', '${NRB.POWIAT}', 'DR', 150)`,
      );
      expect(await migrate(db)).toContain(3);
      const rows = await client.query("SELECT n, first_for_recipient FROM splits ORDER BY n");
      expect(rows.rows).toEqual([
        { n: 1, first_for_recipient: true },
        { n: 2, first_for_recipient: true },
        { n: 3, first_for_recipient: false },
      ]);
    } finally {
      await client.end();
      await db.close();
    }
  });
});
