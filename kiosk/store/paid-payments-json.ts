/**
 * The settlement report's payment list (reports/report-payments.ts `ReportPayment`) written as JSON
 * by SQLite, one string per page of payments: each payment is the text `JSON.stringify` gives the
 * object forEachReportPayment builds, with the same keys in the same order, so the report stays byte
 * for byte what it was while its million payments no longer cross into JavaScript value by value
 * (issue 17). SQLite escapes strings as JSON.stringify does (quote, backslash, \b \f \n \r \t, other
 * control characters as \u00XX); a differential test holds the two writers together.
 *
 * A payment of several slips names each line's slip and lists its slips (in the order their lines
 * come); any other payment keeps the one-slip shape.
 */
import type { Db } from "./db.ts";
import { forEachPage, LINE_SLIP, PAGE_LINES, type PageRange, POLISH_LABEL } from "./paid-sql.ts";

/** The lines of payment `s`, with each line's slip and case (`slip`, `case_ref`), for the slips list. */
const LINES_OF_S = `(SELECT l.line_no, l.slip_no, ${LINE_SLIP("slip_id")} AS slip, ${LINE_SLIP("case_ref")} AS case_ref
    FROM session_lines l
    LEFT JOIN session_slips x ON x.session_id = l.session_id AND x.slip_no = l.slip_no
   WHERE l.session_id = s.id)`;

const lineObject = (
  withSlip: boolean,
) => `json_object('lineNo', l.line_no, 'code', l.code, 'label', ${POLISH_LABEL},
  'recipient', l.recipient, 'amount', l.amount, 'quantity', l.quantity, 'reference', l.reference
  ${withSlip ? `, 'slip', ${LINE_SLIP("slip_id")}` : ""})`;

/** `slip` is set on a line only when it has a slip number and a slip (report-payments.ts). */
const multiSlipLine = `CASE WHEN l.slip_no IS NOT NULL AND ${LINE_SLIP("slip_id")} IS NOT NULL THEN ${lineObject(true)}
  ELSE ${lineObject(false)} END`;

/** The lines of a payment of several slips, each naming its slip, read again for that payment alone. */
const MULTI_SLIP_LINES = `(SELECT json_group_array(${multiSlipLine} ORDER BY l.line_no)
    FROM session_lines l
    LEFT JOIN session_slips x ON x.session_id = l.session_id AND x.slip_no = l.slip_no
   WHERE l.session_id = s.id)`;

/** The distinct slips of the lines that have one, in the order of their first line. */
const SLIPS = `(SELECT json_group_array(json_object('slip', slip, 'case', case_ref) ORDER BY first) FROM (
  SELECT slip, case_ref, MIN(line_no) AS first FROM ${LINES_OF_S}
   WHERE slip_no IS NOT NULL AND slip IS NOT NULL GROUP BY slip))`;

/**
 * Lines naming several slips (slips of rows in session_slips, or the payment's own): two distinct
 * values exactly when the least differs from the greatest, which needs no per-payment table of
 * distinct values as `count(DISTINCT …) > 1` did.
 */
const SLIP_OF_LINE = `CASE WHEN l.slip_no IS NOT NULL THEN ${LINE_SLIP("slip_id")} END`;
const MULTI_SLIP = `min(${SLIP_OF_LINE}) < max(${SLIP_OF_LINE})`;

/**
 * Every aggregate in a query is fed every row, whichever CASE branch reads it; so the usual payment
 * aggregates its lines here, and the rare payment of several slips reads its lines again in a
 * subquery, run for it alone.
 */
const payment = (multi: boolean) => `json_object('paymentId', s.id, 'paidAt', s.paid_at,
  'status', s.payment_status, 'reversedAt', s.reversed_at, 'slip', s.slip_id, 'case', s.case_ref,
  'total', s.total,
  'card', json_object('brand', s.card_brand, 'maskedPan', s.masked_pan, 'authCode', s.auth_code,
    'terminalId', s.terminal_id, 'traceNumber', s.trace_no, 'receiptNumber', s.receipt_no),
  'lines', ${multi ? `json(${MULTI_SLIP_LINES}), 'slips', json(${SLIPS})` : `json_group_array(${lineObject(false)} ORDER BY l.line_no)`})`;

/** A page as one UTF-8 BLOB, passed to the stream as it is (see paid-lines-csv.ts). */
const PAGE_SQL = `
  SELECT count(*) AS payments,
         CAST(coalesce(group_concat(doc, ',' || char(10) || '    '), '') AS BLOB) AS text FROM (
    SELECT CASE WHEN ${MULTI_SLIP} THEN ${payment(true)} ELSE ${payment(false)} END AS doc
      ${PAGE_LINES}
     GROUP BY s.business_day, s.paid_at, s.id
     ORDER BY s.business_day, s.paid_at, s.id)`;

/**
 * Calls `onPage` with each page's payments as JSON texts joined by `,\n    ` (the report's list
 * indentation) and their number.
 */
export async function scanPaidPaymentsJson(
  db: Db,
  range: PageRange & { pageSize?: number },
  onPage: (text: Buffer, payments: number) => void,
  betweenPages: () => Promise<void> = async () => {},
): Promise<void> {
  const page = db.prepare(PAGE_SQL);
  await forEachPage(
    db,
    range,
    range.pageSize ?? 1000,
    (params) => {
      const { payments, text } = page.get(...params) as { payments: number; text: Buffer };
      if (payments > 0) onPage(text, payments);
    },
    betweenPages,
  );
}
