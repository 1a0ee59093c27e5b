/**
 * The kiosk's own reversals (06 30) as terminal transactions. A reversal has its own receipt and trace
 * numbers and the original's amount, and a terminal asked to repeat its last transaction afterwards
 * repeats the reversal: recovery must recognise it (kiosk/domain/recovery-match.ts). The row is written
 * before the command leaves and completed with the terminal's answer.
 */
import type { Db } from "./db.ts";
import { isClosedAfter } from "./terminal-days.ts";

export interface ReversalRequest {
  paymentId: string;
  amount: number;
  originalReceiptNo: string;
  originalTraceNo: string | null;
  at: string;
}

export interface ReversalAnswer {
  receiptNo: string | null;
  traceNo: string | null;
  terminalTime: string | null;
  at: string;
}

export interface StoredReversal {
  id: number;
  payment_id: string;
  status: "requested" | "done" | "failed";
  requested_at: string;
  amount: number;
  original_receipt_no: string | null;
  original_trace_no: string | null;
  receipt_no: string | null;
  trace_no: string | null;
  terminal_time: string | null;
  recorded_at: string | null;
}

/** Written before the 06 30 is sent; returns the row's id. */
export function recordReversalRequest(db: Db, r: ReversalRequest): number {
  return Number(
    db
      .prepare(
        `INSERT INTO terminal_reversals (payment_id, status, requested_at, amount, original_receipt_no, original_trace_no)
         VALUES (?, 'requested', ?, ?, ?, ?)`,
      )
      .run(r.paymentId, r.at, r.amount, r.originalReceiptNo, r.originalTraceNo).lastInsertRowid,
  );
}

/** The terminal confirmed the reversal: its own receipt and trace numbers. */
export function completeReversal(db: Db, id: number, a: ReversalAnswer): void {
  db.prepare(
    `UPDATE terminal_reversals SET status = 'done', receipt_no = ?, trace_no = ?, terminal_time = ?, recorded_at = ?
      WHERE id = ?`,
  ).run(a.receiptNo, a.traceNo, a.terminalTime, a.at, id);
}

/** The terminal refused the reversal outright: it is no transaction. */
export function failReversal(db: Db, id: number, at: string): void {
  db.prepare("UPDATE terminal_reversals SET status = 'failed', recorded_at = ? WHERE id = ?").run(at, id);
}

export function reversalsOf(db: Db, paymentId: string): StoredReversal[] {
  return db
    .prepare("SELECT * FROM terminal_reversals WHERE payment_id = ? ORDER BY id")
    .all(paymentId) as StoredReversal[];
}

/** A void whose 06 30 left and whose answer the kiosk never stored, of a payment it still holds as paid. */
export interface UnconfirmedReversal {
  paymentId: string;
  requestedAt: string;
  amount: number;
}

/**
 * Reversals sent and never answered (the answer was lost, or the kiosk died waiting) of payments
 * still approved: the terminal may have given the money back while the kiosk, PiK and settlement
 * hold the payment as paid. One stops counting once a later void of the payment completes (the
 * payment is then reversed) or once an end-of-day closed the payment's batch after the request:
 * that closing's reconciliation against the terminal's totals says which it was.
 */
export function unconfirmedReversals(db: Db): UnconfirmedReversal[] {
  const rows = db
    .prepare(
      `SELECT r.payment_id, r.requested_at, r.amount, s.business_day
         FROM terminal_reversals r JOIN sessions s ON s.id = r.payment_id
        WHERE r.status = 'requested' AND s.payment_status = 'approved'
        ORDER BY r.id`,
    )
    .all() as Array<{
    payment_id: string;
    requested_at: string;
    amount: number;
    business_day: string | null;
  }>;
  return rows
    .filter((r) => !r.business_day || !isClosedAfter(db, r.business_day, wholeSecond(r.requested_at)))
    .map((r) => ({ paymentId: r.payment_id, requestedAt: r.requested_at, amount: r.amount }));
}

/** Closings are stamped to the second: a request is compared at the second it was made in. */
function wholeSecond(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms - (ms % 1000)).toISOString();
}
