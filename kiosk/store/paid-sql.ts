/**
 * SQL shared by the readers that page through paid payments in report order (paid-lines-csv.ts,
 * paid-payments-json.ts): the keyset over the `sessions_paid_order` index, and the line fields
 * the reports derive (the Polish label, each line's slip and case) written as SQL expressions.
 */
import type { Db } from "./db.ts";

export const PAID = "s.payment_status IN ('approved', 'reversed')";
const KEY = "(s.business_day, s.paid_at, s.id)";

/** polishLabel (payment-record.ts): the `pl` text of a JSON label, else the stored text as it is. */
export const POLISH_LABEL = `(CASE WHEN json_valid(l.label) AND json_type(l.label, '$.pl') = 'text'
  THEN json_extract(l.label, '$.pl') ELSE l.label END)`;

/** The slip and case of a line: its own slip's, the first slip's for the fee, none for a service. */
export const LINE_SLIP = (column: "slip_id" | "case_ref") =>
  `(CASE WHEN x.slip_id IS NOT NULL THEN x.${column} WHEN l.is_fee = 1 OR s.kind = 'slip' THEN s.${column} END)`;

/**
 * One page of paid sessions with the given columns (`s` in the caller's FROM), in report order after
 * the cursor; parameters: the cursor's day, paid_at and id, the last day, the page size.
 */
export const pageOfSessions = (columns: string) => `(SELECT ${columns}
    FROM sessions s
   WHERE ${PAID} AND ${KEY} > (?, ?, ?) AND s.business_day <= ?
   ORDER BY s.business_day, s.paid_at, s.id LIMIT ?) s`;

/** The key of the page's last payment; none when fewer than a page are left. */
const PAGE_END_SQL = `
  SELECT s.business_day, s.paid_at, s.id FROM sessions s
   WHERE ${PAID} AND ${KEY} > (?, ?, ?) AND s.business_day <= ?
   ORDER BY s.business_day, s.paid_at, s.id LIMIT 1 OFFSET ?`;

export interface PageRange {
  fromDay: string;
  toDay: string;
}

/**
 * Runs `readPage` with each page's parameters (see pageOfSessions) until the range is done, awaiting
 * `betweenPages` in between: the connection is free then, so a long report never blocks the
 * payment flow sharing it.
 */
export async function forEachPage(
  db: Db,
  range: PageRange,
  pageSize: number,
  readPage: (params: Array<string | number>) => void,
  betweenPages: () => Promise<void>,
): Promise<void> {
  const pageEnd = db.prepare(PAGE_END_SQL).raw();
  let cursor: [string, string, string] = [range.fromDay, "", ""];
  for (;;) {
    const end = pageEnd.get(...cursor, range.toDay, pageSize - 1) as [string, string, string] | undefined;
    readPage([...cursor, range.toDay, pageSize]);
    if (!end) return;
    cursor = end;
    await betweenPages();
  }
}
