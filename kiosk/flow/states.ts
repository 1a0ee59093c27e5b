/**
 * The payment session's states and the one table of its legal moves (ARCHITECTURE.md, "The payment
 * session"). Every change of a session's state or money status goes through a row of this table
 * (`kiosk/flow/transition.ts` applies it); every other module that needs "is a payment in progress?"
 * asks the predicates below instead of listing states itself.
 *
 *   summary ─pay→ authorizing ─approve→ approved ─commit→ printing ─finish→ done
 *      │             │  └─decline/refuse→ declined ─pay→ authorizing (another attempt)
 *      └─abandon→ cancelled   └─lose→ unknown ─approve | notCharged | stillUnknown
 */
import {
  inProgress,
  type PaymentState,
  type PaymentStatus,
  type ScreenState,
} from "../../contracts/session-states.ts";

// The vocabulary itself is shared with the UI; the kiosk asks for it here, with the table.
export * from "../../contracts/session-states.ts";

/** A session is born in `summary` (the visitor sees what they will pay); nothing moves into it. */
export const INITIAL_STATE: PaymentState = "summary";

export interface TransitionRule {
  /** The states the session may be in for this move; anything else is refused as stale. */
  readonly from: readonly PaymentState[];
  /** The state it ends in; `same` changes only payment columns (a reprint, a void). */
  readonly to: PaymentState | "same";
  /** When set, the payment's money status must be one of these too. */
  readonly status?: readonly PaymentStatus[];
}

/**
 * The legal moves. Rows are named after what happens; a call site names a row, never a pair of
 * states, so a move missing here cannot happen anywhere.
 */
export const TRANSITIONS = {
  /** A slip or services added to the basket on screen (the cash desk's basket grows). */
  amend: { from: ["summary"], to: "summary" },
  /** The visitor left, cancelled, or a new scan, a restart or an out-of-order replaced the screen. */
  abandon: { from: ["summary", "declined"], to: "cancelled" },
  /** The intent to charge, written before the terminal is asked (a declined payment may be retried). */
  pay: { from: ["summary", "declined"], to: "authorizing" },
  /** The terminal's approval (live, or repeated to recovery for an unknown payment). */
  approve: { from: ["authorizing", "unknown"], to: "approved" },
  /** The terminal's decline or abort (live, or repeated to recovery). */
  decline: { from: ["authorizing", "unknown"], to: "declined" },
  /** The terminal refused the command itself: no transaction was started. */
  refuse: { from: ["authorizing"], to: "declined" },
  /** The terminal's answer was lost (time-out, crash, restart while authorizing). */
  lose: { from: ["authorizing", "approved"], to: "unknown" },
  /** Recovery could not prove the outcome: it stays unknown until the terminal or staff say. */
  stillUnknown: { from: ["unknown", "approved"], to: "unknown" },
  /** Recovery (or staff) proved nothing was charged: the slip is free again. */
  notCharged: { from: ["unknown", "approved"], to: "cancelled" },
  /** The charge is booked and its reports queued (the commit point), then the receipt prints. */
  commit: { from: ["approved"], to: "printing" },
  /** The receipt printed, failed, or a restart found it printing (never printed twice by itself). */
  finish: { from: ["printing"], to: "done" },
  /** A receipt (copy) came out of the printer after the visit's own print. */
  receiptPrinted: { from: ["printing", "done"], to: "same" },
  /** A same-day void: the terminal reversed an approved, finished payment. */
  reverse: { from: ["done"], to: "same", status: ["approved"] },
} as const satisfies Record<string, TransitionRule>;

export type TransitionName = keyof typeof TRANSITIONS;

/** Whether the row `name` may move a session now in `state` (with money status `status`). */
export function allows(name: TransitionName, state: PaymentState, status: PaymentStatus | null): boolean {
  const rule: TransitionRule = TRANSITIONS[name];
  if (!rule.from.includes(state)) return false;
  return !rule.status || (status !== null && rule.status.includes(status));
}

/** The state a row leaves a session in that is now in `state`. */
export function target(name: TransitionName, state: PaymentState): PaymentState {
  const rule: TransitionRule = TRANSITIONS[name];
  return rule.to === "same" ? state : rule.to;
}

/** States a visit ends in: nothing more happens to such a session by itself. */
export const FINAL_STATES = ["done", "cancelled"] as const satisfies readonly PaymentState[];

/** The visit ended: nothing more happens to this session by itself. */
export function isFinal(state: string): boolean {
  return (FINAL_STATES as readonly string[]).includes(state);
}

/** The visitor is looking at a payment not (or no longer) at the terminal: it may be paid, or abandoned. */
export function awaitsVisitor(state: string): boolean {
  return (TRANSITIONS.pay.from as readonly string[]).includes(state);
}

/**
 * The scanner may start a payment in this screen state: nothing at the terminal and not out of order.
 * (A scan while a summary or a result is on screen replaces it.)
 */
export function armable(state: ScreenState): boolean {
  return state !== "out_of_order" && !inProgress(state);
}

/**
 * Money statuses that hold the slip (a second payment of it is refused): the card may be charged.
 * The SQLite trigger of migration 4 spells the same set; migrations are history and stay as written.
 */
export const SLIP_HOLDING_STATUSES = [
  "authorizing",
  "unknown",
  "approved",
] as const satisfies readonly PaymentStatus[];

/** Money statuses not yet settled by the terminal: end-of-day and the close of a shift wait for them. */
export const UNSETTLED_STATUSES = ["authorizing", "unknown"] as const satisfies readonly PaymentStatus[];

/** States in which the attempt is still at the terminal (its answer may yet be lost or repeated). */
export const AT_TERMINAL_STATES = TRANSITIONS.lose.from;
