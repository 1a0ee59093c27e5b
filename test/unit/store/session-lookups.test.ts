/**
 * The session lookups that run on every scan, and at every start, answer by index.
 *
 * The slip checks that run on every scan (is this slip held by a payment? which payment paid it?)
 * answer by index, not by reading every payment the kiosk ever took: a kiosk holds years of
 * payments, and the check is inside the visitor's wait. The sessions table's index for a slip is
 * partial (migration 1), and SQLite uses it only for a query that repeats its condition with the
 * same literals: `slipTaken` spelled the statuses as bound parameters and scanned the table.
 * What is asserted is SQLite's own plan for the statements the store runs, and their answers.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { PaymentState, PaymentStatus } from "../../../kiosk/flow/states.ts";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import { SessionStore, SLIP_HELD } from "../../../kiosk/store/sessions.ts";
import { plansOf } from "../../helpers/query-plans.ts";

let db: Db;
let store: SessionStore;
let seq = 0;

/** A one-slip payment of slip `slip`, put straight into `state` with money status `status`. */
function payment(slip: string, state: PaymentState, status: PaymentStatus | null, basket = false): string {
  const id = `T${++seq}`;
  store.insert({
    id,
    language: "pl",
    officeId: "PZ1465",
    kioskId: "K01",
    contents: {
      kind: basket ? "basket" : "slip",
      slips: [{ id: slip, caseRef: "GN.1", valid: "2026-12-31", payload: `P-${slip}`, total: 1000 }],
      lines: [],
      total: 1000,
    },
    now: "2026-11-25T09:00:00.000Z",
    reason: "test",
  });
  if (basket) db.prepare("UPDATE sessions SET slip_id = NULL WHERE id = ?").run(id);
  const paidAt = status === "approved" ? `2026-11-25T09:${String(seq).padStart(2, "0")}:00+01:00` : null;
  if (state !== "summary" || status !== null)
    store.transition(id, "summary", state, "setup", { payment_status: status, paid_at: paidAt });
  return id;
}

beforeEach(() => {
  // A fresh connection each time: the store's statements are compiled once per connection.
  db = openDatabase(":memory:");
  store = new SessionStore(db);
});

describe("the slip checks of a scan", () => {
  it("read sessions by index, never the whole table", () => {
    const plans = plansOf(db, () => {
      store.slipTaken("PZ1465", "S1");
      store.paidSlip("PZ1465", "S1");
    });
    expect(plans).toHaveLength(2);
    for (const plan of plans) {
      expect(plan).not.toMatch(/^SCAN (sessions|s)\b/m);
      expect(plan).toMatch(/sessions_one_payment_per_slip/);
    }
  });

  it("repeat the partial index's condition as the migration wrote it", () => {
    const index = db
      .prepare("SELECT sql FROM sqlite_master WHERE name = 'sessions_one_payment_per_slip'")
      .get() as { sql: string };
    expect(index.sql.replace(/\s+/g, " ")).toContain(`WHERE ${SLIP_HELD}`);
  });

  it("find the payment holding or having paid a slip, alone or in a basket, and nothing else", () => {
    payment("S1", "cancelled", null);
    payment("S2", "declined", "declined");
    const approved = payment("S3", "done", "approved");
    payment("S4", "authorizing", "authorizing");
    const inBasket = payment("S5", "done", "approved", true);
    payment("S6", "done", "reversed");

    expect(store.slipTaken("PZ1465", "S1")).toBeNull();
    expect(store.slipTaken("PZ1465", "S2")).toBeNull();
    expect(store.slipTaken("PZ1465", "S3")).toBe("approved");
    expect(store.slipTaken("PZ1465", "S4")).toBe("authorizing");
    expect(store.slipTaken("PZ1465", "S5")).toBe("approved");
    expect(store.slipTaken("PZ1465", "S6")).toBeNull();
    expect(store.slipTaken("OTHER", "S3")).toBeNull();

    expect(store.paidSlip("PZ1465", "S3")?.id).toBe(approved);
    expect(store.paidSlip("PZ1465", "S5")?.id).toBe(inBasket);
    expect(store.paidSlip("PZ1465", "S4")).toBeNull();
    expect(store.paidSlip("PZ1465", "S6")).toBeNull();
    expect(store.paidSlip("OTHER", "S3")).toBeNull();
  });
});

describe("the start-up's look for visits a restart interrupted", () => {
  it("reads the open sessions by index, never the whole table", () => {
    const plans = plansOf(db, () => {
      store.unfinished();
      store.abandoned();
    });
    expect(plans).toHaveLength(2);
    for (const plan of plans) {
      expect(plan).not.toMatch(/^SCAN sessions\b(?! USING)/m);
      expect(plan).toMatch(/sessions_open/);
    }
  });

  it("finds the visits in progress and those left on a summary or a decline, and nothing else", () => {
    payment("S1", "cancelled", null);
    payment("S2", "done", "approved");
    const summary = payment("S3", "summary", null);
    const declined = payment("S4", "declined", "declined");
    const authorizing = payment("S5", "authorizing", "authorizing");
    const printing = payment("S6", "printing", "approved");

    // Every visit here was opened at the same instant, so their order (by opening time) is not asserted.
    const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id).sort();
    expect(ids(store.unfinished())).toEqual([authorizing, printing].sort());
    expect(ids(store.abandoned())).toEqual([summary, declined].sort());
  });
});
