/**
 * Deciding, after a crash or a lost answer, whether the terminal's last transaction (06 20) is the
 * payment the kiosk journaled before sending 06 01 (research report §3.6 step 3). Pure: the flow
 * supplies the intent and what the terminal said, and acts on the verdict.
 */
import type { TerminalTransaction } from "../../device.ts";

export interface JournaledIntent {
  /** Grosze sent in the 06 01. */
  amount: number;
  /** When the kiosk wrote the intent (before sending 06 01). */
  createdAt: Date;
  /** Receipt numbers of payments the kiosk already knows, so an older transaction is not taken for this one. */
  knownReceiptNumbers?: string[];
  /** The trace number, if a 04 0F of this attempt was seen before the answer was lost. */
  traceNumber?: string;
}

export type RecoveryVerdict =
  /** The terminal charged this payment: commit it (or reverse it by receipt number, by policy). */
  | { verdict: "charged"; transaction: TerminalTransaction }
  /** The terminal's last transaction is this attempt and it did not end approved: nothing was taken. */
  | { verdict: "not_charged"; transaction: TerminalTransaction }
  /** The terminal's last transaction is not this attempt (or there is none): this attempt never took money. */
  | { verdict: "no_match"; transaction: TerminalTransaction | null }
  /** The terminal gave no usable answer: alarm an operator, never guess "paid". */
  | { verdict: "unknown"; reason: string };

/** Terminal clocks drift; allow this much before the intent was written. */
const CLOCK_SKEW_MS = 5 * 60_000;

export function matchRecoveredTransaction(
  intent: JournaledIntent,
  last: TerminalTransaction | null | undefined,
): RecoveryVerdict {
  if (last === undefined)
    return { verdict: "unknown", reason: "the terminal did not answer the repeat receipt" };
  if (last === null) return { verdict: "unknown", reason: "the terminal repeated no transaction" };
  if (intent.traceNumber && last.traceNumber && intent.traceNumber !== last.traceNumber) {
    return { verdict: "no_match", transaction: last };
  }
  if (last.receiptNumber && intent.knownReceiptNumbers?.includes(last.receiptNumber)) {
    return { verdict: "no_match", transaction: last };
  }
  if (last.amount !== undefined && last.amount !== intent.amount)
    return { verdict: "no_match", transaction: last };
  if (last.terminalTime) {
    const at = new Date(last.terminalTime).getTime();
    if (Number.isFinite(at) && at < intent.createdAt.getTime() - CLOCK_SKEW_MS) {
      return { verdict: "no_match", transaction: last };
    }
  }
  if (last.amount === undefined) {
    // An aborted attempt may carry no amount; only an approval needs to prove it is ours.
    return last.outcome === "approved"
      ? { verdict: "unknown", reason: "approved transaction without an amount" }
      : { verdict: "not_charged", transaction: last };
  }
  return last.outcome === "approved"
    ? { verdict: "charged", transaction: last }
    : { verdict: "not_charged", transaction: last };
}
