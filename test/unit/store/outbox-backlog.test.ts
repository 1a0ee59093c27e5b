/**
 * The outbox's backlog (what is still to be sent, per destination) is asked by /ready, the metrics,
 * the heartbeat and the service screen, while the table keeps every message ever delivered: two a
 * payment, for years. It is read from the partial indexes that hold only pending and parked rows, not
 * from the whole table. What is asserted is SQLite's plan for the statement and the backlog itself.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import {
  insertOutboxMessage,
  markOutboxDelivered,
  markOutboxParked,
  outboxBacklog,
} from "../../../kiosk/store/outbox.ts";
import { plansOf } from "../../helpers/query-plans.ts";

let db: Db;
let seq = 0;

function message(destination: string, at: string): string {
  const id = `m${++seq}`;
  insertOutboxMessage(
    db,
    { id, destination, kind: "payment", path: "/p", sessionId: null, body: { n: seq } },
    new Date(at),
  );
  return id;
}

const outcome = { attempts: 1, status: 200, error: null, at: new Date("2026-11-25T10:00:00Z") };

beforeEach(() => {
  db = openDatabase(":memory:");
});

describe("the outbox backlog", () => {
  it("is read from the pending and parked rows' indexes, never the whole table", () => {
    const plans = plansOf(db, () => outboxBacklog(db));
    expect(plans).toHaveLength(1);
    const plan = plans[0];
    expect(plan).not.toMatch(/^SCAN outbox$/m);
    expect(plan).toMatch(/outbox_pending/);
    expect(plan).toMatch(/outbox_parked/);
  });

  it("counts pending and parked messages per destination, with the oldest pending one's age", () => {
    markOutboxDelivered(db, message("office", "2026-11-25T08:00:00Z"), outcome);
    message("office", "2026-11-25T09:00:00Z");
    message("office", "2026-11-25T09:30:00Z");
    markOutboxParked(db, message("office", "2026-11-25T07:00:00Z"), outcome);
    markOutboxParked(db, message("settlement", "2026-11-25T07:00:00Z"), outcome);
    markOutboxDelivered(db, message("delivered-only", "2026-11-25T07:00:00Z"), outcome);

    expect(outboxBacklog(db, new Date("2026-11-25T10:00:00Z"))).toEqual([
      { destination: "office", pending: 2, failed: 1, oldestAgeSeconds: 3600 },
      { destination: "settlement", pending: 0, failed: 1, oldestAgeSeconds: 0 },
    ]);
  });
});
