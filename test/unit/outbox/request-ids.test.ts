/**
 * One delivery, one id in both logs, for every message the kiosk can send with the longest ids SPEC
 * allows: the outbox sends each message's id (its Idempotency-Key) as `X-Request-Id`, and the receiver
 * keeps it as its `reqId` (contracts/logging.ts, which the hub's and the kiosk's fastify both use). The
 * rule kept an id of at most 64 characters, so with a kiosk id over ~13 characters a reversal's
 * `settlement.transaction_reversal.<payment id>` (and a day's `settlement.day.<office>.<kiosk>.…`) was
 * replaced by a random id there, and the two sides' lines no longer matched (ops16 noticed, ops17). And
 * a day's id joined its parts by `.`: with digits at the kiosk id's end, the logs' card mask could take
 * them with the date's and the closing's for a card number and mask the id on both sides.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Fastify from "fastify";
import { afterAll, describe, expect, it } from "vitest";
import { fastifyLogging, logEachRequest } from "../../../contracts/logging.ts";
import { createHubLogger } from "../../../hub/ops/logger.ts";
import {
  type OutboundMessage,
  pikPaymentMessages,
  pikReversalMessages,
  settlementDayMessage,
  settlementReversalMessage,
  settlementTransactionMessage,
} from "../../../kiosk/outbox/messages.ts";
import { openDatabase } from "../../../kiosk/store/db.ts";
import type { PaymentRecord } from "../../../kiosk/store/payment-record.ts";
import { SessionStore } from "../../../kiosk/store/sessions.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-request-ids-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** SPEC §3's longest ids: `office.id` `[A-Z0-9-]{1,16}`, `kiosk.id` `[A-Za-z0-9_-]{1,16}`. */
const OFFICE = "URZAD-MIASTA-016";
const KIOSK = "Kiosk_Sala-A-016";
const DAY = "2026-12-08";
/** Twenty slips in one basket, each a PiK message `<payment id>.<n>`. */
const SLIPS = 20;

/** A payment id as the kiosk makes it (`SessionStore.nextId`), its day counter far past any day's. */
function longestPaymentId(): string {
  const db = openDatabase(path.join(dir, "k.db"));
  try {
    db.prepare("INSERT INTO kv (key, value) VALUES (?, ?)").run(`seq:${DAY}`, "99998");
    return new SessionStore(db).nextId(KIOSK, DAY);
  } finally {
    db.close();
  }
}

function payment(id: string): PaymentRecord {
  const slips = Array.from({ length: SLIPS }, (_, i) => ({
    no: i + 1,
    id: `S/2026/${String(i + 1).padStart(18, "0")}`,
    caseRef: `KOM/${i + 1}/2026`,
    total: 100,
  }));
  return {
    id,
    officeId: OFFICE,
    kioskId: KIOSK,
    slipId: slips[0]!.id,
    caseRef: slips[0]!.caseRef,
    total: 100 * SLIPS,
    currency: "PLN",
    paidAt: `${DAY}T10:00:00+01:00`,
    businessDay: DAY,
    status: "reversed",
    reversedAt: `${DAY}T10:05:00+01:00`,
    reversalReason: "test",
    cashierId: null,
    slips,
    card: {
      brand: null,
      maskedPan: null,
      authCode: null,
      terminalId: null,
      traceNumber: null,
      receiptNumber: null,
    },
    lines: slips.map((s, i) => ({
      lineNo: i + 1,
      code: "DR",
      label: "DR",
      recipient: "POWIAT",
      recipientName: "Powiat",
      recipientNrb: "14102052260000123456789012",
      amount: 100,
      quantity: 1,
      reference: null,
      isFee: false,
      slip: s.id,
    })),
  };
}

function everyKindOfMessage(): OutboundMessage[] {
  const p = payment(longestPaymentId());
  const reversal = { reversedAt: p.reversedAt!, reason: "test" };
  return [
    ...pikPaymentMessages(p),
    settlementTransactionMessage(p),
    ...pikReversalMessages(p, reversal),
    settlementReversalMessage(p, reversal),
    settlementDayMessage({
      office: OFFICE,
      kiosk: KIOSK,
      date: DAY,
      count: 1,
      total: p.total,
      terminalTotals: { count: 1, total: p.total },
      // The kiosk's closings are numbered by an SQLite AUTOINCREMENT: 99 999 is 270 years of one a day.
      closingId: 99_999,
    }),
    // Digits wherever SPEC allows them: office `1465-0001`, kiosk `K0001-0002`. Joined by `.` (before),
    // the office's, the kiosk's, the date's and the closing's digits were one dot-and-dash-grouped
    // number that the logs' card mask masked (when a window of it passes the Luhn check), on both sides.
    ...[12, 100, 1_000, 3_210].map((closingId) =>
      settlementDayMessage({
        office: "1465-0001",
        kiosk: "K0001-0002",
        date: DAY,
        count: 0,
        total: 0,
        terminalTotals: { count: 0, total: 0 },
        closingId,
      }),
    ),
  ];
}

describe("X-Request-Id of the kiosk's longest messages", () => {
  it("the receiver logs every message's id as its reqId (a 16-character office and kiosk)", async () => {
    const messages = everyKindOfMessage();
    // The longest is a reversal or a day's message, well over 64 characters.
    expect(Math.max(...messages.map((m) => m.id.length))).toBeGreaterThan(64);
    const file = path.join(dir, "hub.log");
    // The receiver as the hub builds its fastify (hub/http/app.ts) and with its logger.
    const app = Fastify(fastifyLogging(createHubLogger({ destination: file })));
    logEachRequest(app);
    app.post("/*", async (_request, reply) => reply.code(201).send({}));
    try {
      for (const m of messages) {
        const res = await app.inject({
          method: "POST",
          url: m.path,
          headers: { "idempotency-key": m.id, "x-request-id": m.id },
          payload: m.body,
        });
        expect(res.statusCode).toBe(201);
      }
    } finally {
      await app.close();
    }
    const logged = fs
      .readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l["msg"] === "request")
      .map((l) => l["reqId"]);
    expect(logged).toEqual(messages.map((m) => m.id));
  });
});
