/**
 * Every line of every paid (approved or reversed) payment in a range of business days, in report
 * order (day, paid_at, id, line_no), read page by page with a keyset over the `sessions_paid_order`
 * index. Each page is a short synchronous `iterate()`; between pages the caller may await (a
 * draining stream), and the connection is free meanwhile, so a year-long export neither loads the
 * year nor blocks the payment flow sharing the connection.
 */
import type { Db } from "./db.ts";
import { LINE_COLUMN_LIST, type LineRow, SESSION_COLUMN_LIST, type SessionRow } from "./payment-record.ts";

/** One line of a paid payment, with its payment's columns. */
export type PaidLineRow = SessionRow &
  LineRow & {
    paid_at: string;
    business_day: string;
    payment_status: "approved" | "reversed";
    /** The slip and case of this line: its own slip's, the first slip's for the fee, none for a service. */
    line_slip_id: string | null;
    line_case_ref: string | null;
  };

const PAGE_SQL = `
  SELECT ${SESSION_COLUMN_LIST.map((c) => `s.${c}`).join(", ")}, ${LINE_COLUMN_LIST.map((c) => `l.${c}`).join(", ")},
         CASE WHEN x.slip_id IS NOT NULL THEN x.slip_id WHEN l.is_fee = 1 OR s.kind = 'slip' THEN s.slip_id END
           AS line_slip_id,
         CASE WHEN x.slip_id IS NOT NULL THEN x.case_ref WHEN l.is_fee = 1 OR s.kind = 'slip' THEN s.case_ref END
           AS line_case_ref
    FROM (SELECT ${SESSION_COLUMN_LIST.join(", ")}, kind
            FROM sessions
           WHERE payment_status IN ('approved', 'reversed')
             AND (business_day, paid_at, id) > (?, ?, ?)
             AND business_day <= ?
           ORDER BY business_day, paid_at, id
           LIMIT ?) s
    JOIN session_lines l ON l.session_id = s.id
    LEFT JOIN session_slips x ON x.session_id = l.session_id AND x.slip_no = l.slip_no
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
