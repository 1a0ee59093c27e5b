/**
 * The settlement PDF never wraps a transaction's id (outside-in pass, 2026-12-07: `K01_20261207_0001_Y`
 * over `PNO`): its column holds such an id at the table's size, and a longer one is set smaller.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { HubConfig } from "../../../hub/config/types.ts";
import type { SettlementHeader } from "../../../hub/reports/settlement.ts";
import { settlementPdf } from "../../../hub/reports/settlement-pdf.ts";
import type { HubDb } from "../../../hub/store/db.ts";

const IDS = ["K01_20261207_0001_YPNO", "K02_20261207_0014_QX7Z", "KIOSK-PZ1465-01_20261207_0001_ABCDEF"];

/** The ledger's split rows as the report's cursor gives them. */
function ledger(rows: object[]): HubDb {
  return {
    kind: "embedded",
    query: async () => [],
    transaction: async () => {
      throw new Error("not here");
    },
    stream: async (_sql, _params, _batch, onRows) => onRows(rows as never[]),
    close: async () => {},
  };
}

const header = {
  count: IDS.length,
  total: 3 * 5_400,
  closed: true,
  recipients: [],
  components: [],
  devices: [],
  reconciliation: [],
  reversals: [{ transactionId: IDS[0], device: "K01", total: 5_400, reason: "zwrot" }],
} as unknown as SettlementHeader;

async function text(pdf: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of pdf) chunks.push(c as Buffer);
  return execFileSync("pdftotext", ["-layout", "-", "-"], { input: Buffer.concat(chunks), encoding: "utf8" });
}

const config = {
  offices: { PZ1465: { id: "PZ1465", name: "Starostwo", recipients: {} } },
} as unknown as HubConfig;

/** One split row of the ledger, a kiosk's unless `over` says otherwise. */
function splitRow(id: string, paidAt: string, over: { device?: string; cashier?: string | null } = {}) {
  return {
    id,
    paid_at: paidAt,
    device: "K01",
    cashier: null,
    case_ref: "KOM/123/2026",
    reversed_at: null,
    recipient: "POWIAT",
    component: "DR",
    amount: 5_400,
    ...over,
  };
}

describe("settlement PDF", () => {
  it("prints each transaction id on one line, in the transactions and the reversals", async () => {
    const rows = IDS.map((id, n) =>
      splitRow(id, `2026-12-07T11:1${n}:59`, { device: id.slice(0, 3), cashier: n === 1 ? "ANNA" : null }),
    );
    const out = await text(
      settlementPdf(ledger(rows), config, header, { office: "PZ1465", from: "2026-12-07", to: "2026-12-07" }),
    );
    for (const id of IDS)
      expect(out.split("\n").filter((l) => l.includes(id)).length, `${id}\n${out}`).toBeGreaterThan(0);
    // The reversals' table and the transactions' table each hold the first id whole.
    expect(out.split("\n").filter((l) => l.includes(IDS[0]!))).toHaveLength(2);
    expect(out).toContain("2026-12-07T11:10:59");
  });

  it("prints the offset of the two times of the repeated hour (summer time ends) only, on one line", async () => {
    const rows = [
      ["tx-1", "2026-10-25T00:00:01+02:00"],
      ["tx-2", "2026-10-25T02:30:00+02:00"],
      ["tx-3", "2026-10-25T02:30:00+01:00"],
      ["tx-4", "2026-10-25T23:59:59+01:00"],
    ].map(([id = "", paidAt = ""]) => splitRow(id, paidAt));
    const out = await text(
      settlementPdf(ledger(rows), config, header, { office: "PZ1465", from: "2026-10-25", to: "2026-10-25" }),
    );
    const timeOf = (id: string) =>
      out
        .split("\n")
        .find((l) => l.startsWith(id))
        ?.split(/\s+/)[1];
    expect([timeOf("tx-1"), timeOf("tx-2"), timeOf("tx-3"), timeOf("tx-4")]).toEqual([
      "2026-10-25T00:00:01",
      "2026-10-25T02:30:00+02:00",
      "2026-10-25T02:30:00+01:00",
      "2026-10-25T23:59:59",
    ]);
  });

  it("prints every amount whole on one line, up to a payment of 999 999 999,99 zł and a day beyond", async () => {
    // The grosz pass (2026-12-08): a split of 19 999 999,98 zł printed "19999999.9" over "8".
    const largest = 99_999_999_999;
    const day = 3 * largest;
    const big = {
      ...header,
      count: 3,
      total: day,
      recipients: [
        { code: "POWIAT", name: "Starostwo", nrb: "12102099920000000014651001", count: 3, total: day },
      ],
      components: [{ code: "DR", count: 3, total: day }],
      devices: [{ id: "K01", count: 3, total: day }],
      reconciliation: [
        {
          date: "2026-12-07",
          device: "K01",
          hub: { count: 3, total: day },
          reported: { count: 3, total: day },
          terminal: { count: 3, total: day },
          mismatches: [],
        },
      ],
      reversals: [{ transactionId: IDS[0], device: "K01", total: largest, reason: "zwrot" }],
    } as unknown as SettlementHeader;
    const rows = IDS.map((id, n) => ({ ...splitRow(id, `2026-12-07T11:1${n}:59`), amount: largest }));
    const out = await text(
      settlementPdf(ledger(rows), config, big, { office: "PZ1465", from: "2026-12-07", to: "2026-12-07" }),
    );
    const lines = out.split("\n");
    const whole = (text: string) =>
      lines.filter((l) => new RegExp(`(^|\\s)${text.replace(".", "\\.")}(\\s|$)`).test(l));
    // The header, the recipient, the component, the device and the reconciliation's two figures.
    expect(whole("2999999999.97").length, out).toBeGreaterThanOrEqual(5);
    // The reversal and each transaction's split.
    expect(whole("999999999.99").length, out).toBe(1 + IDS.length);
    // No line starts with a broken amount's tail.
    expect(
      lines.filter((l) => /^\s+\d{1,2}\s*$/.test(l)),
      out,
    ).toEqual([]);
  });
});
