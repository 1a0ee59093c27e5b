/**
 * The outbox's retention rule (kiosk/store/outbox-retention.ts): delivered messages whose delivery is
 * older than the period go, a bounded batch at a time; pending and parked ones stay whatever their
 * age, and so does every message of a session that has not reached a final state.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import {
  insertOutboxMessage,
  listOutbox,
  markOutboxDelivered,
  markOutboxParked,
} from "../../../kiosk/store/outbox.ts";
import {
  OUTBOX_PRUNE_BATCH,
  OUTBOX_RETENTION_DAYS,
  pruneDeliveredOutbox,
  retentionCutoff,
} from "../../../kiosk/store/outbox-retention.ts";
import { plansOf } from "../../helpers/query-plans.ts";

const DAY = 86_400_000;
const NOW = new Date("2026-12-06T12:00:00.000Z");
const daysAgo = (d: number, ms = 0) => new Date(NOW.getTime() - d * DAY + ms);

let db: Db;
let seq = 0;

function session(state: string): string {
  const id = `s${++seq}`;
  db.prepare(
    `INSERT INTO sessions (id, kind, state, language, office_id, kiosk_id, total, created_at, updated_at)
     VALUES (?, 'slip', ?, 'pl', 'PZ1465', 'K01', 1000, ?, ?)`,
  ).run(id, state, NOW.toISOString(), NOW.toISOString());
  return id;
}

/** A message created a minute before `at`; delivered at `at` unless a state other than delivered is asked. */
function message(
  at: Date,
  state: "delivered" | "pending" | "failed" = "delivered",
  sessionId: string | null = null,
) {
  const id = `m${++seq}`;
  insertOutboxMessage(
    db,
    { id, destination: "settlement", kind: "transaction", path: "/t", sessionId, body: { n: seq } },
    new Date(at.getTime() - 60_000),
  );
  const outcome = { attempts: 1, status: state === "failed" ? 422 : 200, error: null, at };
  if (state === "delivered") markOutboxDelivered(db, id, outcome);
  if (state === "failed") markOutboxParked(db, id, outcome);
  return id;
}

const ids = () =>
  (db.prepare("SELECT id FROM outbox ORDER BY seq").all() as Array<{ id: string }>).map((r) => r.id);

const cutoff = () => retentionCutoff(NOW);

beforeEach(() => {
  db = openDatabase(":memory:");
  seq = 0;
});

describe("the outbox retention rule", () => {
  it("keeps a delivered message for the whole period: deleted only when delivered strictly before the cutoff", () => {
    const justOlder = message(daysAgo(OUTBOX_RETENTION_DAYS, -1));
    const exactly = message(daysAgo(OUTBOX_RETENTION_DAYS));
    const justYounger = message(daysAgo(OUTBOX_RETENTION_DAYS, 1));
    expect(pruneDeliveredOutbox(db, cutoff())).toBe(1);
    expect(ids()).toEqual([exactly, justYounger]);
    expect(ids()).not.toContain(justOlder);
  });

  it("chose a period covering a quarter and the month it is closed in", () => {
    expect(OUTBOX_RETENTION_DAYS).toBe(123);
    expect(retentionCutoff(NOW).toISOString()).toBe("2026-08-05T12:00:00.000Z");
  });

  it("never deletes pending or parked messages, whatever their age", () => {
    const pending = message(daysAgo(3 * 365), "pending");
    const parked = message(daysAgo(3 * 365), "failed");
    message(daysAgo(3 * 365));
    expect(pruneDeliveredOutbox(db, cutoff())).toBe(1);
    expect(ids()).toEqual([pending, parked]);
    expect(listOutbox(db).map((e) => [e.id, e.state])).toEqual([
      [pending, "pending"],
      [parked, "failed"],
    ]);
  });

  it("keeps the messages of a session not yet in a final state; a finished or cancelled one's go", () => {
    const printing = message(daysAgo(400), "delivered", session("printing"));
    message(daysAgo(400), "delivered", session("done"));
    message(daysAgo(400), "delivered", session("cancelled"));
    message(daysAgo(400), "delivered", null); // a closing's day message has no session
    expect(pruneDeliveredOutbox(db, cutoff())).toBe(3);
    expect(ids()).toEqual([printing]);
  });

  it("deletes at most a batch per call, oldest delivery first, and is idempotent", () => {
    const old = Array.from({ length: 12 }, (_, i) => message(daysAgo(200 - i)));
    const recent = message(daysAgo(10));
    expect(pruneDeliveredOutbox(db, cutoff(), 5)).toBe(5);
    expect(ids()).toEqual([...old.slice(5), recent]);
    expect(pruneDeliveredOutbox(db, cutoff(), 5)).toBe(5);
    expect(pruneDeliveredOutbox(db, cutoff(), 5)).toBe(2);
    expect(pruneDeliveredOutbox(db, cutoff(), 5)).toBe(0);
    expect(pruneDeliveredOutbox(db, cutoff())).toBe(0);
    expect(ids()).toEqual([recent]);
    expect(pruneDeliveredOutbox(db, cutoff(), 0)).toBe(0);
    expect(OUTBOX_PRUNE_BATCH).toBe(500);
  });

  it("follows the clock it is given: the same message stays today and goes a day after its period", () => {
    const id = message(daysAgo(OUTBOX_RETENTION_DAYS - 1));
    expect(pruneDeliveredOutbox(db, retentionCutoff(NOW))).toBe(0);
    expect(pruneDeliveredOutbox(db, retentionCutoff(new Date(NOW.getTime() + 2 * DAY)))).toBe(1);
    expect(ids()).not.toContain(id);
  });

  it("never hands a seq back: a message after a prune still sorts after every older one", () => {
    const pending = message(daysAgo(1), "pending");
    message(daysAgo(300)); // the highest seq so far
    expect(pruneDeliveredOutbox(db, cutoff())).toBe(1);
    const later = message(NOW, "pending");
    const rows = db.prepare("SELECT id, seq FROM outbox ORDER BY seq").all() as Array<{
      id: string;
      seq: number;
    }>;
    // AUTOINCREMENT: the deleted row's seq (2) is not given to the next message.
    expect(rows).toEqual([
      { id: pending, seq: 1 },
      { id: later, seq: 3 },
    ]);
  });

  it("finds the expired messages through the delivered-messages index, not by reading the table", () => {
    message(daysAgo(300));
    const plans = plansOf(db, () => pruneDeliveredOutbox(db, cutoff()));
    const plan = plans.find((p) => p.includes("outbox")) ?? "";
    expect(plan).toContain("USING INDEX outbox_delivered");
    expect(plan).not.toMatch(/SCAN o\b(?! USING)/);
  });
});
