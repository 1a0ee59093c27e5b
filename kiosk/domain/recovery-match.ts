/**
 * After a lost answer or a restart, the terminal's last transaction (ZVT 06 20) is either the attempt
 * the kiosk was waiting for or an older one (reference §3.6 step 3). Deciding which is a question of
 * money, not of the device: a charged payment must never be forgotten, an older one never taken for it.
 */
import { isoWithOffset } from "./time.ts";

/** What the terminal repeated, as far as the decision needs it. */
export interface RepeatedTransaction {
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
