/**
 * Same-day void by office staff: the terminal reverses the transaction by its receipt number (ZVT
 * 06 30) while it is still in the open batch; then one transaction marks the payment reversed (the
 * table's `reverse` row), journals it, audits it and queues the reversal messages to PiK and
 * settlement. A payment of another business day, or one already in a closed batch (after
 * end-of-day), is refused: that money is settled and needs a refund, handled outside the kiosk.
 * It runs on the one terminal through `PaymentFlow.voidPayment`, which queues it behind a payment.
 */
import type { PaymentTerminal, TerminalTransaction } from "../../devices/device.ts";
import type { KioskConfig } from "../config/types.ts";
import { businessDay, isoWithOffset } from "../domain/time.ts";
import { scrubPans } from "../domain/pan.ts";
import { enqueueReversalReports } from "../outbox/enqueue.ts";
import { ReportingError } from "../reports/errors.ts";
import { type Db, inTransaction } from "../store/db.ts";
import { appendAudit } from "../store/records.ts";
import { completeReversal, failReversal, recordReversalRequest } from "../store/reversals.ts";
import { type SessionRow, SessionStore, StaleStateError } from "../store/sessions.ts";
import { isClosedAfter } from "../store/terminal-days.ts";
import { transition } from "./transition.ts";

export interface VoidInput {
  db: Db;
  terminal: PaymentTerminal;
  config: KioskConfig;
  paymentId: string;
  actor: string;
  reason: string;
  now?: () => Date;
}

export interface VoidResult {
  paymentId: string;
  reversedAt: string;
  amount: number;
  terminal: TerminalTransaction;
}

/** B4 "already reversed": an earlier attempt got through (its answer was lost), so the void is done. */
const ALREADY_REVERSED = 0xb4;

const inProgress = new Set<string>();

/** A payment that may be voided now, with its receipt number; anything else is refused, nothing written. */
type Voidable = SessionRow & { receipt_no: string; business_day: string; paid_at: string };

function voidable(db: Db, paymentId: string, today: string): Voidable {
  const row = new SessionStore(db).get(paymentId);
  if (!row?.payment_status)
    throw new ReportingError("NOT_FOUND", "payment_not_found", `No payment ${paymentId}.`);
  if (row.payment_status !== "approved" || !row.business_day || !row.paid_at)
    throw new ReportingError(
      "CONFLICT",
      "payment_not_approved",
      `Payment ${paymentId} is ${row.payment_status}; only an approved payment can be voided.`,
    );
  if (row.business_day !== today)
    throw new ReportingError(
      "CONFLICT",
      "other_business_day",
      `Payment ${paymentId} was made on ${row.business_day}; only payments of today (${today}) can be voided. Use a refund instead.`,
    );
  if (isClosedAfter(db, row.business_day, row.paid_at))
    throw new ReportingError(
      "CONFLICT",
      "day_closed",
      `Payment ${paymentId} is in a batch already closed by end-of-day; it can no longer be voided. Use a refund instead.`,
    );
  if (!row.receipt_no)
    throw new ReportingError(
      "CONFLICT",
      "payment_not_approved",
      `Payment ${paymentId} has no terminal receipt number to reverse.`,
    );
  return row as Voidable;
}

export async function voidPayment(input: VoidInput): Promise<VoidResult> {
  const { db, paymentId } = input;
  const clock = input.now ?? (() => new Date());
  const tz = input.config.kiosk.timezone || "Europe/Warsaw";
  // Typed by a person (a cashier, office staff): a card number in it would be kept in the session,
  // the audit and alarm rows and sent to PiK and settlement, so it keeps its last four digits only.
  const reason = scrubPans(input.reason.trim());
  if (reason.length === 0)
    throw new ReportingError("VALIDATION", "invalid_input", "A reason for the void is required.");
  const row = voidable(db, paymentId, businessDay(clock(), tz));
  if (inProgress.has(paymentId))
    throw new ReportingError("CONFLICT", "already_running", `A void of ${paymentId} is already running.`);
  inProgress.add(paymentId);
  try {
    // The reversal is a terminal transaction of its own: its intent is stored before the 06 30 leaves.
    const reversalId = recordReversalRequest(db, {
      paymentId,
      amount: row.total,
      originalReceiptNo: row.receipt_no,
      originalTraceNo: row.trace_no,
      at: clock().toISOString(),
    });
    const result = await reverseOnTerminal(input, row, reversalId, clock);
    const at = clock();
    recordVoid(input, row, { reversalId, result, reason, at });
    return { paymentId, reversedAt: isoWithOffset(at, tz), amount: row.total, terminal: result };
  } finally {
    inProgress.delete(paymentId);
  }
}

/** 06 30; a refusal is recorded as a failed reversal, a lost answer leaves the request open. */
async function reverseOnTerminal(
  input: VoidInput,
  row: Voidable,
  reversalId: number,
  clock: () => Date,
): Promise<TerminalTransaction> {
  let result: TerminalTransaction;
  try {
    result = await input.terminal.reverse(row.receipt_no, row.total);
  } catch (e) {
    // No answer: the reversal may have happened; the row stays `requested` so recovery never takes
    // a repeat of it for a payment.
    throw new ReportingError(
      "DEVICE_UNAVAILABLE",
      "terminal_unavailable",
      `The terminal did not confirm the reversal; the payment stays approved: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (result.outcome !== "approved" && result.resultCode !== ALREADY_REVERSED) {
    failReversal(input.db, reversalId, clock().toISOString());
    throw new ReportingError(
      "CONFLICT",
      "terminal_refused",
      `The terminal refused the reversal (${result.resultCode}): ${result.message.en}`,
    );
  }
  return result;
}

/** The reversal's answer, the payment's `reverse` move, the audit and the reversal messages: one transaction. */
function recordVoid(
  input: VoidInput,
  row: Voidable,
  done: { reversalId: number; result: TerminalTransaction; reason: string; at: Date },
): void {
  const { db, paymentId, config } = input;
  const { result, reason, at } = done;
  const trace = result.traceNumber ?? null;
  const tz = config.kiosk.timezone || "Europe/Warsaw";
  inTransaction(db, () => {
    completeReversal(db, done.reversalId, {
      receiptNo: result.receiptNumber ?? null,
      traceNo: trace,
      terminalTime: result.terminalTime ?? null,
      at: at.toISOString(),
    });
    try {
      transition(
        new SessionStore(db),
        paymentId,
        "reverse",
        "payment reversed (same-day void)",
        { payment_status: "reversed", reversed_at: isoWithOffset(at, tz), reversal_reason: reason },
        { data: { actor: input.actor, reason, reversalTrace: trace }, now: at.toISOString() },
      );
    } catch (e) {
      if (!(e instanceof StaleStateError)) throw e;
      throw new ReportingError("CONFLICT", "payment_not_approved", `Payment ${paymentId} changed meanwhile.`);
    }
    appendAudit(db, {
      actor: input.actor,
      action: "payment.void",
      target: paymentId,
      details: { reason, amount: row.total, receiptNo: row.receipt_no, reversalTrace: trace },
      at: at.toISOString(),
    });
    enqueueReversalReports(db, paymentId, config, reason, at, trace);
  });
}
