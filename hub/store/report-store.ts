/**
 * SQL of the settlement reports: totals per recipient account, component and device over an office's
 * days (reversed transactions netted out), the reversals, each device day's reconciliation, and the
 * split rows streamed in ledger order for the transaction list and the CSV export.
 */
import { addDays } from "../../kiosk/domain/time.ts";
import type { HubDb, SqlClient } from "./db.ts";
import { inOrder } from "./in-order.ts";

export interface Range {
  office: string;
  from: string;
  to: string;
}

const NET = `FROM splits s JOIN transactions t ON t.office = s.office AND t.device = s.device AND t.id = s.transaction_id
             LEFT JOIN reversals r ON r.office = t.office AND r.device = t.device AND r.transaction_id = t.id
            WHERE t.office = $1 AND t.business_day BETWEEN $2 AND $3 AND r.transaction_id IS NULL`;

export async function totals(db: SqlClient, q: Range): Promise<{ count: number; total: number }> {
  const rows = await db.query<{ count: number; total: number }>(
    `SELECT count(*) AS count, coalesce(sum(t.total), 0) AS total
       FROM transactions t LEFT JOIN reversals r ON r.office = t.office AND r.device = t.device AND r.transaction_id = t.id
      WHERE t.office = $1 AND t.business_day BETWEEN $2 AND $3 AND r.transaction_id IS NULL`,
    [q.office, q.from, q.to],
  );
  return rows[0] ?? { count: 0, total: 0 };
}

/**
 * Per recipient code and account (an account changed mid-range shows as two rows); a transaction
 * counts once per account, through the split marked when it was booked (no count(DISTINCT) sort).
 */
export function perRecipient(db: SqlClient, q: Range) {
  return db.query<{ code: string; nrb: string; count: number; total: number }>(
    `SELECT s.recipient AS code, s.nrb, count(*) FILTER (WHERE s.first_for_recipient) AS count,
            sum(s.amount) AS total ${NET}
      GROUP BY s.recipient, s.nrb ORDER BY s.recipient, s.nrb`,
    [q.office, q.from, q.to],
  );
}

export function perComponent(db: SqlClient, q: Range) {
  return db.query<{ code: string; count: number; total: number }>(
    `SELECT s.component AS code, count(*) AS count, sum(s.amount) AS total ${NET}
      GROUP BY s.component ORDER BY s.component`,
    [q.office, q.from, q.to],
  );
}

export function perDevice(db: SqlClient, q: Range) {
  return db.query<{ id: string; count: number; total: number }>(
    `SELECT t.device AS id, count(*) AS count, sum(t.total) AS total
       FROM transactions t LEFT JOIN reversals r ON r.office = t.office AND r.device = t.device AND r.transaction_id = t.id
      WHERE t.office = $1 AND t.business_day BETWEEN $2 AND $3 AND r.transaction_id IS NULL
      GROUP BY t.device ORDER BY t.device`,
    [q.office, q.from, q.to],
  );
}

export function reversalsIn(db: SqlClient, q: Range) {
  return db.query<{ transactionId: string; device: string; total: number; reversedAt: Date; reason: string }>(
    `SELECT r.transaction_id AS "transactionId", t.device, t.total, r.reversed_at AS "reversedAt", r.reason
       FROM reversals r JOIN transactions t ON t.office = r.office AND t.device = r.device AND t.id = r.transaction_id
      WHERE t.office = $1 AND t.business_day BETWEEN $2 AND $3 ORDER BY r.reversed_at, r.transaction_id, r.device`,
    [q.office, q.from, q.to],
  );
}

export interface DeviceDayRow {
  device: string;
  day: string;
  hubCount: number;
  hubTotal: number;
  reported: {
    count: number;
    total: number;
    terminalCount: number;
    terminalTotal: number;
    receivedAt: Date;
  } | null;
}

/** Each device's day: the hub's own sum beside the last day message the device sent. */
export async function deviceDays(db: SqlClient, q: Range): Promise<DeviceDayRow[]> {
  const rows = await db.query<{
    device: string;
    day: string;
    hub_count: number | null;
    hub_total: number | null;
    count: number | null;
    total: number | null;
    terminal_count: number | null;
    terminal_total: number | null;
    received_at: Date | null;
  }>(
    `WITH hub AS (
       SELECT t.device, t.business_day AS day, count(*) AS hub_count, sum(t.total) AS hub_total
         FROM transactions t LEFT JOIN reversals r ON r.office = t.office AND r.device = t.device AND r.transaction_id = t.id
        WHERE t.office = $1 AND t.business_day BETWEEN $2 AND $3 AND r.transaction_id IS NULL
        GROUP BY t.device, t.business_day),
     seen AS (
       SELECT DISTINCT device, business_day AS day FROM transactions
        WHERE office = $1 AND business_day BETWEEN $2 AND $3),
     reported AS (
       SELECT DISTINCT ON (device, day) device, day, count, total, terminal_count, terminal_total, received_at
         FROM device_days WHERE office = $1 AND day BETWEEN $2 AND $3
        ORDER BY device, day, seq DESC)
     SELECT k.device, to_char(k.day, 'YYYY-MM-DD') AS day, hub.hub_count, hub.hub_total,
            rp.count, rp.total, rp.terminal_count, rp.terminal_total, rp.received_at
       FROM (SELECT device, day FROM seen UNION SELECT device, day FROM reported) k
       LEFT JOIN hub ON hub.device = k.device AND hub.day = k.day
       LEFT JOIN reported rp ON rp.device = k.device AND rp.day = k.day
      ORDER BY k.day, k.device`,
    [q.office, q.from, q.to],
  );
  return rows.map((r) => ({
    device: r.device,
    day: r.day,
    hubCount: r.hub_count ?? 0,
    hubTotal: r.hub_total ?? 0,
    reported:
      r.count === null
        ? null
        : {
            count: r.count,
            total: r.total ?? 0,
            terminalCount: r.terminal_count ?? 0,
            terminalTotal: r.terminal_total ?? 0,
            receivedAt: r.received_at!,
          },
  }));
}

export async function officeDayClosed(db: SqlClient, office: string, day: string): Promise<Date | null> {
  const rows = await db.query<{ closed_at: Date | null }>(
    "SELECT closed_at FROM office_days WHERE office = $1 AND day = $2",
    [office, day],
  );
  return rows[0]?.closed_at ?? null;
}

/** Offices whose `day` has transactions and is not closed. */
export function openDays(db: SqlClient, day: string) {
  return db.query<{ office: string; open: boolean }>(
    "SELECT office, closed_at IS NULL AS open FROM office_days WHERE day = $1",
    [day],
  );
}

export interface SplitRow {
  id: string;
  /** ISO 8601 with the Warsaw offset, formatted by the database (cheaper than per row in JS). */
  paid_at: string;
  device: string;
  /** Who took a cash desk's payment; null for a kiosk's. */
  cashier: string | null;
  case_ref: string | null;
  reversed_at: string | null;
  recipient: string;
  component: string;
  amount: number;
}

const ISO = `YYYY-MM-DD"T"HH24:MI:SSTZH:TZM`;
/** The session time zone the report rows are formatted in. */
export const REPORT_TIME_ZONE = "Europe/Warsaw";
/** Report rows are fetched this many at a time through a cursor. */
const BATCH = 10_000;

/** Ledger order; `t.device` last: two devices' equal ids (the key is office, device, id) at one instant. */
const LEDGER_ORDER = "ORDER BY t.business_day, t.paid_at, t.id, t.device";
const IN_RANGE = "t.office = $1 AND t.business_day BETWEEN $2 AND $3";

/**
 * A range's report rows as one query per business day (ledger order is day first), the next day's
 * running on a second connection while this one's is read (in-order.ts); one at a time in the
 * embedded database, which has one connection.
 */
function byDay<T>(
  db: HubDb,
  q: Range,
  onBatch: (batch: T) => Promise<void>,
  run: (day: Range, push: (batch: T) => Promise<void>) => Promise<void>,
): Promise<void> {
  const days: Range[] = [];
  for (let d = q.from; d <= q.to; d = addDays(d, 1)) days.push({ office: q.office, from: d, to: d });
  return inOrder(
    days.map((day) => (push: (batch: T) => Promise<void>) => run(day, push)),
    db.kind === "server" ? 2 : 1,
    onBatch,
  );
}

/**
 * The case of a split's row (CSV and PDF): a payment of several slips (SPEC §6) names the first
 * slip's case on the transaction and each slip's own in `slips`; a split of another slip than the
 * first is booked under that slip's case, not the first one's. A split of the first slip, a
 * service's or the fee's keeps the transaction's case, as it always did (and one-slip payments, by
 * far the most rows, never look into `slips`).
 */
const SPLIT_CASE = `CASE WHEN s.slip IS NULL OR s.slip = t.slip THEN t.case_ref
       ELSE coalesce((SELECT e->>'case' FROM jsonb_array_elements(t.slips) e WHERE e->>'slip' = s.slip LIMIT 1),
                     t.case_ref) END`;

/** The PDF's transaction list: one row per split, in ledger order. */
export function streamSplitRows(
  db: HubDb,
  q: Range,
  onRows: (rows: SplitRow[]) => Promise<void>,
): Promise<void> {
  return db.stream<SplitRow>(
    `SELECT t.id, to_char(t.paid_at, '${ISO}') AS paid_at, t.device, t.cashier, ${SPLIT_CASE} AS case_ref,
            to_char(r.reversed_at, '${ISO}') AS reversed_at, s.recipient, s.component, s.amount
       FROM transactions t
       JOIN splits s ON s.office = t.office AND s.device = t.device AND s.transaction_id = t.id
       LEFT JOIN reversals r ON r.office = t.office AND r.device = t.device AND r.transaction_id = t.id
      WHERE ${IN_RANGE} ${LEDGER_ORDER}, s.n`,
    [q.office, q.from, q.to],
    BATCH,
    onRows,
    REPORT_TIME_ZONE,
  );
}

/** The CSV export's columns (CSV_HEADER's, in order) as the cells query names them. */
const CSV_CELLS = [
  "id",
  "paid_at",
  "business_day",
  "office",
  "device",
  "slip",
  "case_ref",
  "line_no",
  "component",
  "recipient",
  "nrb",
  "amount",
  "currency",
  "card_brand",
  "masked_pan",
  "auth_code",
  "terminal_id",
  "trace_number",
  "status",
  "cashier",
];

/**
 * The CSV export's cells, one row per split in ledger order, as text before CSV quoting. The
 * bench's psql peer copies exactly these rows.
 */
export const CSV_CELLS_SQL = `
  SELECT t.id, to_char(t.paid_at, '${ISO}') AS paid_at, to_char(t.business_day, 'YYYY-MM-DD') AS business_day,
         t.office, t.device, coalesce(s.slip, t.slip) AS slip, ${SPLIT_CASE} AS case_ref, s.n::text AS line_no, s.component,
         s.recipient, s.nrb, report_pln(s.amount) AS amount, 'PLN' AS currency, t.card_brand, t.masked_pan,
         t.auth_code, t.terminal_id, t.trace_number,
         CASE WHEN r.transaction_id IS NULL THEN 'approved' ELSE 'reversed' END AS status, t.cashier
    FROM transactions t
    JOIN splits s ON s.office = t.office AND s.device = t.device AND s.transaction_id = t.id
    LEFT JOIN reversals r ON r.office = t.office AND r.device = t.device AND r.transaction_id = t.id
   WHERE ${IN_RANGE}
   ${LEDGER_ORDER}, s.n`;

/**
 * The CSV export's lines, written by the database as csvRow writes them. Nearly every line is its
 * cells joined by commas: it is, exactly when no cell starts a formula (= + - @ tab CR) and none
 * holds a comma, a quote or a line break, which one test over the cells joined by \x01 finds (a
 * \x01 inside a cell can only send a line the slow way, never skip it). The few others go cell by
 * cell through report_csv_line (migration 003). Line numbers and amounts (CHECK amount > 0) never
 * start a formula nor hold a comma, so the text rules leave them numeric cells.
 */
export function streamCsvLines(
  db: HubDb,
  q: Range,
  onLines: (lines: string) => Promise<void>,
): Promise<void> {
  const cells = CSV_CELLS.map((c) => `c.${c}`).join(", ");
  return byDay(db, q, onLines, (day, push) =>
    db.stream<{ line: string }>(
      `SELECT CASE WHEN concat_ws(E'\\x01', ${cells}) ~ '(^|\\x01)[=+\\-@\\t\\r]|[,"\\r\\n]'
                 THEN report_csv_line(ARRAY[${cells}])
                 ELSE concat_ws(',', ${CSV_CELLS.map((c) => `coalesce(c.${c}, '')`).join(", ")}) END || E'\\r\\n' AS line
       FROM (${CSV_CELLS_SQL}) c`,
      [day.office, day.from, day.to],
      BATCH,
      (rows) => push(rows.map((r) => r.line).join("")),
      REPORT_TIME_ZONE,
    ),
  );
}

/**
 * The JSON report's transactions, each one object written by the database (row_to_json, with the
 * member names and order of the report: the composite types of migration 003), splits in their
 * order, the stored slips as they are. Ledger order; a transaction without splits cannot be booked.
 */
export function streamTransactionJson(
  db: HubDb,
  q: Range,
  onObjects: (objects: string[]) => Promise<void>,
): Promise<void> {
  return byDay(db, q, onObjects, (day, push) =>
    db.stream<{ json: string }>(
      `SELECT row_to_json(x)::text AS json FROM (
       SELECT t.id AS "transactionId", to_char(t.paid_at, '${ISO}') AS "paidAt",
              to_char(t.business_day, 'YYYY-MM-DD') AS "businessDay", t.device, t.cashier, t.total,
              CASE WHEN r.transaction_id IS NULL THEN 'approved' ELSE 'reversed' END AS status,
              t.slip, t.case_ref AS "case", sp.splits,
              (t.card_brand, t.masked_pan, t.auth_code, t.terminal_id, t.trace_number)::report_card AS card,
              CASE WHEN r.transaction_id IS NOT NULL
                   THEN (to_char(r.reversed_at, '${ISO}'), r.reason)::report_reversal END AS reversal,
              t.slips
         FROM transactions t
         LEFT JOIN reversals r ON r.office = t.office AND r.device = t.device AND r.transaction_id = t.id
        CROSS JOIN LATERAL (
              SELECT array_to_json(array_agg((s.recipient, s.nrb, s.component, s.amount, s.slip)::report_split
                                             ORDER BY s.n)) AS splits
                FROM splits s
               WHERE s.office = t.office AND s.device = t.device AND s.transaction_id = t.id) sp
        WHERE ${IN_RANGE} AND sp.splits IS NOT NULL
        ${LEDGER_ORDER}) x`,
      [day.office, day.from, day.to],
      BATCH,
      (rows) => push(rows.map((r) => r.json)),
      REPORT_TIME_ZONE,
    ),
  );
}

/** Net card takings per business day (what the acquirer owes the office for that day). */
export function dailyTotals(db: SqlClient, q: Range) {
  return db.query<{ day: string; count: number; total: number }>(
    `SELECT to_char(t.business_day, 'YYYY-MM-DD') AS day, count(*) AS count, sum(t.total) AS total
       FROM transactions t LEFT JOIN reversals r ON r.office = t.office AND r.device = t.device AND r.transaction_id = t.id
      WHERE t.office = $1 AND t.business_day BETWEEN $2 AND $3 AND r.transaction_id IS NULL
      GROUP BY t.business_day ORDER BY t.business_day`,
    [q.office, q.from, q.to],
  );
}
