/**
 * The payments of one business day as end-of-day, the settlement report and a void read them:
 * counts and totals, per recipient and per component, the reversed ones, the batch the terminal
 * should hold, and the payments still unsettled. Read-only; the money columns are grosze.
 */
import { IN_PROGRESS_STATES, UNSETTLED_STATUSES } from "../flow/states.ts";
import { type Db, marks } from "./db.ts";

export interface RecipientTotal {
  recipient: string;
  name: string;
  nrb: string;
  /** `recipients.<code>.nip`, when configured. */
  nip?: string;
  lines: number;
  amount: number;
}

export interface ComponentTotal {
  code: string;
  label: string;
  /** `components.<code>.group`, when configured: components of one group are listed together. */
  group?: string;
  recipient: string;
  lines: number;
  quantity: number;
  amount: number;
}

export interface ReversedPaymentRow {
  id: string;
  paid_at: string;
  reversed_at: string | null;
  slip_id: string | null;
  case_ref: string | null;
  total: number;
  reversal_reason: string | null;
}

/** Sessions whose payment is not settled yet; end-of-day and the close of a day must wait for them. */
export function unresolvedPayments(db: Db): Array<{ id: string; state: string }> {
  return db
    .prepare(
      `SELECT id, state FROM sessions
        WHERE state IN (${marks(IN_PROGRESS_STATES)}) OR payment_status IN (${marks(UNSETTLED_STATUSES)})
        ORDER BY created_at LIMIT 20`,
    )
    .all(...IN_PROGRESS_STATES, ...UNSETTLED_STATUSES) as Array<{ id: string; state: string }>;
}

/** A payment whose outcome only staff can settle; `authorizing_at`: when the attempt started (UTC ISO). */
export interface UndecidedPaymentRow {
  id: string;
  authorizing_at: string | null;
  created_at: string;
  slip_id: string | null;
  case_ref: string | null;
  total: number;
}

/**
 * Payments whose outcome only staff can settle (the terminal could not prove it), oldest first: a
 * handful at most, read through the index of open sessions.
 */
export function undecidedPayments(db: Db): UndecidedPaymentRow[] {
  return db
    .prepare(
      `SELECT id, authorizing_at, created_at, slip_id, case_ref, total FROM sessions
        WHERE state NOT IN ('done', 'cancelled') AND state = 'unknown' ORDER BY created_at`,
    )
    .all() as UndecidedPaymentRow[];
}

/** Count and total of the day's payments that stand (approved, not reversed). */
export function approvedTotals(db: Db, day: string): { n: number; total: number } {
  return db
    .prepare(
      "SELECT COUNT(*) AS n, COALESCE(SUM(total), 0) AS total FROM sessions WHERE business_day = ? AND payment_status = 'approved'",
    )
    .get(day) as { n: number; total: number };
}

/** Count and total per money status, approved and reversed, of the day. */
export function statusTotals(db: Db, day: string): Array<{ status: string; n: number; total: number }> {
  return db
    .prepare(
      `SELECT payment_status AS status, COUNT(*) AS n, COALESCE(SUM(total), 0) AS total
         FROM sessions WHERE business_day = ? AND payment_status IN ('approved', 'reversed')
        GROUP BY payment_status`,
    )
    .all(day) as Array<{ status: string; n: number; total: number }>;
}

/**
 * The kiosk's approved payments the day's closings should hold: those booked on `day`, and those paid
 * after `after` (the closing before the day's first) whichever day they are booked on, since the batch closed now
 * holds what the terminal charged since it last closed: a cash-desk shift closed after midnight, or a
 * payment approved just after midnight before the day before's late closing, puts both days' payments
 * in one batch. With no closing yet (`after` null), the day's.
 */
export function batchRows(
  db: Db,
  day: string,
  after: string | null,
): Array<{ id: string; total: number; card_brand: string | null; receipt_no: string | null }> {
  type Row = {
    id: string;
    total: number;
    card_brand: string | null;
    receipt_no: string | null;
    business_day: string;
    paid_at: string;
  };
  // The business days from the day before the previous closing's on bound the scan (a payment is never
  // booked before its day); paid_at carries its offset, so it is compared as an instant, not as text.
  const from = after === null ? day : [day, dayBefore(after)].sort()[0];
  const rows = db
    .prepare(
      `SELECT id, total, card_brand, receipt_no, business_day, paid_at FROM sessions
        WHERE business_day >= ? AND payment_status = 'approved'`,
    )
    .all(from) as Row[];
  const since = after === null ? Number.POSITIVE_INFINITY : Date.parse(after);
  return rows
    .filter((r) => r.business_day === day || Date.parse(r.paid_at) > since)
    .map(({ id, total, card_brand, receipt_no }) => ({ id, total, card_brand, receipt_no }));
}

/** The calendar day before an ISO time's own date: a lower bound of its business day in any zone. */
function dayBefore(iso: string): string {
  const d = new Date(Date.parse(iso) - 86_400_000 - 14 * 3_600_000);
  return d.toISOString().slice(0, 10);
}

/** The latest payment the terminal charged (approved or later reversed), by business day and time. */
export function latestChargedPayment(db: Db): { business_day: string; paid_at: string } | undefined {
  return db
    .prepare(
      `SELECT business_day, paid_at FROM sessions WHERE payment_status IN ('approved', 'reversed')
        ORDER BY business_day DESC, paid_at DESC LIMIT 1`,
    )
    .get() as { business_day: string; paid_at: string } | undefined;
}

/** Per component, recipient and account, with the recipient's name, so one pass gives both tables. */
export type ComponentRecipientTotal = ComponentTotal & { name: string; nrb: string };

/**
 * Lines, quantities and amounts per component, recipient and account of the day's approved payments
 * (label JSON as stored), with the recipient's name: the per-recipient totals are their sums, one per
 * account a recipient's lines were paid to (its account may change during a day). Read
 * from the running totals the triggers of migration 9 keep (`day_line_totals`), which give what a
 * GROUP BY over the day's lines gives without sorting a million lines.
 */
export function componentTotals(db: Db, day: string): ComponentRecipientTotal[] {
  return db
    .prepare(
      `SELECT code, MIN(label) AS label, recipient, MIN(recipient_name) AS name, recipient_nrb AS nrb,
              SUM(lines) AS lines, SUM(quantity) AS quantity, SUM(amount) AS amount
         FROM day_line_totals
        WHERE business_day = ? AND lines > 0
        GROUP BY code, recipient, recipient_nrb ORDER BY code, recipient, recipient_nrb`,
    )
    .all(day) as ComponentRecipientTotal[];
}

/** The day's reversed payments in the order they were paid. */
export function reversedPayments(db: Db, day: string): ReversedPaymentRow[] {
  return db
    .prepare(
      `SELECT id, paid_at, reversed_at, slip_id, case_ref, total, reversal_reason FROM sessions
        WHERE business_day = ? AND payment_status = 'reversed' ORDER BY paid_at, id`,
    )
    .all(day) as ReversedPaymentRow[];
}
