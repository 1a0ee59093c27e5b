/**
 * Every row of the transition table (kiosk/flow/states.ts), both ways, on the payment flow itself:
 * PaymentFlow built over fakes of its ports (the in-memory terminal and printer, the real store on
 * in-memory SQLite, a recording reporter, the flow's clock), without HTTP and without createKiosk.
 *
 * Allowed: the flow's public methods (and the terminal's answers) reach the row's `from` state and
 * make the move; the journal holds the row's move, and the state is stored before the step it
 * enables (the fakes look at the store when they are asked: the terminal is asked to charge only
 * once `authorizing` is stored, acknowledged only once its answer is, the printer prints only once
 * the payment is committed with its reports queued).
 * Refused: from a state outside the row's `from`, the public method that would make the move fails
 * with its code and leaves the stored session as it was. Rows that only the terminal's answers make
 * (and the recovery that follows them) are refused as a late answer would be: the flow's move on its
 * store throws StaleStateError and changes nothing.
 *
 * The rows come from the table: a row added there without a scenario here fails this file.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type AuthorizationRequest,
  TerminalCommandError,
  type TerminalTransaction,
} from "../../../devices/device.ts";
import { FakePrinter } from "../../../devices/sim/fake-printer.ts";
import { FakeTerminal } from "../../../devices/sim/fake-terminal.ts";
import type { PaymentFlow } from "../../../kiosk/flow/payment-session.ts";
import { TRANSITIONS, type TransitionName, target } from "../../../kiosk/flow/states.ts";
import { transition } from "../../../kiosk/flow/transition.ts";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import { journalOf } from "../../../kiosk/store/records.ts";
import { type SessionRow, SessionStore, StaleStateError } from "../../../kiosk/store/sessions.ts";
import { flowOverFakes } from "../../helpers/flow-over-fakes.ts";

/** What a fake saw in the store at the moment it was asked to act. */
type Seen = Pick<SessionRow, "state" | "payment_status" | "committed_at">;

let db: Db;
let store: SessionStore;
let terminal: FakeTerminal;
let printer: FakePrinter;
let flow: PaymentFlow;
/** Sessions whose payment reports were queued, in order. */
let reported: string[];
/** The store as the terminal saw it when asked to charge / when acknowledged, and the printer when printing. */
let askedToCharge: Seen[];
let acknowledgedAt: Seen[];
let printedAt: Array<Seen & { reported: boolean }>;
/** The last authorization's callbacks, to repeat the terminal's answer late. */
let lastRequest: AuthorizationRequest | null;
/** When set, the printer waits for it before printing. */
let printerGate: Promise<void> | null;

function seen(id: string): Seen {
  const row = store.get(id) as SessionRow;
  return { state: row.state, payment_status: row.payment_status, committed_at: row.committed_at };
}

/** The session the flow has on screen (every scenario has one visitor). */
function onScreen(): string {
  return flow.current()?.id as string;
}

function watchPorts(): void {
  const authorize = terminal.authorize.bind(terminal);
  terminal.authorize = (request) => {
    const id = onScreen();
    askedToCharge.push(seen(id));
    lastRequest = request;
    return authorize({
      ...request,
      acknowledged: (tx) => {
        acknowledgedAt.push(seen(id));
        request.acknowledged?.(tx);
      },
    });
  };
  const print = printer.print.bind(printer);
  printer.print = async (job) => {
    const id = job.id.split("-receipt")[0]?.split("-reprint")[0] as string;
    printedAt.push({ ...seen(id), reported: reported.includes(id) });
    if (printerGate) await printerGate;
    return print(job);
  };
}

beforeEach(async () => {
  db = openDatabase(":memory:");
  store = new SessionStore(db);
  terminal = new FakeTerminal();
  printer = new FakePrinter();
  await terminal.open();
  await printer.open();
  reported = [];
  askedToCharge = [];
  acknowledgedAt = [];
  printedAt = [];
  lastRequest = null;
  printerGate = null;
  watchPorts();
  flow = flowOverFakes({
    store,
    terminal,
    printer,
    enqueuePaymentReports: (id) => {
      reported.push(id);
    },
  });
});

afterEach(async () => {
  await flow.close(100);
  db.close();
});

/** A visitor's basket of one map extract, on screen in `summary`. */
async function summary(): Promise<string> {
  const view = await flow.basket([{ code: "GEO_MAP" }]);
  return view.id as string;
}

async function reaches(id: string, state: SessionRow["state"]): Promise<void> {
  await vi.waitFor(() => expect(store.get(id)?.state).toBe(state));
}

/** A visitor who paid (terminal approves, receipt printed): `done`. */
async function paid(): Promise<string> {
  const id = await summary();
  await flow.pay();
  await reaches(id, "done");
  return id;
}

/** A visitor whose card the terminal declined: `declined`, the terminal set to decline again. */
async function declined(): Promise<string> {
  terminal.behaviour = "decline";
  const id = await summary();
  await flow.pay();
  await reaches(id, "declined");
  return id;
}

/** A payment whose answer was lost and the terminal cannot be asked: `unknown`, staff to resolve. */
async function unknown(): Promise<string> {
  terminal.behaviour = "lostUncharged";
  terminal.unreachable = true;
  const id = await summary();
  await flow.pay();
  await reaches(id, "unknown");
  terminal.behaviour = "approve";
  return id;
}

/** The journal has the row's move of session `id` (from one of its states to its target). */
function expectMove(id: string, name: TransitionName, reason?: RegExp): void {
  const rule = TRANSITIONS[name];
  const moves = journalOf(db, id).filter(
    (j) =>
      (rule.from as readonly string[]).includes(j.from_state ?? "") &&
      j.to_state === target(name, j.from_state as SessionRow["state"]) &&
      (!reason || reason.test(j.reason)),
  );
  expect(moves, `journal of ${id}: ${JSON.stringify(journalOf(db, id))}`).not.toEqual([]);
}

/** The stored session and its journal, to show a refusal changed nothing. */
function snapshot(id: string): unknown {
  const row = store.get(id) as SessionRow;
  return { row: { ...row }, journal: journalOf(db, id).length, lines: store.lines(id).length };
}

/** `call` is refused with `code` and the stored session is as it was. */
async function refused(id: string, call: () => Promise<unknown>, code: string): Promise<void> {
  const before = snapshot(id);
  await expect(call()).rejects.toMatchObject({ code });
  expect(snapshot(id)).toEqual(before);
}

/** The row as the flow applies a late terminal answer to its store: refused as stale, nothing changed. */
function lateMoveRefused(id: string, name: TransitionName): void {
  const before = snapshot(id);
  expect(() => transition(store, id, name, "a late answer")).toThrow(StaleStateError);
  expect(snapshot(id)).toEqual(before);
}

/** The terminal repeats its last answer to the last authorization: refused as stale, nothing changed. */
async function repeatedAnswerRefused(id: string): Promise<void> {
  const request = lastRequest as AuthorizationRequest;
  const answer = (await terminal.lastTransaction()) as { tx: TerminalTransaction };
  const before = snapshot(id);
  expect(() => request.persist(answer.tx)).toThrow(StaleStateError);
  expect(snapshot(id)).toEqual(before);
}

interface Scenario {
  allowed: () => Promise<void>;
  refused: () => Promise<void>;
}

const ROWS: Record<TransitionName, Scenario> = {
  amend: {
    async allowed() {
      const id = await summary();
      const total = store.get(id)?.total as number;
      await flow.addServices([{ code: "GEO_MAP" }]);
      expectMove(id, "amend");
      expect(store.get(id)).toMatchObject({ state: "summary", total: 2 * total });
      expect(flow.view().total).toBe(2 * total);
    },
    async refused() {
      terminal.behaviour = "never";
      const id = await summary();
      await flow.pay();
      // Services added while the card is at the terminal would change what is being charged.
      await refused(id, () => flow.addServices([{ code: "GEO_MAP" }]), "CONFLICT");
      await refused(id, () => flow.addSlip("OPL1|anything"), "CONFLICT");
      await flow.cancel();
    },
  },

  abandon: {
    async allowed() {
      const left = await summary();
      await flow.cancel();
      expectMove(left, "abandon");
      expect(store.get(left)?.state).toBe("cancelled");
      // A declined payment the visitor gives up on.
      const gaveUp = await declined();
      await flow.cancel();
      expect(journalOf(db, gaveUp).at(-1)).toMatchObject({ from_state: "declined", to_state: "cancelled" });
    },
    async refused() {
      let release: () => void = () => undefined;
      printerGate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const id = await summary();
      await flow.pay();
      await reaches(id, "printing");
      // Cancel after the approval: the card is charged, the visit can only finish.
      await refused(id, () => flow.cancel(), "CONFLICT");
      release();
      await reaches(id, "done");
    },
  },

  pay: {
    async allowed() {
      const id = await paid();
      expectMove(id, "pay");
      expect(askedToCharge).toEqual([
        { state: "authorizing", payment_status: "authorizing", committed_at: null },
      ]);
      // A declined attempt may be paid again.
      const again = await declined();
      terminal.behaviour = "approve";
      await flow.pay();
      await reaches(again, "done");
      expect(
        journalOf(db, again)
          .filter((j) => j.to_state === "authorizing")
          .map((j) => j.from_state),
      ).toEqual(["summary", "declined"]);
    },
    async refused() {
      terminal.behaviour = "never";
      const id = await summary();
      await flow.pay();
      // Pay twice: the second is refused and the terminal is asked once.
      await refused(id, () => flow.pay(), "CONFLICT");
      expect(askedToCharge).toHaveLength(1);
      await flow.cancel();
      await reaches(id, "cancelled");
      await refused(id, () => flow.pay(), "CONFLICT");
    },
  },

  approve: {
    async allowed() {
      const id = await paid();
      expectMove(id, "approve", /terminal approved/);
      // The approval is stored before the terminal is acknowledged (its commit point).
      expect(acknowledgedAt).toEqual([{ state: "approved", payment_status: "approved", committed_at: null }]);
      // From unknown: staff found the charge on the terminal's journal.
      const lost = await unknown();
      await flow.resolveUnknown(lost, { verdict: "charged", note: "on the journal" }, "technician#1");
      expectMove(lost, "approve");
      expect(store.get(lost)).toMatchObject({ state: "done", payment_status: "approved" });
    },
    async refused() {
      const id = await paid();
      await refused(
        id,
        () => flow.resolveUnknown(id, { verdict: "charged", note: "again" }, "technician#1"),
        "CONFLICT",
      );
      // The terminal repeating its approval after the payment is booked changes nothing.
      await repeatedAnswerRefused(id);
    },
  },

  decline: {
    async allowed() {
      const ended: string[] = [];
      flow.on("paymentFinished", (p) => ended.push(p.outcome));
      const id = await declined();
      expect(ended).toEqual(["declined"]);
      expectMove(id, "decline");
      expect(acknowledgedAt).toEqual([{ state: "declined", payment_status: "declined", committed_at: null }]);
      expect(store.get(id)?.error_code).toBe("DECLINED");
    },
    async refused() {
      const id = await declined();
      await flow.cancel();
      // The terminal repeating its decline after the visitor left changes nothing.
      await repeatedAnswerRefused(id);
    },
  },

  refuse: {
    async allowed() {
      terminal.authorize = async () => {
        throw new TerminalCommandError("fake: command not allowed", 0x83);
      };
      const ended: string[] = [];
      flow.on("paymentFinished", (p) => ended.push(p.outcome));
      const id = await summary();
      await flow.pay();
      await reaches(id, "declined");
      expectMove(id, "refuse", /terminal refused/);
      expect(store.get(id)).toMatchObject({ payment_status: "declined", error_code: "TERMINAL_UNAVAILABLE" });
      // oplatomat_payments_total{outcome="error"}: the terminal refused the command, not the card.
      await vi.waitFor(() => expect(ended).toEqual(["error"]));
    },
    async refused() {
      lateMoveRefused(await paid(), "refuse");
    },
  },

  lose: {
    async allowed() {
      const id = await unknown();
      expectMove(id, "lose", /outcome unknown/);
      // Recovery asks the terminal only once the loss is stored.
      expect(store.get(id)?.payment_status).toBe("unknown");
    },
    async refused() {
      const id = await summary();
      await flow.cancel();
      lateMoveRefused(id, "lose");
    },
  },

  stillUnknown: {
    async allowed() {
      const id = await unknown();
      expectMove(id, "stillUnknown", /did not answer/);
      await flow.recover();
      expect(
        journalOf(db, id).filter((j) => j.from_state === "unknown" && j.to_state === "unknown"),
      ).toHaveLength(2);
      expect(flow.unresolvedPayments().map((p) => p.id)).toEqual([id]);
    },
    async refused() {
      lateMoveRefused(await paid(), "stillUnknown");
    },
  },

  notCharged: {
    async allowed() {
      const id = await unknown();
      await flow.resolveUnknown(id, { verdict: "not_charged", note: "not on the journal" }, "technician#1");
      expectMove(id, "notCharged");
      expect(store.get(id)).toMatchObject({ state: "cancelled", payment_status: "declined" });
      expect(reported).toEqual([]);
    },
    async refused() {
      const id = await summary();
      await refused(
        id,
        () => flow.resolveUnknown(id, { verdict: "not_charged", note: "never paid" }, "technician#1"),
        "CONFLICT",
      );
    },
  },

  commit: {
    async allowed() {
      const id = await paid();
      expectMove(id, "commit");
      // The receipt prints only once the payment is committed with its reports queued.
      expect(printedAt).toEqual([
        { state: "printing", payment_status: "approved", committed_at: expect.any(String), reported: true },
      ]);
      expect(reported).toEqual([id]);
    },
    async refused() {
      const id = await declined();
      lateMoveRefused(id, "commit");
      expect(reported).toEqual([]);
    },
  },

  finish: {
    async allowed() {
      const id = await paid();
      expectMove(id, "finish", /receipt printed/);
      expect(store.get(id)?.receipt_printed).toBe(1);
      // A receipt that fails still finishes the visit: the payment stands, the error is shown.
      printer.failWith = "paper_out";
      const failed = await paid();
      expectMove(failed, "finish", /receipt not printed/);
      expect(store.get(failed)).toMatchObject({ receipt_printed: 0, error_code: "RECEIPT_NOT_PRINTED" });
    },
    async refused() {
      lateMoveRefused(await summary(), "finish");
    },
  },

  receiptPrinted: {
    async allowed() {
      const id = await paid();
      await flow.reprint(id, { copy: true });
      expectMove(id, "receiptPrinted", /copy printed/);
      expect(printer.printed.map((j) => j.id.split("-").slice(-2, -1)[0])).toContain("reprint");
    },
    async refused() {
      const id = await declined();
      await refused(id, () => flow.reprint(id, { copy: true }), "NOT_FOUND");
    },
  },

  reverse: {
    async allowed() {
      const id = await paid();
      let atTerminal: Seen | null = null;
      const reverse = terminal.reverse.bind(terminal);
      terminal.reverse = (receiptNo) => {
        atTerminal = seen(id);
        return reverse(receiptNo);
      };
      await flow.voidPayment(id, "admin:anna", "wrong service");
      expectMove(id, "reverse", /reversed/);
      expect(atTerminal).toMatchObject({ state: "done", payment_status: "approved" });
      expect(store.get(id)).toMatchObject({ state: "done", payment_status: "reversed" });
    },
    async refused() {
      terminal.behaviour = "never";
      const id = await summary();
      await flow.pay();
      // The visitor's own payment still at the terminal cannot be voided.
      await refused(id, () => flow.voidPayment(id, "admin:anna", "mistake"), "CONFLICT");
      await flow.cancel();
      await reaches(id, "cancelled");
      await refused(id, () => flow.voidPayment(id, "admin:anna", "mistake"), "CONFLICT");
    },
  },
};

describe("the payment flow, row by row of its transition table", () => {
  it("has a scenario for every row of the table, and none for a row it does not have", () => {
    expect(Object.keys(ROWS).sort()).toEqual(Object.keys(TRANSITIONS).sort());
  });

  describe.each(Object.keys(TRANSITIONS) as TransitionName[])("%s", (name) => {
    it(`${TRANSITIONS[name].from.join("|")} → ${TRANSITIONS[name].to}: allowed`, async () => {
      await ROWS[name].allowed();
    });

    it("refused from any other state, nothing stored changes", async () => {
      await ROWS[name].refused();
    });
  });
});
