/**
 * Void and end-of-day through the outbox to the fakes. The terminal is the in-memory FakeTerminal
 * (devices/sim/fake-terminal.ts, a stand-in that speaks no ZVT bytes): what is under test here is
 * the bookkeeping around the terminal, not the protocol.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeTerminal } from "../../../devices/sim/fake-terminal.ts";
import { isoWithOffset } from "../../../kiosk/domain/time.ts";
import { enqueuePaymentReports } from "../../../kiosk/outbox/enqueue.ts";
import { type EndOfDayResult, overdueDay, runEndOfDay } from "../../../kiosk/flow/end-of-day.ts";
import { ReportingError } from "../../../kiosk/reports/errors.ts";
import { voidPayment } from "../../../kiosk/flow/void-payment.ts";
import { insertPayment } from "./fixture-day.ts";
import { type Harness, pendingCount, startHarness, waitFor } from "./harness.ts";

const NOON = new Date("2026-11-25T11:00:00Z");
const clock = (d: Date) => () => d;

describe("same-day void and end-of-day", () => {
  let h: Harness;
  let terminal: FakeTerminal;

  /** A payment the terminal really approved, stored as the flow stores it, reported to both fakes. */
  async function pay(id: string, amount: number, at = NOON): Promise<void> {
    const tx = await terminal.authorize({ amount, persist: () => {} });
    insertPayment(h.db, h.config, {
      id,
      paidAt: isoWithOffset(at),
      slip: `S/${id}`,
      caseRef: `KOM/${id}`,
      lines: [
        { code: "DR", amount: amount - 200, recipient: "POWIAT" },
        { code: "FEE", amount: 200, recipient: "OPERATOR", label: "Opłata manipulacyjna" },
      ],
      receiptNo: tx.receiptNumber!,
    });
    enqueuePaymentReports(h.db, id, h.config);
  }

  /** A closing of `day` that agrees with the kiosk, and the day's report agreeing at `total`. */
  function expectAgreed(result: EndOfDayResult, day: string, total: number): void {
    expect(result.day).toBe(day);
    expect(result.mismatch).toBe(false);
    expect(result.summary.reconciliation).toMatchObject({
      status: "match",
      kioskTotal: total,
      terminalTotal: total,
    });
  }

  beforeEach(async () => {
    h = await startHarness();
    terminal = new FakeTerminal();
    await terminal.open();
  });
  afterEach(async () => {
    await terminal.close();
    await h.close();
  });

  it("a void reverses at the terminal, is audited, and reaches both fakes after the payment", async () => {
    await pay("p-1", 5600);
    await pay("p-2", 7200);
    const result = await voidPayment({
      db: h.db,
      terminal,
      config: h.config,
      paymentId: "p-1",
      actor: "admin:anna",
      reason: "pomyłka urzędnika",
      now: clock(new Date(NOON.getTime() + 60_000)),
    });
    expect(result).toMatchObject({ paymentId: "p-1", amount: 5600, reversedAt: "2026-11-25T12:01:00+01:00" });
    expect(terminal.turnover.map((t) => t.amount)).toEqual([7200]);
    expect(
      h.db.prepare("SELECT payment_status, reversal_reason FROM sessions WHERE id = 'p-1'").get(),
    ).toEqual({
      payment_status: "reversed",
      reversal_reason: "pomyłka urzędnika",
    });
    expect(
      h.db.prepare("SELECT actor, action, target FROM audit WHERE action = 'payment.void'").all(),
    ).toEqual([{ actor: "admin:anna", action: "payment.void", target: "p-1" }]);
    const worker = h.newWorker();
    worker.start();
    await waitFor(() => pendingCount(h.db) === 0, "delivery");
    expect(h.pik.reversals()).toMatchObject([{ paymentId: "p-1", reason: "pomyłka urzędnika" }]);
    expect(h.settlement.transactions().map((t) => [t.transactionId, t.reversed])).toEqual([
      ["p-1", true],
      ["p-2", false],
    ]);
    expect(h.settlement.totalsPerRecipient()).toEqual({ POWIAT: 7000, OPERATOR: 200 });
  });

  it("a void reason typed with a card number keeps only its last four digits, in the database and the messages", async () => {
    await pay("p-1", 5600);
    await voidPayment({
      db: h.db,
      terminal,
      config: h.config,
      paymentId: "p-1",
      actor: "desk:ewa",
      reason: "klient pokazał kartę 4111 1111 1111 1111, zwrot",
      now: clock(new Date(NOON.getTime() + 60_000)),
    });
    const worker = h.newWorker();
    worker.start();
    await waitFor(() => pendingCount(h.db) === 0, "delivery");
    const kept = JSON.stringify([
      h.db.prepare("SELECT reversal_reason FROM sessions").all(),
      h.db.prepare("SELECT body FROM outbox").all(),
      h.db.prepare("SELECT * FROM audit").all(),
      h.db.prepare("SELECT * FROM alarms").all(),
      h.pik.reversals(),
      h.settlement.received(),
    ]);
    expect(kept).toContain("zwrot");
    expect(kept.replace(/[ -]/g, "")).not.toContain("4111111111111111");
    expect(h.pik.reversals()[0]?.reason).toBe("klient pokazał kartę ************1111, zwrot");
  });

  it("end-of-day stores the terminal's totals, reports the day, and refuses a void afterwards", async () => {
    await pay("p-1", 5600);
    await pay("p-2", 7200);
    await voidPayment({
      db: h.db,
      terminal,
      config: h.config,
      paymentId: "p-2",
      actor: "admin",
      reason: "x",
      now: clock(NOON),
    });
    const eod = await runEndOfDay({
      db: h.db,
      terminal,
      config: h.config,
      now: clock(new Date("2026-11-25T19:00:00Z")),
      reportDirectory: path.join(h.dir, "reports"),
    });
    expect(eod.day).toBe("2026-11-25");
    expect(eod.files.map((f) => path.basename(f))).toEqual([
      "settlement-K01-2026-11-25.json",
      "settlement-K01-2026-11-25.pdf",
    ]);
    expect(JSON.parse(fs.readFileSync(eod.files[0]!, "utf8")).reconciliation.status).toBe("match");
    expect(eod.terminal).toMatchObject({ count: 1, total: 5600 });
    expect(eod.summary.reconciliation).toMatchObject({
      status: "match",
      kioskTotal: 5600,
      terminalTotal: 5600,
    });
    const err = await voidPayment({
      db: h.db,
      terminal,
      config: h.config,
      paymentId: "p-1",
      actor: "admin",
      reason: "za późno",
      now: clock(new Date("2026-11-25T19:30:00Z")),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportingError);
    expect(err).toMatchObject({ code: "CONFLICT", reason: "day_closed" });
    expect((err as Error).message).toMatch(/closed by end-of-day/);
    expect(terminal.turnover.map((t) => t.amount)).toEqual([5600]);
    expect(h.db.prepare("SELECT payment_status FROM sessions WHERE id = 'p-1'").get()).toEqual({
      payment_status: "approved",
    });

    const worker = h.newWorker();
    worker.start();
    await waitFor(() => pendingCount(h.db) === 0, "delivery");
    expect(h.settlement.days()).toEqual([
      {
        office: "PZ1465",
        kiosk: "K01",
        date: "2026-11-25",
        count: 1,
        total: 5600,
        terminalTotals: {
          count: 1,
          total: 5600,
          closedAt: "2026-11-25T20:00:00+01:00",
          reconciliation: { matches: true, differences: [] },
        },
      },
    ]);
  });

  it("a second end-of-day of one day reconciles the whole day against all its closings: no false alarm", async () => {
    // The grosz pass (2026-12-08): a technician's end-of-day after the day's first one compared the
    // whole day's payments with the second batch alone (the terminal holds only what came since), so
    // every payment of the first batch was "kiosk only": the end_of_day_mismatch alarm, and the hub's
    // day message said the terminal held 2 where the kiosk and the hub held 5.
    const closeAt = (iso: string) =>
      runEndOfDay({ db: h.db, terminal, config: h.config, now: clock(new Date(iso)) });
    const alarms = () =>
      (
        h.db.prepare("SELECT COUNT(*) AS n FROM alarms WHERE kind = 'end_of_day_mismatch'").get() as {
          n: number;
        }
      ).n;
    const dayMessages = () =>
      (
        h.db.prepare("SELECT body FROM outbox WHERE kind = 'day' ORDER BY seq").all() as Array<{
          body: string;
        }>
      ).map((r) => JSON.parse(r.body) as { count: number; total: number; terminalTotals: object });

    await pay("morning", 5600, new Date("2026-11-25T09:00:00Z"));
    const first = await closeAt("2026-11-25T12:00:00Z");
    expect(first.mismatch).toBe(false);
    await pay("afternoon", 7200, new Date("2026-11-25T14:00:00Z"));
    const second = await closeAt("2026-11-25T19:00:00Z");
    expect(second.day).toBe("2026-11-25");
    expect(second.terminal).toMatchObject({ count: 1, total: 7200 });
    expect(second.mismatch).toBe(false);
    expect(second.reconciliation).toMatchObject({
      matches: true,
      kiosk: { count: 2, total: 12800 },
      terminal: { count: 2, total: 12800 },
    });
    // Nothing paid since: a third closing of the day still holds the whole day.
    const third = await closeAt("2026-11-25T20:00:00Z");
    expect(third.mismatch).toBe(false);
    expect(alarms()).toBe(0);
    // The settlement platform hears the day's terminal totals beside the day's own, each time.
    expect(dayMessages().map((m) => [m.count, m.total, m.terminalTotals])).toEqual([
      [1, 5600, expect.objectContaining({ count: 1, total: 5600 })],
      [2, 12800, expect.objectContaining({ count: 2, total: 12800 })],
      [2, 12800, expect.objectContaining({ count: 2, total: 12800 })],
    ]);
    // The report adds up the day's closings as before.
    expect(third.summary.reconciliation).toMatchObject({
      status: "match",
      kioskTotal: 12800,
      terminalTotal: 12800,
    });
  });

  it("end-of-day after midnight closes the day its payments belong to, and the next close the next day", async () => {
    const closeAt = (iso: string) =>
      runEndOfDay({ db: h.db, terminal, config: h.config, now: clock(new Date(iso)) });
    const matching = (total: number) => ({ status: "match", kioskTotal: total, terminalTotal: total });

    // 22:30 in Warsaw; the technician closes at 00:10, already the next calendar day.
    await pay("late", 5600, new Date("2026-11-25T21:30:00Z"));
    const first = await closeAt("2026-11-25T23:10:00Z");
    expect(first.day).toBe("2026-11-25");
    expect(first.summary.reconciliation).toMatchObject(matching(5600));

    await pay("next", 7200, new Date("2026-11-26T10:00:00Z"));
    const second = await closeAt("2026-11-26T19:00:00Z");
    expect(second.day).toBe("2026-11-26");
    expect(second.summary.reconciliation).toMatchObject(matching(7200));

    // Nothing paid since: an empty batch is labelled with the day it is closed on.
    const third = await closeAt("2026-11-27T19:00:00Z");
    expect(third.day).toBe("2026-11-27");
    expect(third.terminal).toMatchObject({ count: 0, total: 0 });
  });

  it("payments after the day's end-of-day are closed as that day's just after midnight, so both days reconcile", async () => {
    const closeAt = (iso: string) =>
      runEndOfDay({ db: h.db, terminal, config: h.config, now: clock(new Date(iso)) });
    const overdue = (iso: string) => overdueDay(h.db, new Date(iso), "Europe/Warsaw");
    await pay("day", 5600, new Date("2026-11-25T10:00:00Z"));
    await closeAt("2026-11-25T21:00:00Z"); // the scheduled 22:00
    expect(overdue("2026-11-25T22:59:59Z")).toBeNull(); // nothing after it yet, and still the 25th
    await pay("late", 7200, new Date("2026-11-25T21:30:00Z")); // 22:30, after the closing
    expect(overdue("2026-11-25T22:59:59Z")).toBeNull(); // 23:59:59: the 25th is not over
    expect(overdue("2026-11-25T23:00:00Z")).toBe("2026-11-25"); // 00:00 on the 26th
    expectAgreed(await closeAt("2026-11-25T23:00:00Z"), "2026-11-25", 12800);
    expect(overdue("2026-11-26T06:00:00Z")).toBeNull();

    await pay("next", 3300, new Date("2026-11-26T10:00:00Z"));
    expectAgreed(await closeAt("2026-11-26T21:00:00Z"), "2026-11-26", 3300);
    expect(h.db.prepare("SELECT COUNT(*) AS n FROM alarms").get()).toEqual({ n: 0 });
  });

  it("a batch holding two days (a payment approved just after midnight before the late closing) reconciles with both", async () => {
    const closeAt = (iso: string) =>
      runEndOfDay({ db: h.db, terminal, config: h.config, now: clock(new Date(iso)) });
    await pay("day", 5600, new Date("2026-11-25T10:00:00Z"));
    await closeAt("2026-11-25T21:00:00Z");
    await pay("late", 7200, new Date("2026-11-25T21:30:00Z")); // 22:30 on the 25th
    // Started 23:59:58, approved 00:00:01: booked on the 26th, by its approval (paid_at).
    await pay("midnight", 3300, new Date("2026-11-25T23:00:01Z"));
    // The late closing comes too late to keep the days apart: the latest payment is the 26th's.
    expect(overdueDay(h.db, new Date("2026-11-25T23:01:00Z"), "Europe/Warsaw")).toBeNull();
    const next = await closeAt("2026-11-26T21:00:00Z");
    expect(next.day).toBe("2026-11-26");
    expect(next.terminal).toMatchObject({ count: 2, total: 10500 });
    // The terminal and the kiosk agree on what was charged: no alarm for staff.
    expect(next.mismatch).toBe(false);
    expect(h.db.prepare("SELECT COUNT(*) AS n FROM alarms").get()).toEqual({ n: 0 });
  });

  it("a second closing of a day whose first batch held the day before's payments still reconciles", async () => {
    // review18: the day's terminal side adds up all its closings, the first of which held a payment
    // of the day before (paid after that day's closing, before midnight); the kiosk's side of a second
    // closing took other days' payments only since the previous closing, so that payment was
    // "terminal only": a false end_of_day_mismatch (e.g. the terminal asking for an end-of-day at
    // 10:00, then the scheduled 22:00).
    const closeAt = (iso: string) =>
      runEndOfDay({ db: h.db, terminal, config: h.config, now: clock(new Date(iso)) });
    await pay("day", 5600, new Date("2026-11-25T10:00:00Z"));
    await closeAt("2026-11-25T21:00:00Z");
    await pay("late", 7200, new Date("2026-11-25T21:30:00Z")); // 22:30 on the 25th
    await pay("midnight", 3300, new Date("2026-11-25T23:00:01Z")); // 00:00:01 on the 26th
    const morning = await closeAt("2026-11-26T09:00:00Z");
    expect(morning.day).toBe("2026-11-26");
    expect(morning.mismatch).toBe(false);
    await pay("noon", 4400, new Date("2026-11-26T11:00:00Z"));
    const evening = await closeAt("2026-11-26T21:00:00Z");
    expect(evening.day).toBe("2026-11-26");
    expect(evening.reconciliation).toMatchObject({
      matches: true,
      kiosk: { count: 3, total: 14900 },
      terminal: { count: 3, total: 14900 },
    });
    expect(evening.mismatch).toBe(false);
    expect(h.db.prepare("SELECT COUNT(*) AS n FROM alarms").get()).toEqual({ n: 0 });
  });

  it("a day the kiosk was off at its end-of-day time is overdue the next morning, not after an interrupted closing", async () => {
    await pay("day", 5600, new Date("2026-11-25T10:00:00Z"));
    expect(overdueDay(h.db, new Date("2026-11-25T22:00:00Z"), "Europe/Warsaw")).toBeNull();
    expect(overdueDay(h.db, new Date("2026-11-26T06:00:00Z"), "Europe/Warsaw")).toBe("2026-11-25");
    h.db
      .prepare("INSERT INTO kv (key, value) VALUES ('end_of_day.pending', ?)")
      .run(JSON.stringify({ startedAt: "2026-11-25T21:00:00.000Z", day: "2026-11-25" }));
    expect(overdueDay(h.db, new Date("2026-11-26T06:00:00Z"), "Europe/Warsaw")).toBeNull();
  });

  it("refuses a void of another business day", async () => {
    await pay("p-old", 5600, new Date("2026-11-24T11:00:00Z"));
    await expect(
      voidPayment({
        db: h.db,
        terminal,
        config: h.config,
        paymentId: "p-old",
        actor: "a",
        reason: "r",
        now: clock(NOON),
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", reason: "other_business_day" });
  });

  it("refuses end-of-day while a payment is unresolved, without touching the terminal", async () => {
    await pay("p-1", 5600);
    h.db.prepare("UPDATE sessions SET state = 'unknown', payment_status = 'unknown' WHERE id = 'p-1'").run();
    let asked = false;
    const spy = Object.assign(Object.create(terminal) as FakeTerminal, {
      endOfDay: () => {
        asked = true;
        return terminal.endOfDay();
      },
    });
    await expect(
      runEndOfDay({ db: h.db, terminal: spy, config: h.config, now: clock(NOON) }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "payment_unresolved",
    });
    expect(asked).toBe(false);
    expect(h.db.prepare("SELECT COUNT(*) AS n FROM terminal_days").get()).toEqual({ n: 0 });
  });
});
