/**
 * Every line of every paid (approved or reversed) payment in a range of business days, in report
 * order (day, paid_at, id, line_no), read page by page with a keyset over the `sessions_paid_order`
 * index. Each page is a short synchronous `iterate()`; between pages the caller may await (a
 * draining stream), and the connection is free meanwhile, so a year-long export neither loads the
 * year nor blocks the payment flow sharing the connection.
 */
import type { Db } from "../store/db.ts";

export interface PaidLineRow {
  id: string;
  office_id: string;
  kiosk_id: string;
  slip_id: string | null;
  case_ref: string | null;
  total: number;
  currency: string;
  paid_at: string;
  business_day: string;
  payment_status: "approved" | "reversed";
  reversed_at: string | null;
  card_brand: string | null;
  masked_pan: string | null;
  auth_code: string | null;
  terminal_id: string | null;
  trace_no: string | null;
  receipt_no: string | null;
  line_no: number;
  code: string;
  label: string;
  recipient: string;
  recipient_name: string;
  recipient_nrb: string;
  amount: number;
  quantity: number;
  reference: string | null;
  is_fee: number;
}

const PAGE_SQL = `
  SELECT s.id, s.office_id, s.kiosk_id, s.slip_id, s.case_ref, s.total, s.currency, s.paid_at, s.business_day,
         s.payment_status, s.reversed_at, s.card_brand, s.masked_pan, s.auth_code, s.terminal_id, s.trace_no,
         s.receipt_no, l.line_no, l.code, l.label, l.recipient, l.recipient_name, l.recipient_nrb, l.amount,
         l.quantity, l.reference, l.is_fee
    FROM (SELECT id, office_id, kiosk_id, slip_id, case_ref, total, currency, paid_at, business_day, payment_status,
                 reversed_at, card_brand, masked_pan, auth_code, terminal_id, trace_no, receipt_no
            FROM sessions
           WHERE payment_status IN ('approved', 'reversed')
             AND (business_day, paid_at, id) > (?, ?, ?)
             AND business_day <= ?
           ORDER BY business_day, paid_at, id
           LIMIT ?) s
    JOIN session_lines l ON l.session_id = s.id
   ORDER BY s.business_day, s.paid_at, s.id, l.line_no`;

export interface ScanOptions {
  fromDay: string;
  toDay: string;
  /** Payments per page (default 500). */
  pageSize?: number;
}

export async function scanPaidLines(
  db: Db,
  options: ScanOptions,
  onRow: (row: PaidLineRow) => void,
  betweenPages: () => Promise<void> = async () => {},
): Promise<void> {
  const stmt = db.prepare(PAGE_SQL);
  const pageSize = options.pageSize ?? 500;
  // Written so the planner seeks the index at the cursor: a row-value range plus an upper bound.
  let cursor: [string, string, string] = [options.fromDay, "", ""];
  for (;;) {
    let last: PaidLineRow | undefined;
    let payments = 0;
    for (const row of stmt.iterate(...cursor, options.toDay, pageSize) as IterableIterator<PaidLineRow>) {
      if (!last || last.id !== row.id) payments++;
      onRow(row);
      last = row;
    }
    if (!last || payments < pageSize) return;
    cursor = [last.business_day, last.paid_at, last.id];
    await betweenPages();
  }
}
