/**
 * After a lost answer or a restart, the terminal's last transaction (ZVT 06 20) is either the attempt
 * the kiosk was waiting for or an older one (reference §3.6 step 3). Deciding which is a question of
 * money, not of the device: a charged payment must never be forgotten, an older one never taken for it.
 */
import { isoWithOffset, wallTimeToDate } from "./time.ts";

/** What the terminal repeated, as far as the decision needs it. */
export interface RepeatedTransaction {
  /** A reversal (06 30) is a transaction of its own: own receipt and trace numbers, the original's amount. */
  kind?: "payment" | "reversal";
  /** BMP 37: the trace number of the payment a reversal undid. */
  originalTraceNumber?: string;
  outcome: "approved" | "declined" | "aborted";
  amount?: number;
  receiptNumber?: string;
  traceNumber?: string;
  /** The terminal's wall clock, `YYYY-MM-DDTHH:MM:SS`, no zone: terminals do not send one. */
  terminalTime?: string;
}

/** The unresolved attempt. */
export interface PendingAttempt {
  /** Grosze sent to the terminal. */
  total: number;
  /** Set when the attempt's own 04 0F was stored before the kiosk died. */
  receiptNo: string | null;
  /** When the attempt was sent (UTC ISO). */
  authorizingAt: string | null;
}

/** The terminal transaction the kiosk recorded last before this attempt: what "last" is if ours never ran. */
export interface PreviousTransaction {
  receiptNo: string;
  traceNo: string | null;
}

export type RecoveryVerdict =
  | "charged"
  | "no transaction"
  | "not approved"
  | "other amount"
  | "other receipt"
  | "older transaction";

/** Terminal clocks drift; a transaction this much older than the attempt may still be it. */
const CLOCK_SLACK_MS = 5 * 60_000;

export function matchLastTransaction(
  attempt: PendingAttempt,
  last: RepeatedTransaction | null,
  previous: PreviousTransaction | null,
  tz: string,
): RecoveryVerdict {
  if (!last) return "no transaction";
  if (last.outcome !== "approved") return "not approved";
  if (last.amount !== undefined && last.amount !== attempt.total) return "other amount";
  if (attempt.receiptNo && last.receiptNumber && attempt.receiptNo !== last.receiptNumber)
    return "other receipt";
  // This attempt stored the approval with this very receipt number (the kiosk died before the terminal
  // heard its acknowledgement): the same transaction whatever the terminal's clock says. Found by the
  // crash matrix: a terminal clock behind the kiosk's turned it into a double charge.
  if (attempt.receiptNo && attempt.receiptNo === last.receiptNumber) return "charged";
  // Receipt numbers restart at the terminal's end-of-day and wrap at 9999, so only the transaction
  // recorded just before this attempt can be the "older" one; any earlier owner of the number is history.
  if (
    previous &&
    last.receiptNumber === previous.receiptNo &&
    (!previous.traceNo || !last.traceNumber || previous.traceNo === last.traceNumber)
  )
    return "older transaction";
  if (last.terminalTime && attempt.authorizingAt && isBefore(last.terminalTime, attempt.authorizingAt, tz))
    return "older transaction";
  return "charged";
}

/**
 * True when the terminal's zone-less time is clearly before the attempt. Terminals are found set to
 * UTC as often as to local time, so the earlier of both readings counts: a wrong guess of the zone
 * must never make a charged payment look older.
 */
function isBefore(terminalTime: string, startedAt: string, tz: string): boolean {
  const earliest = new Date(new Date(startedAt).getTime() - CLOCK_SLACK_MS);
  const readings = [isoWithOffset(earliest, tz), isoWithOffset(earliest, "UTC")].map((s) => s.slice(0, 19));
  const floor = readings.sort()[0] as string;
  return terminalTime.slice(0, 19) < floor;
}

// ───────────────────────────── the recovery decision table ─────────────────────────────

/**
 * How far the kiosk knows an attempt got, from what it wrote before dying. Each stage is written
 * before the step it enables, so a crash leaves the last stage the kiosk is sure of.
 */
export type StoredStage =
  /** `authorizing` written; no sign yet that the terminal received the 06 01. */
  | "nothing_sent"
  /** The terminal answered the 06 01 (an intermediate status or a print line arrived). */
  | "request_sent"
  /** The approving 04 0F is stored; its acknowledgement (the terminal's commit point) may not have left. */
  | "result_stored"
  /** The approving 04 0F is stored and acknowledged: the terminal has committed the payment. */
  | "result_acknowledged"
  /** The terminal's completion (06 0F) after an approval arrived. */
  | "completion_seen";

export const STORED_STAGES: readonly StoredStage[] = [
  "nothing_sent",
  "request_sent",
  "result_stored",
  "result_acknowledged",
  "completion_seen",
];

/** The terminal's answer to "repeat your last transaction" (06 20), in the domain's own words. */
export type TerminalAnswer =
  | { kind: "transaction"; tx: RepeatedTransaction }
  /** The terminal repeated no transaction (several PIN pads always do). */
  | { kind: "nothing" }
  /** The terminal answered, but with nothing the kiosk could read. */
  | { kind: "unreadable"; detail: string }
  /** The terminal could not be reached or did not answer. */
  | { kind: "no_answer" };

/** What the answer is, seen from the unresolved attempt. */
export type AnswerClass =
  /** This attempt, approved. */
  | "same_approved"
  /** This attempt, declined, aborted, or reversed by the terminal (a reversal naming its trace). */
  | "same_not_approved"
  /** A transaction other than this attempt: the one recorded before it, or one clearly older. */
  | "older_transaction"
  /** A reversal of another payment: the kiosk's own void, repeated. Never a payment. */
  | "reversal"
  | "nothing"
  /** Unreadable, or a transaction the kiosk cannot attribute (it equals an unconfirmed void). */
  | "unreadable"
  | "no_answer";

export const ANSWER_CLASSES: readonly AnswerClass[] = [
  "same_approved",
  "same_not_approved",
  "older_transaction",
  "reversal",
  "nothing",
  "unreadable",
  "no_answer",
];

/**
 * `paid`: commit and report it. `not_charged`: end it, the slip stays payable. `unknown`: the terminal
 * cannot prove the outcome; the session stays unknown, the kiosk takes no payment, staff resolve it.
 * `ask_again`: the terminal did not answer; ask again later (out of order meanwhile).
 */
export type RecoveryDecision = "paid" | "not_charged" | "unknown" | "ask_again";

type Row = Readonly<Record<AnswerClass, RecoveryDecision>>;

/** Before any approval was stored: the terminal's last transaction decides, when it can prove it. */
const BEFORE_RESULT: Row = {
  same_approved: "paid",
  same_not_approved: "not_charged",
  older_transaction: "not_charged",
  reversal: "not_charged",
  nothing: "unknown",
  unreadable: "unknown",
  no_answer: "ask_again",
};

/** After the commit point nothing the terminal repeats can undo the payment. */
const COMMITTED: Row = {
  same_approved: "paid",
  same_not_approved: "paid",
  older_transaction: "paid",
  reversal: "paid",
  nothing: "paid",
  unreadable: "paid",
  no_answer: "paid",
};

/**
 * The decision table, one row per stored stage. "nothing sent" and "request sent" decide alike: a
 * crash between the `authorizing` write and the send leaves no proof the command never left. With a
 * stored but maybe unacknowledged approval the terminal may have kept or undone it on its own: only
 * its repeat of this very receipt (kept) or of this receipt undone (aborted, or a reversal naming its
 * trace) proves which; anything else is unknown.
 */
export const RECOVERY_TABLE: Readonly<Record<StoredStage, Row>> = {
  nothing_sent: BEFORE_RESULT,
  request_sent: BEFORE_RESULT,
  result_stored: {
    same_approved: "paid",
    same_not_approved: "not_charged",
    older_transaction: "unknown",
    reversal: "unknown",
    nothing: "unknown",
    unreadable: "unknown",
    no_answer: "ask_again",
  },
  result_acknowledged: COMMITTED,
  completion_seen: COMMITTED,
};

/**
 * True when recovery decides alike at both stages, whatever the terminal answers: losing the write
 * that moved an attempt from `before` to `after` (a power cut before it reached the disk) changes no
 * decision, so that write need not wait for the disk.
 */
export function decidesAlike(before: StoredStage, after: StoredStage): boolean {
  return ANSWER_CLASSES.every((c) => RECOVERY_TABLE[before][c] === RECOVERY_TABLE[after][c]);
}

/** What the kiosk knows of the unresolved attempt. */
export interface AttemptFacts extends PendingAttempt {
  stage: StoredStage;
  /** The trace number of the stored 04 0F, when one was stored. */
  traceNo: string | null;
}

/** The terminal transaction the kiosk recorded last before the attempt: a payment or its own void. */
export interface RecordedTransaction {
  kind: "payment" | "reversal";
  /** Null for a void whose answer the kiosk never stored (it died during the 06 30). */
  receiptNo: string | null;
  traceNo: string | null;
  amount: number;
}

export function classifyAnswer(
  attempt: AttemptFacts,
  answer: TerminalAnswer,
  previous: RecordedTransaction | null,
  tz: string,
): AnswerClass {
  if (answer.kind !== "transaction") return answer.kind;
  const tx = answer.tx;
  if (tx.kind === "reversal") {
    const undoesThis = attempt.traceNo !== null && tx.originalTraceNumber === attempt.traceNo;
    return undoesThis ? "same_not_approved" : "reversal";
  }
  if (previous && isRepeatOf(tx, previous))
    return previous.kind === "reversal" ? "reversal" : "older_transaction";
  // A void whose own numbers were never stored: a repeat of it cannot be told from a new payment of
  // the same amount (fixed fees make that common), so the kiosk does not guess.
  if (previous?.kind === "reversal" && previous.receiptNo === null && tx.amount === previous.amount)
    return "unreadable";
  const known = previous?.kind === "payment" && previous.receiptNo ? previous : null;
  const verdict = matchLastTransaction(
    attempt,
    tx,
    known ? { receiptNo: known.receiptNo as string, traceNo: known.traceNo } : null,
    tz,
  );
  if (verdict === "charged") return "same_approved";
  if (verdict === "not approved") {
    const same = attempt.receiptNo !== null && tx.receiptNumber === attempt.receiptNo;
    return same || attempt.receiptNo === null ? "same_not_approved" : "older_transaction";
  }
  return "older_transaction";
}

/** The same terminal transaction: receipt numbers equal, and trace numbers too where both are known. */
function isRepeatOf(tx: RepeatedTransaction, recorded: RecordedTransaction): boolean {
  if (!recorded.receiptNo || tx.receiptNumber !== recorded.receiptNo) return false;
  return !recorded.traceNo || !tx.traceNumber || recorded.traceNo === tx.traceNumber;
}

/** The decision for an unresolved attempt, and the class of the terminal's answer that led to it. */
export function decideRecovery(
  attempt: AttemptFacts,
  answer: TerminalAnswer,
  previous: RecordedTransaction | null,
  tz: string,
): { decision: RecoveryDecision; answer: AnswerClass } {
  const cls = classifyAnswer(attempt, answer, previous, tz);
  return { decision: RECOVERY_TABLE[attempt.stage][cls], answer: cls };
}

/** True when the stage alone decides (the terminal committed): no need to ask it at all. */
export function committedByStage(stage: StoredStage): boolean {
  return stage === "result_acknowledged" || stage === "completion_seen";
}

/**
 * When a recovered payment was made: the terminal's own time of the transaction, read as local time
 * or else as UTC (terminals are found set to either), whichever falls between the attempt's start
 * (less the clock slack) and now. Null when neither does: the caller then stamps its own time and says so.
 */
export function recoveredPaidAt(
  terminalTime: string | undefined,
  window: { from: Date; to: Date },
  tz: string,
): Date | null {
  if (!terminalTime) return null;
  const from = window.from.getTime() - CLOCK_SLACK_MS;
  const to = window.to.getTime() + CLOCK_SLACK_MS;
  for (const zone of [tz, "UTC"]) {
    const at = wallTimeToDate(terminalTime, zone);
    if (at && at.getTime() >= from && at.getTime() <= to) return at;
  }
  return null;
}
