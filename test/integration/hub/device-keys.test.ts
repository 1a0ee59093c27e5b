/**
 * The ledger's key is (office, device, transactionId) (migration 006): a transactionId is the sending
 * device's own payment id (SPEC §6), and devices the hub does not coordinate may number their payments
 * alike. Two devices' equal ids are two transactions in every report, payout and the fleet view; a
 * device's own id keeps its Idempotency-Key rules; a reversal reverses the sender's own transaction.
 * And a ledger booked before 006 keeps every row. Against a real PostgreSQL server.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHub, type Hub } from "../../../hub/main.ts";
import { ServerDb } from "../../../hub/store/db.ts";
import { listMigrations, migrate } from "../../../hub/store/migrate.ts";
import {
  get,
  type HubHarness,
  ledgerSnapshot,
  NRB,
  post,
  startHubHarness,
  startInProcessHub,
  TOKENS,
  transaction,
} from "../../helpers/hub-harness.ts";

let h: HubHarness;
let hub: Hub;
let url: string;

beforeAll(async () => {
  h = await startHubHarness({ name: "device_keys" });
  ({ hub, url } = await startInProcessHub(h));
});

afterAll(async () => {
  await hub?.close();
  await h?.stop();
});

interface Report {
  count: number;
  total: number;
  recipients: Array<{ code: string; nrb: string; count: number; total: number }>;
  devices: Array<{ id: string; count: number; total: number }>;
  reversals: Array<{ transactionId: string; device: string; total: number }>;
  transactions: Array<{ transactionId: string; device: string; total: number; status: string }>;
}

const report = async (base: string, date: string, office = "PZ1465") =>
  (await get(`${base}/api/offices/${office}/settlement?date=${date}`)).body as unknown as Report;

const payouts = async (base: string, date: string, office = "PZ1465") =>
  (
    (await get(`${base}/api/offices/${office}/payouts?date=${date}&format=json`)).body as unknown as {
      total: number;
      transfers: Array<{ nrb: string; amount: number }>;
    }
  ).transfers
    .map((t) => [t.nrb, t.amount])
    .sort();

const reversalOf = (id: string, kiosk: string, total: number) => ({
  transactionId: id,
  office: "PZ1465",
  kiosk,
  total,
  reversedAt: "2026-08-05T12:00:00Z",
  reason: "void",
});

describe("two devices sending the same transactionId", () => {
  it("books both, of one office and of two, each in its office's report (JSON, CSV, PDF), payouts and the fleet", async () => {
    // D01 pays at the same instant as K01: ledger order tells them apart by device.
    const k01 = transaction({ transactionId: "T-1", paidAt: "2026-08-03T08:00:00Z", total: 10_000 });
    const k02 = transaction({
      transactionId: "T-1",
      kiosk: "K02",
      paidAt: "2026-08-03T09:00:00Z",
      total: 4_000,
    });
    const d01 = transaction({
      transactionId: "T-1",
      kiosk: "D01",
      paidAt: "2026-08-03T08:00:00Z",
      total: 2_500,
    });
    const w01 = transaction({
      transactionId: "T-1",
      office: "WA0001",
      kiosk: "W01",
      paidAt: "2026-08-03T10:00:00Z",
      total: 7_000,
      splits: [{ recipient: "POWIAT", nrb: NRB.POWIAT, component: "DR", amount: 7_000 }],
    });
    const key = "settlement.transaction.T-1"; // each device's outbox names its message alike, too
    for (const [tx, token] of [
      [k01, TOKENS.K01],
      [k02, TOKENS.K02],
      [d01, TOKENS.D01],
      [w01, TOKENS.W01],
    ] as const) {
      const res = await post(`${url}/transactions`, tx, { token, key });
      expect([res.status, res.body]).toEqual([
        201,
        { transactionId: "T-1", status: "booked", businessDay: "2026-08-03" },
      ]);
    }

    const pz = await report(url, "2026-08-03");
    expect([pz.count, pz.total]).toEqual([3, 16_500]);
    expect(pz.devices).toEqual([
      { id: "D01", count: 1, total: 2_500 },
      { id: "K01", count: 1, total: 10_000 },
      { id: "K02", count: 1, total: 4_000 },
    ]);
    // POWIAT gets total − 1 700 of each, GMINA 1 700 of each.
    expect(pz.recipients).toEqual([
      expect.objectContaining({ code: "GMINA", count: 3, total: 5_100 }),
      expect.objectContaining({ code: "POWIAT", count: 3, total: 11_400 }),
    ]);
    expect(pz.transactions.map((t) => [t.transactionId, t.device, t.total, t.status])).toEqual([
      ["T-1", "D01", 2_500, "approved"],
      ["T-1", "K01", 10_000, "approved"],
      ["T-1", "K02", 4_000, "approved"],
    ]);
    expect(await payouts(url, "2026-08-03")).toEqual(
      [
        [NRB.GMINA, 5_100],
        [NRB.POWIAT, 11_400],
      ].sort(),
    );

    const wa = await report(url, "2026-08-03", "WA0001");
    expect([wa.count, wa.total]).toEqual([1, 7_000]);
    expect(wa.transactions.map((t) => [t.transactionId, t.device])).toEqual([["T-1", "W01"]]);
    expect(await payouts(url, "2026-08-03", "WA0001")).toEqual([[NRB.POWIAT, 7_000]]);

    // The CSV shows the device beside the id: one line per split, each transaction's own.
    const csv = (await get(`${url}/api/offices/PZ1465/settlement?date=2026-08-03&format=csv`)).text;
    const lines = csv
      .trim()
      .split("\r\n")
      .slice(1)
      .map((l) => l.split(","));
    expect(lines.map((c) => `${c[0]}/${c[4]}/${c[11]}`)).toEqual([
      "T-1/D01/8.00",
      "T-1/D01/17.00",
      "T-1/K01/83.00",
      "T-1/K01/17.00",
      "T-1/K02/23.00",
      "T-1/K02/17.00",
    ]);
    const pdf = await fetch(`${url}/api/offices/PZ1465/settlement?date=2026-08-03&format=pdf`, {
      headers: { authorization: `Bearer ${TOKENS.staffSystem}` },
    });
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");

    const fleet = (await get(`${url}/api/fleet`)).body as {
      devices: Array<{ office: string; id: string; lastPaymentAt: string | null }>;
    };
    const last = (office: string, id: string) =>
      fleet.devices.find((d) => d.office === office && d.id === id)?.lastPaymentAt;
    expect(last("PZ1465", "K01")).toBe("2026-08-03T08:00:00.000Z");
    expect(last("PZ1465", "K02")).toBe("2026-08-03T09:00:00.000Z");
    expect(last("PZ1465", "D01")).toBe("2026-08-03T08:00:00.000Z");
    expect(last("WA0001", "W01")).toBe("2026-08-03T10:00:00.000Z");

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(
      /oplatomat_hub_ingest_total\{kind="transaction",office="PZ1465",status="201"\} 3/,
    );
  });

  it("a device's own id keeps its rules: same key same body replays, same key other body 422, another key 409", async () => {
    const mine = transaction({ transactionId: "T-2", paidAt: "2026-08-04T08:00:00Z" });
    const theirs = transaction({ transactionId: "T-2", kiosk: "K02", paidAt: "2026-08-04T08:30:00Z" });
    const first = await post(`${url}/transactions`, mine, { token: TOKENS.K01, key: "k-T-2" });
    expect(first.status).toBe(201);
    expect((await post(`${url}/transactions`, theirs, { token: TOKENS.K02, key: "k-T-2" })).status).toBe(201);
    const before = await ledgerSnapshot(h.dbUrl);
    const replay = await post(`${url}/transactions`, mine, { token: TOKENS.K01, key: "k-T-2" });
    expect([replay.status, replay.text]).toEqual([201, first.text]);
    const reused = await post(
      `${url}/transactions`,
      { ...mine, case: "OTHER/1" },
      { token: TOKENS.K01, key: "k-T-2" },
    );
    expect([reused.status, reused.body["code"]]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
    const again = await post(`${url}/transactions`, mine, { token: TOKENS.K01, key: "k-T-2-again" });
    expect([again.status, again.body["code"]]).toEqual([409, "CONFLICT"]);
    expect(await ledgerSnapshot(h.dbUrl)).toEqual(before);
    expect((await report(url, "2026-08-04")).count).toBe(2);
  });

  it("a reversal reverses the sender's own transaction; the other device's equal id stays booked", async () => {
    const k01 = transaction({ transactionId: "T-3", paidAt: "2026-08-05T08:00:00Z", total: 10_000 });
    const k02 = transaction({
      transactionId: "T-3",
      kiosk: "K02",
      paidAt: "2026-08-05T09:00:00Z",
      total: 4_000,
    });
    expect((await post(`${url}/transactions`, k01, { token: TOKENS.K01 })).status).toBe(201);
    expect((await post(`${url}/transactions`, k02, { token: TOKENS.K02 })).status).toBe(201);

    const undo = await post(`${url}/transactions/T-3/reversal`, reversalOf("T-3", "K02", 4_000), {
      token: TOKENS.K02,
    });
    expect([undo.status, undo.body]).toEqual([
      201,
      { transactionId: "T-3", status: "reversed", businessDay: "2026-08-05" },
    ]);
    const r = await report(url, "2026-08-05");
    expect([r.count, r.total]).toEqual([1, 10_000]);
    expect(r.transactions.map((t) => [t.device, t.status])).toEqual([
      ["K01", "approved"],
      ["K02", "reversed"],
    ]);
    expect(r.reversals).toEqual([
      expect.objectContaining({ transactionId: "T-3", device: "K02", total: 4_000 }),
    ]);
    expect(r.devices).toEqual([{ id: "K01", count: 1, total: 10_000 }]);
    expect(await payouts(url, "2026-08-05")).toEqual(
      [
        [NRB.GMINA, 1_700],
        [NRB.POWIAT, 8_300],
      ].sort(),
    );

    const before = await ledgerSnapshot(h.dbUrl);
    // D01 never booked a T-3: not found for it, as any id it never booked.
    const stranger = await post(`${url}/transactions/T-3/reversal`, reversalOf("T-3", "D01", 4_000), {
      token: TOKENS.D01,
    });
    expect([stranger.status, stranger.body["code"]]).toEqual([404, "NOT_FOUND"]);
    // K01's T-3 is its own 100 zł, not K02's 40 zł.
    const k01Wrong = await post(`${url}/transactions/T-3/reversal`, reversalOf("T-3", "K01", 4_000), {
      token: TOKENS.K01,
    });
    expect([k01Wrong.status, k01Wrong.body["code"]]).toEqual([422, "TOTAL_MISMATCH"]);
    const twice = await post(`${url}/transactions/T-3/reversal`, reversalOf("T-3", "K02", 4_000), {
      token: TOKENS.K02,
    });
    expect([twice.status, twice.body["code"]]).toEqual([409, "CONFLICT"]);
    expect(await ledgerSnapshot(h.dbUrl)).toEqual(before);
  });
});

describe("migration 006 on a ledger booked before it", () => {
  it("keeps every transaction, split and reversal, now keyed per device, and the hub reports them", async () => {
    const dbUrl = await h.cluster.createDatabase("before006");
    const db = new ServerDb(dbUrl);
    const client = new pg.Client(dbUrl);
    await client.connect();
    let old: Hub | undefined;
    try {
      await migrate(
        db,
        listMigrations().filter((m) => m.version < 6),
      );
      // As the hub booked them before 006: ids unique across the hub, a split's key its transaction id.
      await client.query(
        `INSERT INTO transactions (id, office, device, paid_at, business_day, total, slip, case_ref, slips,
                                   card_brand, masked_pan, auth_code, terminal_id, trace_number, cashier)
         VALUES ('a', 'PZ1465', 'K01', '2026-07-01T08:00:00Z', '2026-07-01', 16000, 'S/1', 'KOM/1', '[]',
                 'VISA', '************1234', '123456', 'T0000001', '000001', NULL),
                ('b', 'PZ1465', 'D01', '2026-07-01T09:00:00Z', '2026-07-01', 5000, 'S/2', 'KOM/2', '[]',
                 'VISA', '************9876', '654321', 'T0000002', '000002', 'kasjer-1'),
                ('c', 'WA0001', 'W01', '2026-07-01T10:00:00Z', '2026-07-01', 3000, NULL, NULL, '[]',
                 NULL, NULL, NULL, NULL, NULL, NULL)`,
      );
      await client.query(
        `INSERT INTO splits (transaction_id, n, recipient, nrb, component, amount, slip, first_for_recipient) VALUES
           ('a', 1, 'POWIAT', '${NRB.POWIAT}', 'DR', 14300, 'S/1', true),
           ('a', 2, 'GMINA', '${NRB.GMINA}', 'OS', 1700, 'S/1', true),
           ('b', 1, 'POWIAT', '${NRB.POWIAT}', 'DR', 3000, NULL, true),
           ('b', 2, 'POWIAT', '${NRB.POWIAT}', 'DR', 2000, NULL, false),
           ('c', 1, 'POWIAT', '${NRB.POWIAT}', 'DR', 3000, NULL, true)`,
      );
      await client.query(
        `INSERT INTO reversals (transaction_id, office, device, reversed_at, reason, terminal_trace)
         VALUES ('b', 'PZ1465', 'D01', '2026-07-01T09:30:00Z', 'void', '000003')`,
      );
      const rows = async (sql: string) => (await client.query(sql)).rows;
      const txSql = "SELECT * FROM transactions ORDER BY id";
      const splitSql = `SELECT transaction_id, n, recipient, nrb, component, amount, slip, first_for_recipient
                          FROM splits ORDER BY transaction_id, n`;
      const revSql = "SELECT * FROM reversals ORDER BY transaction_id";
      const before = { tx: await rows(txSql), splits: await rows(splitSql), rev: await rows(revSql) };

      expect(await migrate(db)).toContain(6);
      expect(await rows(txSql)).toEqual(before.tx);
      expect(await rows(splitSql)).toEqual(before.splits);
      expect(await rows(revSql)).toEqual(before.rev);
      expect(
        await rows("SELECT transaction_id, office, device FROM splits ORDER BY transaction_id, n"),
      ).toEqual([
        { transaction_id: "a", office: "PZ1465", device: "K01" },
        { transaction_id: "a", office: "PZ1465", device: "K01" },
        { transaction_id: "b", office: "PZ1465", device: "D01" },
        { transaction_id: "b", office: "PZ1465", device: "D01" },
        { transaction_id: "c", office: "WA0001", device: "W01" },
      ]);
      expect(
        await rows(
          `SELECT conrelid::regclass::text AS t, pg_get_constraintdef(oid) AS def FROM pg_constraint
            WHERE conrelid::regclass::text IN ('transactions', 'splits', 'reversals') AND contype IN ('p', 'f')
            ORDER BY 1, 2`,
        ),
      ).toEqual([
        {
          t: "reversals",
          def: "FOREIGN KEY (office, device, transaction_id) REFERENCES transactions(office, device, id)",
        },
        { t: "reversals", def: "PRIMARY KEY (office, device, transaction_id)" },
        {
          t: "splits",
          def: "FOREIGN KEY (office, device, transaction_id) REFERENCES transactions(office, device, id)",
        },
        { t: "splits", def: "PRIMARY KEY (office, device, transaction_id, n)" },
        { t: "transactions", def: "PRIMARY KEY (office, device, id)" },
      ]);

      // A hub on the migrated ledger reports the old rows, and books another device's `a` beside K01's.
      old = await createHub({ ...h.config, database: { url: dbUrl } });
      const base = await old.listen(0);
      const r = await report(base, "2026-07-01");
      expect([r.count, r.total]).toEqual([1, 16_000]);
      expect(r.transactions.map((t) => [t.transactionId, t.device, t.status])).toEqual([
        ["a", "K01", "approved"],
        ["b", "D01", "reversed"],
      ]);
      expect(r.reversals).toEqual([
        expect.objectContaining({ transactionId: "b", device: "D01", total: 5_000 }),
      ]);
      const again = await post(
        `${base}/transactions`,
        transaction({ transactionId: "a", paidAt: "2026-07-01T11:00:00Z" }),
        {
          token: TOKENS.K01,
        },
      );
      expect([again.status, again.body["code"]]).toEqual([409, "CONFLICT"]);
      const k02 = transaction({
        transactionId: "a",
        kiosk: "K02",
        paidAt: "2026-07-01T11:00:00Z",
        total: 2_000,
      });
      expect((await post(`${base}/transactions`, k02, { token: TOKENS.K02 })).status).toBe(201);
      const after = await report(base, "2026-07-01");
      expect([after.count, after.total]).toEqual([2, 18_000]);
      const undo = await post(`${base}/transactions/a/reversal`, reversalOf("a", "K01", 16_000), {
        token: TOKENS.K01,
      });
      expect(undo.status).toBe(201);
      expect([(await report(base, "2026-07-01")).total]).toEqual([2_000]);
    } finally {
      await old?.close();
      await client.end();
      await db.close();
    }
  });
});
