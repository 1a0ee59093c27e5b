/**
 * SPEC §1b: a transfer code whose amount is `000000` leaves the amount to the payer. Its session is
 * stored as a summary like any other (its line holds the service's minimum, so the stored rows keep
 * their rules), but the flow remembers that the visitor has not typed the amount yet: the view shows
 * the line with amount 0 and the range to type it in, and nothing can be paid or added until the
 * visitor enters it (`POST /api/session/amount`). Only memory: a restart ends an unpaid summary anyway.
 */
import type { KioskConfig } from "../config/types.ts";
import type { SessionContents, StoredLine, StoredSlip } from "../store/sessions.ts";
import { sessionContents, storedContents } from "./basket-contents.ts";
import { FlowError } from "./errors.ts";
import type { SessionView } from "./session-view.ts";

export interface OpenAmount {
  /** The session it belongs to; null while that session is being started. */
  sessionId: string | null;
  code: string;
  min: number;
  max: number;
  /** What the stored line holds meanwhile (the service's minimum). */
  placeholder: number;
}

/** The open amount of a transfer code's line (`amountToEnter` from transfer-scan.ts), if it has one. */
export function openAmountOf(
  line: { code: string; amount: number },
  amountToEnter: { min: number; max: number } | null,
  sessionId: string | null,
): OpenAmount | null {
  return amountToEnter ? { sessionId, code: line.code, placeholder: line.amount, ...amountToEnter } : null;
}

export function appliesTo(open: OpenAmount | null, sessionId: string): open is OpenAmount {
  return open !== null && (open.sessionId ?? sessionId) === sessionId;
}

/** The view with the open line at 0, the range to type it in, and a total without the placeholder. */
export function withOpenAmount(view: SessionView, open: OpenAmount): SessionView {
  return {
    ...view,
    lines: view.lines.map((line) =>
      line.code === open.code && line.slip === undefined
        ? { ...line, amount: 0, amountToEnter: { min: open.min, max: open.max } }
        : line,
    ),
    total: view.total - open.placeholder,
  };
}

/** Refuses what cannot happen before the amount is there (paying, adding a slip). */
export function assertAmountEntered(open: OpenAmount | null, sessionId: string): void {
  if (appliesTo(open, sessionId)) {
    throw new FlowError("VALIDATION", "the amount of the transfer code has not been entered yet");
  }
}

/** The session's contents with the visitor's amount on the open line; refused outside the range. */
export function contentsWithAmount(
  config: KioskConfig,
  open: OpenAmount,
  slips: readonly StoredSlip[],
  lines: readonly StoredLine[],
  amount: number,
): SessionContents {
  if (!Number.isSafeInteger(amount) || amount < open.min || amount > open.max) {
    throw new FlowError("VALIDATION", `the amount must be from ${open.min} to ${open.max} grosze`);
  }
  const held = storedContents(slips, lines);
  return sessionContents(
    config,
    held.slips,
    held.lines.map((line) =>
      line.code === open.code && line.slip === undefined ? { ...line, amount, unitAmount: amount } : line,
    ),
  );
}
