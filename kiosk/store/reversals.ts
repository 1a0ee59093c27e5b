/**
 * The kiosk's own reversals (06 30) as terminal transactions. A reversal has its own receipt and trace
 * numbers and the original's amount, and a terminal asked to repeat its last transaction afterwards
 * repeats the reversal: recovery must recognise it (kiosk/domain/recovery-match.ts). The row is written
 * before the command leaves and completed with the terminal's answer.
 */
import type { Db } from "./db.ts";

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
