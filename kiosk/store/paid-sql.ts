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
 * The lines `l` of one page's paid sessions `s`, with each line's slip row `x`: a caller's
 * `FROM … WHERE`. The page is after the cursor, up to and including its last key. Bounding it by its
 * last key rather than by `LIMIT` in a subquery lets SQLite join the page's sessions and lines in one
 * loop over the index, in report order, instead of filling a subquery and sorting the joined rows
 * (issue 17: a third of the export's SQLite time). Parameters: the cursor's day, paid_at and id, then
 * the page's last day, paid_at and id.
 *
 * Held to the report-order index (`INDEXED BY`): the rows then come in report order without a sort,
 * and a planner preferring another index (sessions_day_status also fits the day and the status)
 * would visit the sessions all over the file.
 */
export const PAGE_LINES = `FROM sessions s INDEXED BY sessions_paid_order
      JOIN session_lines l ON l.session_id = s.id
      LEFT JOIN session_slips x ON x.session_id = l.session_id AND x.slip_no = l.slip_no
     WHERE ${PAID} AND ${KEY} > (?, ?, ?) AND ${KEY} <= (?, ?, ?)`;

/**
 * Report order of a page's lines. `s.rowid` after `s.id` makes the index key unique, so SQLite
 * knows each payment comes once and takes its lines in `line_no` order from session_lines' primary
 * key instead of sorting them.
 */
export const LINE_ORDER = "s.business_day, s.paid_at, s.id, s.rowid, l.line_no";

/** The key of the page's last payment; none when fewer than a page are left. */
const PAGE_END_SQL = `
  SELECT s.business_day, s.paid_at, s.id FROM sessions s
   WHERE ${PAID} AND ${KEY} > (?, ?, ?) AND s.business_day <= ?
   ORDER BY s.business_day, s.paid_at, s.id LIMIT 1 OFFSET ?`;

/** The key of the range's last payment, for the last page (fewer than a page after the cursor). */
const RANGE_END_SQL = `
  SELECT s.business_day, s.paid_at, s.id FROM sessions s
   WHERE ${PAID} AND ${KEY} > (?, ?, ?) AND s.business_day <= ?
   ORDER BY s.business_day DESC, s.paid_at DESC, s.id DESC LIMIT 1`;

export interface PageRange {
  fromDay: string;
  toDay: string;
}

/**
 * Runs `readPage` with each page's parameters (see PAGE_LINES) until the range is done,
 * awaiting `betweenPages` in between: the connection is free then, so a long report never blocks the
 * payment flow sharing it.
 */
export async function forEachPage(
  db: Db,
  range: PageRange,
  pageSize: number,
  readPage: (params: string[]) => void,
  betweenPages: () => Promise<void>,
): Promise<void> {
  const pageEnd = db.prepare(PAGE_END_SQL).raw();
  const rangeEnd = db.prepare(RANGE_END_SQL).raw();
  type Key = [string, string, string];
  let cursor: Key = [range.fromDay, "", ""];
  for (;;) {
    const full = pageEnd.get(...cursor, range.toDay, pageSize - 1) as Key | undefined;
    const end = full ?? (rangeEnd.get(...cursor, range.toDay) as Key | undefined);
    if (!end) return;
    readPage([...cursor, ...end]);
    if (!full) return;
    cursor = end;
    await betweenPages();
  }
}
