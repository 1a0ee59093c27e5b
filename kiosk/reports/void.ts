/**
 * Same-day void by office staff: the terminal reverses the transaction by its receipt number (ZVT
 * 06 30) while it is still in the open batch; then one transaction marks the payment reversed,
 * journals it, audits it and queues the reversal messages to PiK and settlement. A payment of
 * another business day, or one already in a closed batch (after end-of-day), is refused: that money
 * is settled and needs a refund, which the office handles outside the kiosk.
 */
import type { PaymentTerminal, TerminalTransaction } from "../../devices/device.ts";
import type { KioskConfig } from "../config/types.ts";
import { businessDay, isoWithOffset } from "../domain/time.ts";
import { enqueueReversalReports } from "../outbox/enqueue.ts";
import { type Db, inTransaction } from "../store/db.ts";
import { appendAudit, appendJournal } from "../store/records.ts";
import { completeReversal, failReversal, recordReversalRequest } from "../store/reversals.ts";
import { isClosedAfter } from "./end-of-day.ts";
import { ReportingError } from "./errors.ts";

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

const inProgress = new Set<string>();

interface VoidRow {
  id: string;
  state: string;
  payment_status: string | null;
  business_day: string | null;
  paid_at: string | null;
  receipt_no: string | null;
  trace_no: string | null;
  total: number;
}

export async function voidPayment(input: VoidInput): Promise<VoidResult> {
  const { db, terminal, config, paymentId } = input;
  const clock = input.now ?? (() => new Date());
  const tz = config.kiosk.timezone || "Europe/Warsaw";
  const reason = input.reason.trim();
  if (reason.length === 0)
    throw new ReportingError("VALIDATION", "invalid_input", "A reason for the void is required.");
  const row = db
    .prepare(
      "SELECT id, state, payment_status, business_day, paid_at, receipt_no, trace_no, total FROM sessions WHERE id = ?",
    )
    .get(paymentId) as VoidRow | undefined;
  if (!row?.payment_status)
    throw new ReportingError("NOT_FOUND", "payment_not_found", `No payment ${paymentId}.`);
  if (row.payment_status !== "approved" || !row.business_day || !row.paid_at)
    throw new ReportingError(
      "CONFLICT",
      "payment_not_approved",
      `Payment ${paymentId} is ${row.payment_status}; only an approved payment can be voided.`,
    );
  const today = businessDay(clock(), tz);
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
    let result: TerminalTransaction;
    try {
      result = await terminal.reverse(row.receipt_no, row.total);
    } catch (e) {
      // No answer: the reversal may have happened; the row stays `requested` so recovery never takes
      // a repeat of it for a payment.
      throw new ReportingError(
        "DEVICE_UNAVAILABLE",
        "terminal_unavailable",
        `The terminal did not confirm the reversal; the payment stays approved: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    // B4 "already reversed" means an earlier attempt got through (its answer was lost): done.
    const ALREADY_REVERSED = 0xb4;
    if (result.outcome !== "approved" && result.resultCode !== ALREADY_REVERSED) {
      failReversal(db, reversalId, clock().toISOString());
      throw new ReportingError(
        "CONFLICT",
        "terminal_refused",
        `The terminal refused the reversal (${result.resultCode}): ${result.message.en}`,
      );
    }
    const at = clock();
    const reversedAt = isoWithOffset(at, tz);
    inTransaction(db, () => {
      completeReversal(db, reversalId, {
        receiptNo: result.receiptNumber ?? null,
        traceNo: result.traceNumber ?? null,
        terminalTime: result.terminalTime ?? null,
        at: at.toISOString(),
      });
      const changed = db
        .prepare(
          `UPDATE sessions SET payment_status = 'reversed', reversed_at = ?, reversal_reason = ?, updated_at = ?
            WHERE id = ? AND payment_status = 'approved'`,
        )
        .run(reversedAt, reason, at.toISOString(), paymentId);
      if (changed.changes !== 1)
        throw new ReportingError(
          "CONFLICT",
          "payment_not_approved",
          `Payment ${paymentId} changed meanwhile.`,
        );
      appendJournal(db, {
        sessionId: paymentId,
        from: row.state,
        to: row.state,
        reason: "payment reversed (same-day void)",
        data: { actor: input.actor, reason, reversalTrace: result.traceNumber ?? null },
        at: at.toISOString(),
      });
      appendAudit(db, {
        actor: input.actor,
        action: "payment.void",
        target: paymentId,
        details: {
          reason,
          amount: row.total,
          receiptNo: row.receipt_no,
          reversalTrace: result.traceNumber ?? null,
        },
        at: at.toISOString(),
      });
      enqueueReversalReports(db, paymentId, config, reason, at, result.traceNumber ?? null);
    });
    return { paymentId, reversedAt, amount: row.total, terminal: result };
  } finally {
    inProgress.delete(paymentId);
  }
}
