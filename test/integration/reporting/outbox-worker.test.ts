import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  enqueuePaymentReports,
  enqueueReversalReports,
  insertOutboxMessage,
} from "../../../kiosk/outbox/enqueue.ts";
import { type DeliveryInfo, OutboxWorker } from "../../../kiosk/outbox/worker.ts";
import { createReporting } from "../../../kiosk/outbox/from-config.ts";
import { openDatabase } from "../../../kiosk/store/db.ts";
import { seedFixedDay } from "./fixture-day.ts";
import { type Harness, outboxIds, pendingCount, startHarness, waitFor } from "./harness.ts";

const APPROVED = [
  "pay-20261124-0009",
  "pay-20261125-0001",
  "pay-20261125-0002",
  "pay-20261125-0003",
  "pay-20261125-0005",
];

describe("outbox worker against the fake PiK and settlement", () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
    seedFixedDay(h.db, h.config);
  });
  afterEach(() => h.close());

  function enqueueAll(): void {
    for (const id of APPROVED) enqueuePaymentReports(h.db, id, h.config);
    enqueueReversalReports(h.db, "pay-20261125-0003", h.config, "zła kwota");
  }

  it("delivers everything exactly once and in order through 5xx, hangs and dropped connections", async () => {
    h.pik.setFaults({ errorRate: 0.3, hangRate: 0.15, dropRate: 0.15, seed: 7 });
    h.settlement.setFaults({ errorRate: 0.3, hangRate: 0.15, dropRate: 0.15, seed: 11 });
    enqueueAll();
    const w = h.newWorker();
    w.start();
    await waitFor(() => pendingCount(h.db) === 0, "an empty outbox");
    // Delivered marks skip the fsync (a lost one only resends under the same key); every other
    // write of the connection still waits for the disk.
    expect(h.db.pragma("synchronous", { simple: true })).toBe(2);
    for (const [fake, destination] of [
      [h.pik, "pik"],
      [h.settlement, "settlement"],
    ] as const) {
      const effects = fake.countByKey();
      expect([...effects.values()].every((n) => n === 1)).toBe(true);
      // Effects happen in outbox order: a later message never overtook an earlier one.
      expect([...effects.keys()]).toEqual(outboxIds(h.db, destination));
      expect(fake.received().some((r) => r.fault !== "none")).toBe(true);
      // Every attempt, retries included, names itself by the message's id in X-Request-Id too, so
      // the receiver's log line of it (the hub's `reqId`) matches the kiosk's.
      const posts = fake.received().filter((r) => r.method === "POST");
      expect(posts.length).toBeGreaterThan(effects.size);
      for (const r of posts)
        expect([r.requestId, r.idempotencyKey]).toEqual([r.idempotencyKey, expect.any(String)]);
    }
    expect(h.settlement.transactions()).toHaveLength(5);
    expect(h.settlement.transactions().find((t) => t.transactionId === "pay-20261125-0003")?.reversed).toBe(
      true,
    );
    // pay-20261125-0002 is services only: PiK knows only its own slips (SPEC §6).
    expect(h.pik.payments().map((p) => p.paymentId)).not.toContain("pay-20261125-0002");
    expect(h.pik.payments()).toHaveLength(4);
    expect(h.pik.reversals().map((r) => r.paymentId)).toEqual(["pay-20261125-0003"]);
  });

  it("a retry written before the clock was set back an hour is sent now, not an hour later", async () => {
    enqueuePaymentReports(h.db, "pay-20261125-0001", h.config);
    // The 5xx's retry was due a few minutes on, by the clock then; NTP then set the clock back an hour:
    // the row's time is now an hour and more ahead, further than any back-off (capped at 40 ms here).
    const ahead = new Date(Date.now() + 65 * 60_000).toISOString();
    h.db.prepare("UPDATE outbox SET attempts = 3, next_attempt_at = ?").run(ahead);
    const w = h.newWorker();
    w.start();
    await waitFor(() => pendingCount(h.db) === 0, "an empty outbox");
    expect(h.settlement.transactions().map((t) => t.transactionId)).toEqual(["pay-20261125-0001"]);
  });

  it("counts a 409 as delivered", async () => {
    enqueuePaymentReports(h.db, "pay-20261125-0001", h.config);
    const body = h.db.prepare("SELECT body FROM outbox WHERE destination = 'pik'").get() as { body: string };
    // The office already has this payment (recorded under another key): it answers 409.
    const res = await fetch(`${h.pik.url}/payments`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "other-key" },
      body: body.body,
    });
    expect(res.status).toBe(201);
    const w = h.newWorker();
    w.start();
    await waitFor(() => pendingCount(h.db) === 0, "delivery");
    const row = h.db.prepare("SELECT status, last_status FROM outbox WHERE destination = 'pik'").get();
    expect(row).toEqual({ status: "delivered", last_status: 409 });
  });

  it("parks a message refused with another 4xx, raises an alert, and moves on", async () => {
    insertOutboxMessage(h.db, {
      id: "settlement.transaction.broken",
      destination: "settlement",
      kind: "transaction",
      path: "/transactions",
      sessionId: null,
      body: { transactionId: "broken", total: 100, splits: [] },
    });
    enqueuePaymentReports(h.db, "pay-20261125-0001", h.config);
    const parked: DeliveryInfo[] = [];
    const w = h.newWorker();
    w.on("parked", (info) => parked.push(info));
    w.start();
    await waitFor(() => pendingCount(h.db) === 0, "the queue to move past the refused message");
    expect(parked).toMatchObject([{ id: "settlement.transaction.broken", status: 400 }]);
    expect(w.backlog()).toContainEqual({
      destination: "settlement",
      pending: 0,
      failed: 1,
      oldestAgeSeconds: 0,
    });
    expect(h.settlement.transactions().map((t) => t.transactionId)).toEqual(["pay-20261125-0001"]);
  });

  it("keeps no card number a receiver's error answer holds (outbox row, events)", async () => {
    // A PiK that echoes what it was looking at into its error text: the answer is written to the
    // outbox row's last_error (read by `outbox list`, the service and admin APIs), not only logged.
    enqueuePaymentReports(h.db, "pay-20261125-0001", h.config);
    let calls = 0;
    const echoing = {
      request: async () => {
        calls++;
        const status = calls === 1 ? 503 : 400;
        return { status, body: `{"detail":"card 4111 1111 1111 1111 (4111111111111111) not on file"}` };
      },
      close: () => {},
    };
    const parked: DeliveryInfo[] = [];
    const retried: DeliveryInfo[] = [];
    const w = new OutboxWorker({
      db: h.db,
      clients: { pik: echoing, settlement: echoing },
      backoff: { baseDelayMs: 5, maxDelayMs: 10 },
      pollMs: 20,
    });
    h.workers.push(w);
    w.on("parked", (info) => parked.push(info));
    w.on("retry", (info) => retried.push(info));
    w.start();
    await waitFor(() => pendingCount(h.db) === 0, "the refused messages to be parked");
    const rows = JSON.stringify(h.db.prepare("SELECT last_error FROM outbox").all());
    expect(rows).toContain("not on file");
    const seen = `${rows}${JSON.stringify(parked)}${JSON.stringify(retried)}`;
    expect(seen.replace(/[ -]/g, "")).not.toContain("4111111111111111");
  });

  it("holds a destination behind its retrying head, without holding the other destination", async () => {
    h.settlement.setFaults({ errorRate: 1 });
    enqueueAll();
    const w = h.newWorker();
    w.start();
    await waitFor(
      () =>
        (
          h.db
            .prepare("SELECT COUNT(*) AS n FROM outbox WHERE destination = 'pik' AND status = 'pending'")
            .get() as { n: number }
        ).n === 0,
      "PiK delivered",
    );
    await waitFor(() => h.settlement.received().length >= 3, "settlement retries");
    const asked = new Set(h.settlement.received().map((r) => r.idempotencyKey));
    expect([...asked]).toEqual([outboxIds(h.db, "settlement")[0]]);
    h.settlement.setFaults({});
    await waitFor(() => pendingCount(h.db) === 0, "settlement delivered after recovery");
    expect([...h.settlement.countByKey().keys()]).toEqual(outboxIds(h.db, "settlement"));
  });

  it("keeps attempts and the retry time across a restart, and a lost answer is not doubled", async () => {
    // Every request takes effect but its answer never comes: the worst case for duplicates.
    h.settlement.setFaults({ hangRate: 1 });
    h.pik.setFaults({ errorRate: 1 });
    enqueuePaymentReports(h.db, "pay-20261125-0002", h.config);
    const first = h.newWorker();
    first.start();
    await waitFor(
      () => (h.db.prepare("SELECT MIN(attempts) AS n FROM outbox").get() as { n: number }).n >= 2,
      "two failed attempts each",
    );
    await first.stop();
    const before = h.db
      .prepare("SELECT destination, attempts, next_attempt_at, last_error FROM outbox ORDER BY seq")
      .all() as Array<{ destination: string; attempts: number; next_attempt_at: string; last_error: string }>;
    expect(before.every((r) => r.attempts >= 2 && r.last_error.length > 0)).toBe(true);
    expect(before.find((r) => r.destination === "settlement")?.last_error).toMatch(/^timeout/);

    // "Restart": a new connection and a new worker, the fakes healthy again.
    h.db.close();
    h.db = openDatabase(h.file);
    h.settlement.setFaults({});
    h.pik.setFaults({});
    const second = h.newWorker(h.db);
    second.start();
    await waitFor(() => pendingCount(h.db) === 0, "delivery after restart");
    expect(h.settlement.transactions()).toHaveLength(1);
    expect(h.settlement.countByKey().get("settlement.transaction.pay-20261125-0002")).toBe(1);
    const after = h.db.prepare("SELECT attempts FROM outbox WHERE destination = 'settlement'").get() as {
      attempts: number;
    };
    expect(after.attempts).toBeGreaterThan(before.find((r) => r.destination === "settlement")!.attempts);
  });

  it("is wired from the configuration by createReporting, slip check included", async () => {
    enqueueAll();
    const reporting = createReporting(h.db, h.config, {
      backoff: { baseDelayMs: 5, maxDelayMs: 40 },
      pollMs: 20,
    });
    try {
      reporting.worker.start();
      reporting.worker.kick();
      await waitFor(() => pendingCount(h.db) === 0, "delivery");
      expect(h.settlement.transactions()).toHaveLength(5);
      h.pik.issueSlip({ slip: "S/1", lines: [{ code: "DR", amount: 100 }] });
      expect(await reporting.pik?.checkSlip("PZ1465", "S/1")).toMatchObject({ status: "open", total: 100 });
    } finally {
      await reporting.close();
    }
  });
});
