/**
 * The hub's ingest contract (SPEC §9) from outside, over HTTP, against a real PostgreSQL server:
 * device authentication and identity, Idempotency-Key semantics, the registry's splits and NRBs,
 * reversals and days, and every bad input of issue 15 leaving the database as it was.
 */
import http from "node:http";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyHash } from "../../../hub/ingest/idempotency.ts";
import { createHub, type Hub } from "../../../hub/main.ts";
import { reconcile } from "../../../kiosk/domain/reconciliation.ts";
import { settlementDayMessage } from "../../../kiosk/outbox/messages.ts";
import {
  FOREIGN_NRB,
  get,
  type HubHarness,
  ledgerSnapshot,
  NRB,
  post,
  type Sent,
  startHubHarness,
  startInProcessHub,
  TOKENS,
  transaction,
} from "../../helpers/hub-harness.ts";

let h: HubHarness;
let hub: Hub;
let url: string;

beforeAll(async () => {
  h = await startHubHarness();
  ({ hub, url } = await startInProcessHub(h));
});

afterAll(async () => {
  await hub?.close();
  await h?.stop();
});

const settlement = async (date: string, office = "PZ1465") =>
  (await get(`${url}/api/offices/${office}/settlement?date=${date}`)).body as {
    count: number;
    total: number;
    recipients: Array<{ code: string; nrb: string; count: number; total: number }>;
    devices: Array<{ id: string; count: number; total: number }>;
    transactions: Array<{ transactionId: string; status: string; splits: unknown[] }>;
    closed: boolean;
    reconciliation: Array<{ device: string; mismatches: Array<{ check: string }> }>;
  };

/** Sends a refused request and checks that nothing stored changed. */
async function refusedWithoutChange(send: () => Promise<Sent>) {
  const before = await ledgerSnapshot(h.dbUrl);
  const answer = await send();
  expect(await ledgerSnapshot(h.dbUrl)).toEqual(before);
  return answer;
}

describe("POST /transactions", () => {
  it("books a transaction and answers 201 once it is committed; the report lists it with its splits", async () => {
    const tx = transaction({ paidAt: "2026-11-02T10:00:00Z" });
    const res = await post(`${url}/transactions`, tx, { token: TOKENS.K01 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      transactionId: tx.transactionId,
      status: "booked",
      businessDay: "2026-11-02",
    });
    const report = await settlement("2026-11-02");
    expect(report.count).toBe(1);
    expect(report.total).toBe(16_000);
    expect(report.recipients).toEqual([
      expect.objectContaining({ code: "GMINA", nrb: NRB.GMINA, count: 1, total: 1_700 }),
      expect.objectContaining({ code: "POWIAT", nrb: NRB.POWIAT, count: 1, total: 14_300 }),
    ]);
    expect(report.transactions[0]).toMatchObject({ transactionId: tx.transactionId, status: "approved" });
  });

  it("books the cashier who took a cash desk's payment (SPEC §10); a kiosk's has none", async () => {
    const desk = transaction({ kiosk: "D01", paidAt: "2026-10-02T11:00:00Z", cashier: "kasjer-07" });
    const kiosk = transaction({ paidAt: "2026-10-02T11:05:00Z" });
    expect((await post(`${url}/transactions`, desk, { token: TOKENS.D01 })).status).toBe(201);
    expect((await post(`${url}/transactions`, kiosk, { token: TOKENS.K01 })).status).toBe(201);
    const client = new pg.Client(h.dbUrl);
    await client.connect();
    try {
      const rows = await client.query(
        "SELECT id, cashier FROM transactions WHERE id = ANY($1) ORDER BY paid_at",
        [[desk.transactionId, kiosk.transactionId]],
      );
      expect(rows.rows).toEqual([
        { id: desk.transactionId, cashier: "kasjer-07" },
        { id: kiosk.transactionId, cashier: null },
      ]);
    } finally {
      await client.end();
    }
  });

  it("books a payment made after 23:00 UTC in winter to the next Warsaw business day", async () => {
    const tx = transaction({ paidAt: "2026-11-03T23:30:00Z" });
    expect((await post(`${url}/transactions`, tx, { token: TOKENS.K01 })).body["businessDay"]).toBe(
      "2026-11-04",
    );
  });

  it("answers a repeated request (same key, same body) as the first time and books it once", async () => {
    const tx = transaction({ paidAt: "2026-11-05T10:00:00Z" });
    const first = await post(`${url}/transactions`, tx, {
      token: TOKENS.K01,
      key: `settlement.transaction.${tx.transactionId}`,
    });
    const again = await post(`${url}/transactions`, tx, {
      token: TOKENS.K01,
      key: `settlement.transaction.${tx.transactionId}`,
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(first.status);
    expect(again.text).toBe(first.text);
    expect((await settlement("2026-11-05")).count).toBe(1);
  });

  it("answers concurrent twins of one request the same, booking it once", async () => {
    const tx = transaction({ paidAt: "2026-11-06T10:00:00Z" });
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        post(`${url}/transactions`, tx, { token: TOKENS.K01, key: `twin-${tx.transactionId}` }),
      ),
    );
    expect(new Set(answers.map((a) => `${a.status} ${a.text}`)).size).toBe(1);
    expect(answers[0]!.status).toBe(201);
    expect((await settlement("2026-11-06")).count).toBe(1);
  });

  it("refuses the same key with another body (422) and keeps the first", async () => {
    const tx = transaction({ paidAt: "2026-11-07T10:00:00Z" });
    expect((await post(`${url}/transactions`, tx, { token: TOKENS.K01, key: "reused-key-1" })).status).toBe(
      201,
    );
    const res = await refusedWithoutChange(() =>
      post(
        `${url}/transactions`,
        { ...tx, case: "OTHER/1/2026" },
        { token: TOKENS.K01, key: "reused-key-1" },
      ),
    );
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED", status: 422 });
  });

  it("answers 409 to a transaction already booked under another key (the kiosk counts it delivered)", async () => {
    const tx = transaction({ paidAt: "2026-11-08T10:00:00Z" });
    expect((await post(`${url}/transactions`, tx, { token: TOKENS.K01 })).status).toBe(201);
    const res = await refusedWithoutChange(() =>
      post(`${url}/transactions`, tx, { token: TOKENS.K01, key: "another-key" }),
    );
    expect(res.status).toBe(409);
    expect(res.body["code"]).toBe("CONFLICT");
  });

  it("books another device's equal transaction id as its own payment (the key is office, device, id): 201", async () => {
    // More in device-keys.test.ts: reports, payouts, reversals and the migration of an older ledger.
    const mine = transaction({ transactionId: "TX-0001", paidAt: "2026-11-09T10:00:00Z" });
    expect((await post(`${url}/transactions`, mine, { token: TOKENS.K01 })).status).toBe(201);
    const sibling = transaction({ transactionId: "TX-0001", kiosk: "K02", paidAt: "2026-11-09T10:05:00Z" });
    expect((await post(`${url}/transactions`, sibling, { token: TOKENS.K02 })).status).toBe(201);
    const other = transaction({
      transactionId: "TX-0001",
      office: "WA0001",
      kiosk: "W01",
      paidAt: "2026-11-09T10:10:00Z",
      splits: [{ recipient: "POWIAT", nrb: NRB.POWIAT, component: "DR", amount: 16_000 }],
    });
    expect((await post(`${url}/transactions`, other, { token: TOKENS.W01 })).status).toBe(201);
    const report = await settlement("2026-11-09");
    expect(report.transactions.filter((t) => t.transactionId === "TX-0001")).toHaveLength(2);
    expect((await settlement("2026-11-09", "WA0001")).count).toBe(1);
  });

  it("requires an Idempotency-Key (400 problem)", async () => {
    const res = await refusedWithoutChange(() =>
      post(`${url}/transactions`, transaction(), { token: TOKENS.K01, key: null }),
    );
    expect(res.status).toBe(400);
    expect(res.body["code"]).toBe("IDEMPOTENCY_KEY_REQUIRED");
  });
});

describe("bad input changes nothing stored", () => {
  it("an unknown device: 401", async () => {
    const res = await refusedWithoutChange(() =>
      post(`${url}/transactions`, transaction(), { token: "not-a-token-of-any-device-of-this-hub-000" }),
    );
    expect(res.status).toBe(401);
    expect(res.body["code"]).toBe("UNAUTHORIZED");
  });

  it("no credentials at all: 401", async () => {
    expect((await refusedWithoutChange(() => post(`${url}/transactions`, transaction()))).status).toBe(401);
  });

  it("a body naming another office or another device: 403", async () => {
    const other = await refusedWithoutChange(() =>
      post(`${url}/transactions`, transaction({ office: "WA0001" }), { token: TOKENS.K01 }),
    );
    expect(other.status).toBe(403);
    expect(other.body["code"]).toBe("FORBIDDEN");
    const sibling = await refusedWithoutChange(() =>
      post(`${url}/transactions`, transaction({ kiosk: "K02" }), { token: TOKENS.K01 }),
    );
    expect(sibling.status).toBe(403);
  });

  it("splits that do not add up to the total: 422", async () => {
    const tx = transaction();
    tx.splits[0]!.amount += 1;
    const res = await refusedWithoutChange(() => post(`${url}/transactions`, tx, { token: TOKENS.K01 }));
    expect(res.status).toBe(422);
    expect(res.body["code"]).toBe("SPLITS_MISMATCH");
  });

  it("an NRB the hub does not hold for that recipient: 422", async () => {
    const tx = transaction();
    tx.splits[1]!.nrb = FOREIGN_NRB;
    const res = await refusedWithoutChange(() => post(`${url}/transactions`, tx, { token: TOKENS.K01 }));
    expect(res.status).toBe(422);
    expect(res.body["code"]).toBe("UNKNOWN_ACCOUNT");
  });

  it("books a split whose NRB is written with spaces or a PL prefix under the account the hub holds: one report row and one transfer per account", async () => {
    const spaced = NRB.POWIAT.replace(
      /^(\d{2})(\d{4})(\d{4})(\d{4})(\d{4})(\d{4})(\d{4})$/,
      "$1 $2 $3 $4 $5 $6 $7",
    );
    const written = transaction({
      paidAt: "2026-09-01T10:00:00Z",
      total: 500,
      splits: [
        { recipient: "POWIAT", nrb: spaced, component: "DR", amount: 400 },
        { recipient: "GMINA", nrb: `PL${NRB.GMINA}`, component: "OS", amount: 100 },
      ],
    });
    expect((await post(`${url}/transactions`, written, { token: TOKENS.K01 })).status).toBe(201);
    const plain = transaction({ paidAt: "2026-09-01T11:00:00Z", total: 700 });
    expect((await post(`${url}/transactions`, plain, { token: TOKENS.K01 })).status).toBe(201);
    const report = await settlement("2026-09-01");
    expect(report.recipients.map((r) => [r.code, r.nrb, r.count, r.total])).toEqual([
      ["GMINA", NRB.GMINA, 2, 799],
      ["POWIAT", NRB.POWIAT, 2, 401],
    ]);
    const payouts = (await get(`${url}/api/offices/PZ1465/payouts?date=2026-09-01&format=json`)).body as {
      transfers: Array<{ nrb: string; amount: number }>;
    };
    expect(payouts.transfers.map((t) => [t.nrb, t.amount])).toEqual([
      [NRB.GMINA, 799],
      [NRB.POWIAT, 401],
    ]);
    const tx = report.transactions.find((t) => t.transactionId === written.transactionId) as unknown as {
      splits: Array<{ nrb: string }>;
    };
    expect(tx.splits.map((s) => s.nrb)).toEqual([NRB.POWIAT, NRB.GMINA]);
    const csv = await get(`${url}/api/offices/PZ1465/settlement?date=2026-09-01&format=csv`);
    expect(csv.text).not.toContain(spaced);
    expect(csv.text).not.toContain(`PL${NRB.GMINA}`);
  });

  it("a recipient the office does not have: 422", async () => {
    const tx = transaction();
    tx.splits[1]!.recipient = "NOBODY";
    expect(
      (await refusedWithoutChange(() => post(`${url}/transactions`, tx, { token: TOKENS.K01 }))).status,
    ).toBe(422);
  });

  it("a recipient of another office's registry is not this office's (W01 may not pay GMINA)", async () => {
    const tx = transaction({ office: "WA0001", kiosk: "W01" });
    expect(
      (await refusedWithoutChange(() => post(`${url}/transactions`, tx, { token: TOKENS.W01 }))).status,
    ).toBe(422);
  });

  it("a fractional or string amount: 422 VALIDATION", async () => {
    const tx = transaction() as unknown as { total: unknown };
    tx.total = 160.5;
    const res = await refusedWithoutChange(() => post(`${url}/transactions`, tx, { token: TOKENS.K01 }));
    expect(res.status).toBe(422);
    expect(res.body["code"]).toBe("VALIDATION");
  });

  it("a full card number in maskedPan: 422, never stored", async () => {
    const tx = transaction();
    tx.card.maskedPan = "4111111111111111";
    expect(
      (await refusedWithoutChange(() => post(`${url}/transactions`, tx, { token: TOKENS.K01 }))).status,
    ).toBe(422);
  });

  it("a card number in a slip, case, cashier or split: 422 naming the field, never stored; in a reversal's reason, a heartbeat's text or a typed login: only its last four digits kept", async () => {
    const pan = "4111 1111 1111 1111";
    for (const over of [
      { case: pan },
      { slip: "4111111111111111" },
      { cashier: "5555555555554444" },
      { slips: [{ slip: "S/2026/000123", case: `KOM ${pan}`, total: 16_000 }] },
    ] as Array<Partial<ReturnType<typeof transaction>>>) {
      const res = await refusedWithoutChange(() =>
        post(`${url}/transactions`, transaction(over), { token: TOKENS.K01 }),
      );
      expect(res.status, JSON.stringify(over)).toBe(422);
      expect(JSON.stringify(res.body["errors"])).toContain("card number");
    }
    const tx = transaction({ paidAt: "2026-11-12T09:00:00Z" });
    expect((await post(`${url}/transactions`, tx, { token: TOKENS.K01 })).status).toBe(201);
    const reversal = { office: "PZ1465", kiosk: "K01", total: tx.total, reason: `karta ${pan} zwrot` };
    const undone = await post(
      `${url}/transactions/${encodeURIComponent(tx.transactionId)}/reversal`,
      reversal,
      {
        token: TOKENS.K01,
        key: "rev-pan",
      },
    );
    expect(undone.status).toBe(201);
    const beat = {
      office: "PZ1465",
      kiosk: "K02",
      version: "0.1.0",
      sentAt: new Date().toISOString(),
      uptimeSeconds: 1,
      outOfOrder: false,
      devices: [
        {
          name: "terminal",
          kind: "terminal",
          state: "error",
          lastError: { code: "declined", message: `card ${pan} refused`, at: new Date().toISOString() },
          // A number that reads as a card number: masked, and the stored heartbeat still JSON (it
          // was masked in the serialised text before, which PostgreSQL's jsonb refused: a 500).
          statistics: { lastReference: 4111111111111111 },
        },
      ],
      outbox: [],
    };
    expect((await post(`${url}/fleet/heartbeat`, beat, { token: TOKENS.K02, key: "hb-pan" })).status).toBe(
      204,
    );
    expect((await post(`${url}/api/login`, { login: "4111111111111111", password: "x" })).status).toBe(401);
    const client = new pg.Client({ connectionString: h.dbUrl });
    await client.connect();
    try {
      const kept: unknown[] = [];
      for (const table of ["transactions", "splits", "reversals", "fleet", "audit"])
        kept.push((await client.query(`SELECT * FROM ${table}`)).rows);
      const text = JSON.stringify(kept);
      expect(text).toContain("zwrot");
      expect(text).toContain("refused");
      expect(text.replace(/[ -]/g, "")).not.toMatch(/4111111111111111|5555555555554444/);
    } finally {
      await client.end();
    }
  });

  it("a NUL character in any text (PostgreSQL's text cannot hold it): 422 naming where, never a 500 the sender retries without end", async () => {
    const booked = transaction({ paidAt: "2026-10-16T09:00:00Z" });
    expect((await post(`${url}/transactions`, booked, { token: TOKENS.K01 })).status).toBe(201);
    const sends: Array<[string, unknown, string]> = [
      ["/transactions", transaction({ case: "KOM/1\u0000" }), "/case"],
      ["/transactions", transaction({ transactionId: "tx\u0000nul" }), "/transactionId"],
      [
        "/transactions",
        transaction({
          card: { brand: "VISA", maskedPan: null, authCode: "12\u0000", terminalId: null, traceNumber: null },
        }),
        "/card/authCode",
      ],
      [
        `/transactions/${encodeURIComponent(booked.transactionId)}/reversal`,
        { office: "PZ1465", kiosk: "K01", reason: "zwrot\u0000" },
        "/reason",
      ],
      [
        "/days",
        {
          office: "PZ1465",
          kiosk: "K01",
          date: "2026-10-16",
          count: 1,
          total: 16_000,
          terminalTotals: {
            count: 1,
            total: 16_000,
            perBrand: { "VI\u0000SA": { count: 1, total: 16_000 } },
          },
        },
        "/terminalTotals/perBrand/VI\u0000SA",
      ],
      [
        "/fleet/heartbeat",
        {
          office: "PZ1465",
          kiosk: "K01",
          version: "1",
          sentAt: "2026-10-16T09:00:00Z",
          uptimeSeconds: 1,
          outOfOrder: false,
          devices: [
            {
              name: "printer",
              kind: "printer",
              state: "error",
              lastError: { code: "E", message: "paper\u0000", at: "x" },
            },
          ],
        },
        "/devices/0/lastError/message",
      ],
    ];
    for (const [path, body, where] of sends) {
      const res = await refusedWithoutChange(() => post(`${url}${path}`, body, { token: TOKENS.K01 }));
      expect(res.status, `${path}: ${res.text}`).toBe(422);
      expect(res.body["errors"]).toEqual([{ path: where, message: "holds a NUL character (U+0000)" }]);
    }
    expect((await settlement("2026-10-16")).transactions.map((t) => t.status)).toEqual(["approved"]);
  });

  it("a reversal path no booked id can have: NUL (404), over 100 characters (414), a broken escape (400), each a problem", async () => {
    const who = { office: "PZ1465", kiosk: "K01" };
    for (const [id, status] of [
      ["a%00b", 404],
      ["x".repeat(120), 414],
      ["%E0%A4%A", 400],
    ] as const) {
      const res = await refusedWithoutChange(() =>
        post(`${url}/transactions/${id}/reversal`, who, { token: TOKENS.K01 }),
      );
      expect(res.status, `${id.slice(0, 12)}: ${res.text}`).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body["code"]).toBeTypeOf("string");
    }
  });

  it("a time RFC 3339 allows that the ledger cannot hold (a leap second, an offset beyond ±15:59, year 1 or 9999): 422, never a 500", async () => {
    for (const paidAt of [
      "2026-12-31T23:59:60Z",
      "2026-12-01T10:00:00+23:59",
      "0001-01-01T00:00:00Z",
      "9999-12-31T23:59:59-12:00",
    ]) {
      const res = await refusedWithoutChange(() =>
        post(`${url}/transactions`, transaction({ paidAt }), { token: TOKENS.K01 }),
      );
      expect(res.status, `${paidAt}: ${res.text}`).toBe(422);
      expect((res.body["errors"] as Array<{ path: string }>)[0]?.path).toBe("/paidAt");
    }
    const booked = transaction({ paidAt: "2026-10-17T09:00:00+14:00" });
    expect((await post(`${url}/transactions`, booked, { token: TOKENS.K01 })).status).toBe(201);
    const reversal = { office: "PZ1465", kiosk: "K01", reversedAt: "2026-10-17T09:00:60+01:00" };
    const res = await refusedWithoutChange(() =>
      post(`${url}/transactions/${encodeURIComponent(booked.transactionId)}/reversal`, reversal, {
        token: TOKENS.K01,
      }),
    );
    expect(res.status).toBe(422);
  });

  it("a truncated body: 400 problem", async () => {
    const raw = JSON.stringify(transaction()).slice(0, 80);
    const res = await refusedWithoutChange(() =>
      post(`${url}/transactions`, undefined, { token: TOKENS.K01, raw }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body["code"]).toBe("MALFORMED_JSON");
  });

  it("reads a message's JSON whatever content type it is labelled with, or none (SPEC §6 names none)", async () => {
    // A sender's HTTP client may label a JSON string text/plain (fetch with a string body does) or
    // not at all: a 422 or 415 would park a payment the hub could read.
    for (const type of [
      "text/plain;charset=UTF-8",
      "application/octet-stream",
      "application/vnd.kiosk+json",
      null,
    ]) {
      const tx = transaction({ paidAt: "2026-10-15T09:00:00Z" });
      const headers: Record<string, string> = { "idempotency-key": `typed-${String(type)}` };
      const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = http.request(`${url}/transactions`, {
          method: "POST",
          headers: {
            ...headers,
            authorization: `Bearer ${TOKENS.K01}`,
            ...(type ? { "content-type": type } : {}),
          },
        });
        req.on("response", (r) => {
          let text = "";
          r.on("data", (c) => {
            text += c;
          });
          r.on("end", () => resolve({ status: r.statusCode ?? 0, text }));
        });
        req.on("error", reject);
        req.end(JSON.stringify(tx));
      });
      expect(res.status, `${String(type)}: ${res.text}`).toBe(201);
    }
    const truncated = await refusedWithoutChange(() =>
      post(`${url}/transactions`, undefined, {
        token: TOKENS.K01,
        raw: JSON.stringify(transaction()).slice(0, 80),
        headers: { "content-type": "text/plain" },
      }),
    );
    expect(truncated.body["code"]).toBe("MALFORMED_JSON");
    const empty = await refusedWithoutChange(() =>
      post(`${url}/transactions`, undefined, {
        token: TOKENS.K01,
        raw: "",
        headers: { "content-type": "text/plain" },
      }),
    );
    expect(empty.body["code"]).toBe("MALFORMED_JSON");
    expect((await settlement("2026-10-15")).count).toBe(4);
  });

  it("a 50 MB body: 413 without reading it all", async () => {
    const before = await ledgerSnapshot(h.dbUrl);
    const size = 50 * 1024 * 1024;
    const { status, body, sent } = await new Promise<{ status: number; body: string; sent: number }>(
      (resolve, reject) => {
        let sent = 0;
        const req = http.request(`${url}/transactions`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${TOKENS.K01}`,
            "idempotency-key": "huge-1",
            "content-type": "application/json",
            "content-length": String(size),
          },
        });
        let answered = false;
        req.on("response", (res) => {
          answered = true;
          let text = "";
          res.on("data", (c) => {
            text += c;
          });
          res.on("end", () => {
            resolve({ status: res.statusCode ?? 0, body: text, sent });
            req.destroy();
          });
        });
        req.on("error", (e) => (sent > 0 ? undefined : reject(e)));
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (sent < size && !answered) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once("drain", pump);
          }
          if (!answered) req.end();
        };
        pump();
      },
    );
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(sent).toBeLessThan(size);
    expect(await ledgerSnapshot(h.dbUrl)).toEqual(before);
  });
});

describe("reversals and days", () => {
  it("nets a reversed transaction out of the totals and lists it as reversed", async () => {
    const keep = transaction({ paidAt: "2026-11-10T09:00:00Z", total: 5_000 });
    const undo = transaction({ paidAt: "2026-11-10T09:05:00Z", total: 7_000 });
    for (const tx of [keep, undo])
      expect((await post(`${url}/transactions`, tx, { token: TOKENS.K01 })).status).toBe(201);
    const reversal = {
      transactionId: undo.transactionId,
      office: "PZ1465",
      kiosk: "K01",
      total: 7_000,
      currency: "PLN",
      reversedAt: "2026-11-10T09:06:00Z",
      reason: "visitor cancelled",
      terminalTraceNumber: "000043",
    };
    const res = await post(
      `${url}/transactions/${encodeURIComponent(undo.transactionId)}/reversal`,
      reversal,
      { token: TOKENS.K01, key: "rev-1" },
    );
    expect(res.status).toBe(201);
    const again = await post(
      `${url}/transactions/${encodeURIComponent(undo.transactionId)}/reversal`,
      reversal,
      { token: TOKENS.K01, key: "rev-1" },
    );
    expect(again.text).toBe(res.text);
    const report = await settlement("2026-11-10");
    expect(report.count).toBe(1);
    expect(report.total).toBe(5_000);
    expect(report.transactions.find((t) => t.transactionId === undo.transactionId)?.status).toBe("reversed");
  });

  it("refuses a reversal of a transaction it never booked (404) or with another total (422)", async () => {
    const none = {
      transactionId: "never-booked",
      office: "PZ1465",
      kiosk: "K01",
      total: 100,
      reversedAt: "2026-11-10T10:00:00Z",
      reason: "x",
    };
    expect(
      (
        await refusedWithoutChange(() =>
          post(`${url}/transactions/never-booked/reversal`, none, { token: TOKENS.K01 }),
        )
      ).status,
    ).toBe(404);
    const tx = transaction({ paidAt: "2026-11-11T09:00:00Z" });
    await post(`${url}/transactions`, tx, { token: TOKENS.K01 });
    const wrong = { ...none, transactionId: tx.transactionId, total: 1 };
    const res = await refusedWithoutChange(() =>
      post(`${url}/transactions/${tx.transactionId}/reversal`, wrong, { token: TOKENS.K01 }),
    );
    expect(res.status).toBe(422);
  });

  it("refuses (422) one key reused for the reversal of another transaction, even when the body names none: the other stays booked", async () => {
    // SPEC §6 names the reversal's path, not its body: a sender may say only who it is. The same key
    // and the same bytes sent to another transaction's path are another request, not a repeat.
    const first = transaction({ paidAt: "2026-10-14T09:00:00Z", total: 3_000 });
    const second = transaction({ paidAt: "2026-10-14T09:01:00Z", total: 3_000 });
    for (const tx of [first, second])
      expect((await post(`${url}/transactions`, tx, { token: TOKENS.K01 })).status).toBe(201);
    const who = { office: "PZ1465", kiosk: "K01" };
    const path = (id: string) => `${url}/transactions/${encodeURIComponent(id)}/reversal`;
    const done = await post(path(first.transactionId), who, { token: TOKENS.K01, key: "rev-who-only" });
    expect(done.status).toBe(201);
    expect(
      (await post(path(first.transactionId), who, { token: TOKENS.K01, key: "rev-who-only" })).text,
    ).toBe(done.text);
    const other = await refusedWithoutChange(() =>
      post(path(second.transactionId), who, { token: TOKENS.K01, key: "rev-who-only" }),
    );
    expect(other.status).toBe(422);
    expect(other.body["code"]).toBe("IDEMPOTENCY_KEY_REUSED");
    const report = await settlement("2026-10-14");
    expect(report.transactions.find((t) => t.transactionId === second.transactionId)?.status).toBe(
      "approved",
    );
    // A key kept before the path counted (its hash the body's alone) still replays its own reversal.
    const third = transaction({ paidAt: "2026-10-14T09:02:00Z", total: 3_000 });
    expect((await post(`${url}/transactions`, third, { token: TOKENS.K01 })).status).toBe(201);
    const kept = await post(path(third.transactionId), who, { token: TOKENS.K01, key: "rev-kept" });
    const client = new pg.Client({ connectionString: h.dbUrl });
    await client.connect();
    await client.query("UPDATE ingest_keys SET body_sha256 = $1 WHERE key = 'rev-kept'", [bodyHash(who)]);
    await client.end();
    expect((await post(path(third.transactionId), who, { token: TOKENS.K01, key: "rev-kept" })).text).toBe(
      kept.text,
    );
    expect((await post(path(second.transactionId), who, { token: TOKENS.K01, key: "rev-kept" })).status).toBe(
      422,
    );
    // A day body sent as a reversal under the day's key is another request too.
    const day = {
      ...who,
      date: "2026-10-14",
      count: 1,
      total: 3_000,
      terminalTotals: { count: 1, total: 3_000 },
    };
    expect((await post(`${url}/days`, day, { token: TOKENS.K01, key: "day-then-rev" })).status).toBe(201);
    const asReversal = await refusedWithoutChange(() =>
      post(path(second.transactionId), day, { token: TOKENS.K01, key: "day-then-rev" }),
    );
    expect(asReversal.status).toBe(422);
  });

  it("refuses (422) one key reused with a body naming another transaction than the first's, on the same path", async () => {
    // The path's id is part of what is hashed; a body's own transactionId must stay part of it too, or
    // a body naming another transaction hashed as the first and got its 201 instead of 422.
    const first = transaction({ paidAt: "2026-10-13T09:00:00Z", total: 3_000 });
    const second = transaction({ paidAt: "2026-10-13T09:01:00Z", total: 3_000 });
    for (const tx of [first, second])
      expect((await post(`${url}/transactions`, tx, { token: TOKENS.K01 })).status).toBe(201);
    const who = { office: "PZ1465", kiosk: "K01" };
    const path = `${url}/transactions/${encodeURIComponent(first.transactionId)}/reversal`;
    const done = await post(
      path,
      { ...who, transactionId: first.transactionId },
      { token: TOKENS.K01, key: "rev-named" },
    );
    expect(done.status).toBe(201);
    const other = await refusedWithoutChange(() =>
      post(path, { ...who, transactionId: second.transactionId }, { token: TOKENS.K01, key: "rev-named" }),
    );
    expect(other.status).toBe(422);
    expect(other.body["code"]).toBe("IDEMPOTENCY_KEY_REUSED");
    // The same body again is still the first answer.
    expect(
      (
        await post(
          path,
          { ...who, transactionId: first.transactionId },
          { token: TOKENS.K01, key: "rev-named" },
        )
      ).text,
    ).toBe(done.text);
  });

  it("books the day message a busy kiosk sends when its terminal holds fewer payments (every one a candidate)", async () => {
    // 2 000 card payments in a day (one every 20 s for 11 hours); the terminal's batch lacks one.
    const payments = Array.from({ length: 2_000 }, (_, i) => ({
      id: `K01_20261113_${String(i + 1).padStart(4, "0")}_ABCD`,
      total: 1_000,
      brand: "VISA",
      receiptNo: String(i + 1),
    }));
    const terminal = {
      count: 1_999,
      total: 1_999_000,
      perBrand: { Visa: { count: 1_999, total: 1_999_000 } },
    };
    const r = reconcile(payments, terminal);
    expect(r.differences[0]?.candidates).toHaveLength(2_000);
    const message = settlementDayMessage({
      office: "PZ1465",
      kiosk: "K01",
      date: "2026-11-13",
      count: 2_000,
      total: 2_000_000,
      terminalTotals: { ...terminal, reconciliation: { matches: r.matches, differences: r.differences } },
      closingId: 1,
    });
    const res = await post(`${url}/days`, message.body, { token: TOKENS.K01, key: message.id });
    expect(res.status).toBe(201);
  });

  it("closes the day when every device that transacted sent its day message, and reopens it with an audit line on a late transaction", async () => {
    const date = "2026-11-12";
    await post(`${url}/transactions`, transaction({ paidAt: `${date}T09:00:00Z`, total: 1_000 }), {
      token: TOKENS.K01,
    });
    await post(
      `${url}/transactions`,
      transaction({ kiosk: "K02", paidAt: `${date}T09:10:00Z`, total: 2_000 }),
      { token: TOKENS.K02 },
    );
    const day = (kiosk: string, count: number, total: number, terminalTotal = total) => ({
      office: "PZ1465",
      kiosk,
      date,
      count,
      total,
      terminalTotals: { count, total: terminalTotal, closedAt: `${date}T19:00:00Z` },
    });
    expect((await post(`${url}/days`, day("K01", 1, 1_000), { token: TOKENS.K01 })).status).toBe(201);
    expect((await settlement(date)).closed).toBe(false);
    expect((await post(`${url}/days`, day("K02", 1, 2_000, 2_500), { token: TOKENS.K02 })).status).toBe(201);
    const closed = await settlement(date);
    expect(closed.closed).toBe(true);
    expect(closed.reconciliation.find((r) => r.device === "K01")?.mismatches).toEqual([]);
    expect(closed.reconciliation.find((r) => r.device === "K02")?.mismatches.map((m) => m.check)).toEqual([
      "terminal_vs_hub",
      "device_vs_terminal",
    ]);
    await post(`${url}/transactions`, transaction({ paidAt: `${date}T20:00:00Z`, total: 300 }), {
      token: TOKENS.K01,
    });
    expect((await settlement(date)).closed).toBe(false);
    const audit = (await get(`${url}/api/offices/PZ1465/audit`)).body as {
      entries: Array<{ action: string; detail: { day?: string } }>;
    };
    expect(audit.entries.some((e) => e.action === "day_reopened" && e.detail.day === date)).toBe(true);
  });

  it("refuses a day message for another device (403) and a day that does not exist (422)", async () => {
    const d = {
      office: "PZ1465",
      kiosk: "K02",
      date: "2026-11-12",
      count: 0,
      total: 0,
      terminalTotals: { count: 0, total: 0, closedAt: "2026-11-12T19:00:00Z" },
    };
    expect((await refusedWithoutChange(() => post(`${url}/days`, d, { token: TOKENS.K01 }))).status).toBe(
      403,
    );
    expect(
      (
        await refusedWithoutChange(() =>
          post(`${url}/days`, { ...d, date: "2026-02-30" }, { token: TOKENS.K02 }),
        )
      ).status,
    ).toBe(422);
  });
});

describe("heartbeat and fleet", () => {
  it("records a heartbeat (204), shows it in /api/fleet and in the metrics", async () => {
    const beat = {
      office: "PZ1465",
      kiosk: "K02",
      version: "0.1.0",
      sentAt: new Date().toISOString(),
      uptimeSeconds: 12,
      outOfOrder: true,
      devices: [
        {
          name: "printer",
          kind: "printer",
          state: "error",
          lastError: { code: "paper_out", message: "no paper", at: new Date().toISOString() },
          statistics: { receipts: 3 },
        },
      ],
      outbox: [{ destination: "settlement", pending: 4, failed: 1, oldestAgeSeconds: 90 }],
    };
    expect((await post(`${url}/fleet/heartbeat`, beat, { token: TOKENS.K02, key: "hb-1" })).status).toBe(204);
    expect(
      (
        await post(
          `${url}/fleet/heartbeat`,
          { ...beat, outOfOrder: false },
          { token: TOKENS.K02, key: "hb-1" },
        )
      ).status,
    ).toBe(422);
    expect((await post(`${url}/fleet/heartbeat`, beat, { token: TOKENS.K01, key: "hb-2" })).status).toBe(403);
    const fleet = (await get(`${url}/api/fleet`)).body as { devices: Array<Record<string, unknown>> };
    const k02 = fleet.devices.find((d) => d["id"] === "K02")!;
    expect(k02).toMatchObject({
      office: "PZ1465",
      outOfOrder: true,
      outbox: { pending: 4, failed: 1, oldestAgeSeconds: 90 },
    });
    expect(k02["lastSeen"]).toEqual(expect.any(String));
    expect(k02["lastPaymentAt"]).toEqual(expect.any(String));
    expect((k02["devices"] as Array<{ state: string }>)[0]?.state).toBe("error");
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/oplatomat_hub_device_out_of_order\{office="PZ1465",device="K02"\} 1/);
    expect(metrics).toMatch(/oplatomat_hub_device_last_seen_seconds\{office="PZ1465",device="K02"\} \d{10}/);
    expect(metrics).toMatch(
      /oplatomat_hub_ingest_total\{kind="transaction",office="PZ1465",status="201"\} \d+/,
    );
  });

  it("remembers every recent heartbeat key, not only the last: an older key with another body is 422, with its own body 204 and the newer state kept", async () => {
    const beat = (outOfOrder: boolean, uptimeSeconds: number) => ({
      office: "PZ1465",
      kiosk: "D01",
      version: "0.1.0",
      sentAt: new Date().toISOString(),
      uptimeSeconds,
      outOfOrder,
      devices: [],
    });
    const first = beat(true, 10);
    const second = beat(false, 70);
    expect((await post(`${url}/fleet/heartbeat`, first, { token: TOKENS.D01, key: "hb-d01-a" })).status).toBe(
      204,
    );
    expect(
      (await post(`${url}/fleet/heartbeat`, second, { token: TOKENS.D01, key: "hb-d01-b" })).status,
    ).toBe(204);
    const reused = await post(`${url}/fleet/heartbeat`, beat(true, 99), {
      token: TOKENS.D01,
      key: "hb-d01-a",
    });
    expect([reused.status, reused.body["code"]]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
    // The first heartbeat arriving again (a late retry) is answered as the first time and changes nothing.
    expect((await post(`${url}/fleet/heartbeat`, first, { token: TOKENS.D01, key: "hb-d01-a" })).status).toBe(
      204,
    );
    const fleet = (await get(`${url}/api/fleet`)).body as { devices: Array<Record<string, unknown>> };
    expect(fleet.devices.find((d) => d["id"] === "D01")?.["outOfOrder"]).toBe(false);
  });

  it("keeps heartbeat keys only in heartbeat_keys: fleet holds the last heartbeat, no key columns (migration 007)", async () => {
    const client = new pg.Client(h.dbUrl);
    await client.connect();
    try {
      const columns = await client.query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'fleet' ORDER BY ordinal_position",
      );
      expect(columns.rows.map((r) => r.column_name)).toEqual(["office", "device", "last_seen", "heartbeat"]);
      const keys = await client.query(
        "SELECT key FROM heartbeat_keys WHERE office = 'PZ1465' AND device = 'D01' ORDER BY key",
      );
      expect(keys.rows.map((r) => r.key)).toEqual(["hb-d01-a", "hb-d01-b"]);
    } finally {
      await client.end();
    }
  });

  it("a restarted hub still exports each device's last contact and out-of-order state (messages and heartbeats)", async () => {
    // K01 has sent only ledger messages, K02 the out-of-order heartbeat above.
    const again = await createHub(h.config);
    try {
      const restarted = await again.listen(0);
      const metrics = await (await fetch(`${restarted}/metrics`)).text();
      expect(metrics).toMatch(
        /oplatomat_hub_device_last_seen_seconds\{office="PZ1465",device="K01"\} \d{10}/,
      );
      expect(metrics).toMatch(
        /oplatomat_hub_device_last_seen_seconds\{office="PZ1465",device="K02"\} \d{10}/,
      );
      expect(metrics).toMatch(/oplatomat_hub_device_out_of_order\{office="PZ1465",device="K02"\} 1/);
      expect(metrics).toMatch(/oplatomat_hub_device_outbox_pending\{office="PZ1465",device="K02"\} 4/);
      expect(metrics).toMatch(/oplatomat_hub_device_outbox_failed\{office="PZ1465",device="K02"\} 1/);
    } finally {
      await again.close();
    }
  });
});
