/**
 * The transition table (kiosk/flow/states.ts) row by row, both ways, against the real store on an
 * in-memory SQLite: a row moves a session from each of its `from` states to its target and journals
 * it; from every other state (or money status) it is refused and nothing is written.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  allows,
  armable,
  inProgress,
  isFinal,
  PAYMENT_STATES,
  PAYMENT_STATUSES,
  type PaymentState,
  type PaymentStatus,
  SCREEN_STATES,
  TRANSITIONS,
  type TransitionName,
  target,
} from "../../../kiosk/flow/states.ts";
import { transition } from "../../../kiosk/flow/transition.ts";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import { journalOf } from "../../../kiosk/store/records.ts";
import { SessionStore, StaleStateError } from "../../../kiosk/store/sessions.ts";

let db: Db;
let store: SessionStore;
let seq = 0;

/** A session put straight into `state` with money status `status` (the store's raw write). */
function sessionIn(state: PaymentState, status: PaymentStatus | null): string {
  const id = `T${++seq}`;
  store.insert({
    id,
    language: "pl",
    officeId: "PZ1465",
    kioskId: "K01",
    contents: { kind: "basket", slips: [], lines: [], total: 1000 },
    now: "2026-11-25T09:00:00.000Z",
    reason: "test",
  });
  if (state !== "summary" || status !== null)
    store.transition(id, "summary", state, "setup", { payment_status: status });
  return id;
}

beforeEach(() => {
  db = openDatabase(":memory:");
  store = new SessionStore(db);
});
afterEach(() => db.close());

const rows = Object.keys(TRANSITIONS) as TransitionName[];
/** Money statuses a session in that state can really have; `reverse` is guarded by it. */
const statusesOf = (state: PaymentState): Array<PaymentStatus | null> =>
  state === "summary" ? [null] : [null, ...PAYMENT_STATUSES];

describe("every row of the transition table", () => {
  for (const name of rows) {
    describe(name, () => {
      for (const state of PAYMENT_STATES) {
        for (const status of statusesOf(state)) {
          const legal = allows(name, state, status);
          it(`${legal ? "moves" : "refuses"} a session in ${state} (${status ?? "no status"})`, () => {
            const id = sessionIn(state, status);
            const before = store.get(id);
            const journal = journalOf(db, id).length;
            if (legal) {
              const row = transition(store, id, name, `test ${name}`);
              expect(row.state).toBe(target(name, state));
              expect(journalOf(db, id)).toHaveLength(journal + 1);
              expect(journalOf(db, id).at(-1)).toMatchObject({ from_state: state, to_state: row.state });
            } else {
              expect(() => transition(store, id, name, `test ${name}`)).toThrow(StaleStateError);
              expect(store.get(id)).toEqual(before);
              expect(journalOf(db, id)).toHaveLength(journal);
            }
          });
        }
      }
    });
  }

  it("the table names every state it moves from or to (no row reaches outside the vocabulary)", () => {
    for (const name of rows) {
      const rule = TRANSITIONS[name];
      for (const s of rule.from) expect(PAYMENT_STATES).toContain(s);
      if (rule.to !== "same") expect(PAYMENT_STATES).toContain(rule.to);
    }
  });

  it("nothing leaves a final state except a receipt copy or a void, which keep it", () => {
    for (const name of rows) {
      for (const state of PAYMENT_STATES.filter(isFinal)) {
        if ((TRANSITIONS[name].from as readonly string[]).includes(state)) {
          expect(target(name, state)).toBe(state);
        }
      }
    }
  });

  it("a void needs an approved payment: a reversed one is refused", () => {
    expect(allows("reverse", "done", "approved")).toBe(true);
    expect(allows("reverse", "done", "reversed")).toBe(false);
    expect(allows("reverse", "done", null)).toBe(false);
  });
});

describe("the predicates", () => {
  it("in progress: from the intent to charge until the receipt is printed", () => {
    expect(PAYMENT_STATES.filter(inProgress)).toEqual(["authorizing", "approved", "unknown", "printing"]);
  });
  it("the scanner is armed unless a payment is in progress or the kiosk is out of order", () => {
    expect(SCREEN_STATES.filter(armable)).toEqual(["idle", "summary", "declined", "done", "cancelled"]);
  });
  it("final: done and cancelled", () => {
    expect(PAYMENT_STATES.filter(isFinal)).toEqual(["done", "cancelled"]);
  });
});
