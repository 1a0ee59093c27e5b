import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KioskConfig } from "../../../kiosk/config/types.ts";
import { retryDelayMs } from "../../../kiosk/outbox/backoff.ts";
import { outboxBacklog } from "../../../kiosk/outbox/backlog.ts";
import { enqueuePaymentReports, enqueueReversalReports } from "../../../kiosk/outbox/enqueue.ts";
import { type Db, inTransaction, openDatabase } from "../../../kiosk/store/db.ts";
import { reportingConfig, seedFixedDay } from "../../integration/reporting/fixture-day.ts";

interface Row {
  id: string;
  destination: string;
  kind: string;
  path: string;
  body: string;
}

function rows(db: Db): Row[] {
  return db.prepare("SELECT id, destination, kind, path, body FROM outbox ORDER BY seq").all() as Row[];
}

const both = (reporting: "direct" | "receipt"): Partial<KioskConfig> => ({
  integrations: {
    pik: { url: "http://127.0.0.1:1", reporting },
    settlement: { url: "http://127.0.0.1:2" },
  },
});

describe("outbox enqueue", () => {
  let db: Db;
  const base = reportingConfig();

  beforeEach(() => {
    db = openDatabase(":memory:");
    seedFixedDay(db, base);
  });
  afterEach(() => db.close());

  it("builds the SPEC §6 PiK payment and settlement transaction bodies", () => {
    enqueuePaymentReports(db, "pay-20261125-0001", reportingConfig(both("direct")));
    const [pik, settlement] = rows(db);
    expect(pik?.path).toBe("/payments");
    expect(JSON.parse(pik!.body)).toEqual({
      paymentId: "pay-20261125-0001",
      office: "PZ1465",
      kiosk: "K01",
      slip: "S/2026/000123",
      case: "KOM/123/2026",
      // The slip's own lines and total: the 2.00 zł handling fee is settlement's, never PiK's.
      total: 14650,
      currency: "PLN",
      paidAt: "2026-11-25T08:05:12+01:00",
      lines: [
        { code: "DR", amount: 5400, recipient: "POWIAT" },
        { code: "TAB", amount: 8000, recipient: "POWIAT" },
        { code: "NAL", amount: 1250, recipient: "POWIAT" },
      ],
      card: {
        brand: "VISA",
        maskedPan: "************0119",
        authCode: "A50001",
        terminalId: "52100001",
        traceNumber: "250001",
      },
    });
    expect(settlement?.path).toBe("/transactions");
    const tx = JSON.parse(settlement!.body) as Record<string, unknown>;
    expect(Object.keys(tx).sort()).toEqual(
      [
        "transactionId",
        "office",
        "kiosk",
        "paidAt",
        "total",
        "slip",
        "case",
        "slips",
        "splits",
        "card",
      ].sort(),
    );
    expect(tx.splits).toContainEqual({
      recipient: "OPERATOR",
      nrb: base.recipients.OPERATOR!.nrb,
      component: "FEE",
      amount: 200,
    });
    expect((tx.splits as Array<{ amount: number }>).reduce((a, s) => a + s.amount, 0)).toBe(14850);
  });

  it("sends nothing to PiK with reporting: receipt, and nothing to an unconfigured destination", () => {
    enqueuePaymentReports(db, "pay-20261125-0001", reportingConfig(both("receipt")));
    expect(rows(db).map((r) => r.destination)).toEqual(["settlement"]);
    enqueuePaymentReports(db, "pay-20261125-0002", base);
    expect(rows(db)).toHaveLength(1);
  });

  it("cannot double a message when the same fact is enqueued again", () => {
    const config = reportingConfig(both("direct"));
    enqueuePaymentReports(db, "pay-20261125-0001", config);
    enqueuePaymentReports(db, "pay-20261125-0001", config);
    expect(rows(db)).toHaveLength(2);
  });

  it("commits or rolls back together with the caller's transaction", () => {
    const config = reportingConfig(both("direct"));
    expect(() =>
      inTransaction(db, () => {
        db.prepare("UPDATE sessions SET receipt_printed = 1 WHERE id = ?").run("pay-20261125-0005");
        enqueuePaymentReports(db, "pay-20261125-0005", config);
        throw new Error("the flow failed after enqueueing");
      }),
    ).toThrow(/flow failed/);
    expect(rows(db)).toHaveLength(0);
    inTransaction(db, () => enqueuePaymentReports(db, "pay-20261125-0005", config));
    expect(rows(db)).toHaveLength(2);
  });

  it("queues reversals behind the payment, to the reversal paths", () => {
    const config = reportingConfig(both("direct"));
    enqueuePaymentReports(db, "pay-20261125-0003", config);
    enqueueReversalReports(db, "pay-20261125-0003", config, "zła kwota");
    const r = rows(db);
    expect(r.map((x) => `${x.destination} ${x.path}`)).toEqual([
      "pik /payments",
      "settlement /transactions",
      "pik /payments/pay-20261125-0003/reversal",
      "settlement /transactions/pay-20261125-0003/reversal",
    ]);
    expect(JSON.parse(r[3]!.body)).toMatchObject({
      transactionId: "pay-20261125-0003",
      total: 1900,
      reason: "zła kwota",
    });
  });

  it("refuses to report a session that holds no approved payment", () => {
    expect(() => enqueuePaymentReports(db, "pay-20261125-0004", reportingConfig(both("direct")))).toThrow(
      /no approved payment/,
    );
    expect(() => enqueuePaymentReports(db, "nope", reportingConfig(both("direct")))).toThrow(/no session/);
  });

  it("reports the backlog per destination with the oldest age", () => {
    enqueuePaymentReports(
      db,
      "pay-20261125-0001",
      reportingConfig(both("direct")),
      new Date("2026-11-25T07:05:12Z"),
    );
    const backlog = outboxBacklog(db, new Date("2026-11-25T07:06:12Z"));
    expect(backlog).toEqual([
      { destination: "pik", pending: 1, failed: 0, oldestAgeSeconds: 60 },
      { destination: "settlement", pending: 1, failed: 0, oldestAgeSeconds: 60 },
    ]);
  });
});

describe("retry backoff", () => {
  const policy = { baseDelayMs: 1000, maxDelayMs: 60_000 };
  it("doubles per attempt, within [half, full] of the step", () => {
    expect(retryDelayMs(1, policy, () => 0)).toBe(500);
    expect(retryDelayMs(1, policy, () => 0.999999)).toBe(1000);
    expect(retryDelayMs(4, policy, () => 0)).toBe(4000);
  });
  it("never exceeds the cap, however many attempts", () => {
    for (const n of [7, 20, 1000, 1e9])
      expect(retryDelayMs(n, policy, () => 0.999999)).toBeLessThanOrEqual(60_000);
  });
});
