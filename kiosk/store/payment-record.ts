/**
 * A paid session as the outbox and the reports see it: the session row and its lines, read with
 * the card fields the terminal returned (masked PAN only — the database never holds more).
 */
import { type Db, statement } from "./db.ts";

export interface PaymentLine {
  lineNo: number;
  code: string;
  /** The label in Polish (the stored label is JSON {pl, en?, uk?}). */
  label: string;
  recipient: string;
  recipientName: string;
  recipientNrb: string;
  amount: number;
  quantity: number;
  reference: string | null;
  isFee: boolean;
  /** The slip this line is a component of; null for services and the fee. */
  slip: string | null;
}

/** One slip of a payment, numbered 1, 2, … in basket order. */
export interface PaymentSlip {
  no: number;
  id: string;
  caseRef: string;
  /** The slip's own total (the sum of its lines). */
  total: number;
}

export interface PaymentRecord {
  id: string;
  officeId: string;
  kioskId: string;
  slipId: string | null;
  caseRef: string | null;
  total: number;
  currency: string;
  paidAt: string;
  businessDay: string;
  status: "approved" | "reversed";
  reversedAt: string | null;
  reversalReason: string | null;
  /** Attended mode: the cashier who took it. */
  cashierId: string | null;
  /** Every slip of the payment in basket order; `slipId`/`caseRef` are the first one's. */
  slips: PaymentSlip[];
  card: {
    brand: string | null;
    maskedPan: string | null;
    authCode: string | null;
    terminalId: string | null;
    traceNumber: string | null;
    receiptNumber: string | null;
  };
  lines: PaymentLine[];
}

export interface SessionRow {
  id: string;
  office_id: string;
  kiosk_id: string;
  slip_id: string | null;
  case_ref: string | null;
  total: number;
  currency: string;
  paid_at: string | null;
  business_day: string | null;
  payment_status: string | null;
  reversed_at: string | null;
  reversal_reason: string | null;
  cashier_id: string | null;
  card_brand: string | null;
  masked_pan: string | null;
  auth_code: string | null;
  terminal_id: string | null;
  trace_no: string | null;
  receipt_no: string | null;
}

export interface LineRow {
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
  slip_no: number | null;
}

/** The session columns a paid payment is read with, in one place for every reader. */
export const SESSION_COLUMN_LIST = [
  "id",
  "office_id",
  "kiosk_id",
  "slip_id",
  "case_ref",
  "total",
  "currency",
  "paid_at",
  "business_day",
  "payment_status",
  "reversed_at",
  "reversal_reason",
  "cashier_id",
  "card_brand",
  "masked_pan",
  "auth_code",
  "terminal_id",
  "trace_no",
  "receipt_no",
] as const satisfies ReadonlyArray<keyof SessionRow>;

export const LINE_COLUMN_LIST = [
  "line_no",
  "code",
  "label",
  "recipient",
  "recipient_name",
  "recipient_nrb",
  "amount",
  "quantity",
  "reference",
  "is_fee",
  "slip_no",
] as const satisfies ReadonlyArray<keyof LineRow>;

const SESSION_COLUMNS = SESSION_COLUMN_LIST.join(", ");
const LINE_COLUMNS = LINE_COLUMN_LIST.join(", ");

export class PaymentNotFoundError extends Error {
  override readonly name = "PaymentNotFoundError";
}

/** The Polish text of a stored label; a label that is not JSON is taken as plain text. */
export function polishLabel(stored: string): string {
  try {
    const parsed: unknown = JSON.parse(stored);
    if (parsed && typeof parsed === "object" && "pl" in parsed && typeof parsed.pl === "string")
      return parsed.pl;
  } catch {
    // a plain-text label
  }
  return stored;
}

export function toLine(row: LineRow, slipOf: (no: number) => string | null = () => null): PaymentLine {
  return {
    lineNo: row.line_no,
    code: row.code,
    label: polishLabel(row.label),
    recipient: row.recipient,
    recipientName: row.recipient_name,
    recipientNrb: row.recipient_nrb,
    amount: row.amount,
    quantity: row.quantity,
    reference: row.reference,
    isFee: row.is_fee === 1,
    slip: row.slip_no === null ? null : slipOf(row.slip_no),
  };
}

export function toPaymentRecord(
  row: SessionRow,
  lines: PaymentLine[],
  slips: PaymentSlip[] = [],
): PaymentRecord {
  if (row.payment_status !== "approved" && row.payment_status !== "reversed")
    throw new PaymentNotFoundError(`session ${row.id} holds no approved payment`);
  if (!row.paid_at || !row.business_day) throw new PaymentNotFoundError(`payment ${row.id} has no paid_at`);
  return {
    id: row.id,
    officeId: row.office_id,
    kioskId: row.kiosk_id,
    slipId: row.slip_id,
    caseRef: row.case_ref,
    total: row.total,
    currency: row.currency,
    paidAt: row.paid_at,
    businessDay: row.business_day,
    status: row.payment_status,
    reversedAt: row.reversed_at,
    reversalReason: row.reversal_reason,
    cashierId: row.cashier_id,
    slips,
    card: cardOf(row),
    lines,
  };
}

/** The card fields the terminal returned (masked PAN only: the database never holds more). */
export function cardOf(row: SessionRow): PaymentRecord["card"] {
  return {
    brand: row.card_brand,
    maskedPan: row.masked_pan,
    authCode: row.auth_code,
    terminalId: row.terminal_id,
    traceNumber: row.trace_no,
    receiptNumber: row.receipt_no,
  };
}

/** Reads one approved or reversed payment with its slips and lines; throws PaymentNotFoundError otherwise. */
export function loadPaymentRecord(db: Db, sessionId: string): PaymentRecord {
  const row = statement(db, `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ?`).get(sessionId) as
    | SessionRow
    | undefined;
  if (!row) throw new PaymentNotFoundError(`no session ${sessionId}`);
  const lineRows = statement(
    db,
    `SELECT ${LINE_COLUMNS} FROM session_lines WHERE session_id = ? ORDER BY line_no`,
  ).all(sessionId) as LineRow[];
  let slips = (
    statement(
      db,
      "SELECT slip_no, slip_id, case_ref, total FROM session_slips WHERE session_id = ? ORDER BY slip_no",
    ).all(sessionId) as Array<{ slip_no: number; slip_id: string; case_ref: string; total: number }>
  ).map((x) => ({ no: x.slip_no, id: x.slip_id, caseRef: x.case_ref, total: x.total }));
  let rows = lineRows;
  if (slips.length === 0 && row.slip_id) {
    // Written before slips had rows of their own: a slip payment held that one slip and the fee.
    const own = lineRows.filter((l) => l.is_fee === 0);
    slips = [
      { no: 1, id: row.slip_id, caseRef: row.case_ref ?? "", total: own.reduce((a, l) => a + l.amount, 0) },
    ];
    rows = lineRows.map((l) => (l.is_fee === 0 ? { ...l, slip_no: 1 } : l));
  }
  const idOf = new Map(slips.map((x) => [x.no, x.id]));
  return toPaymentRecord(
    row,
    rows.map((l) => toLine(l, (no) => idOf.get(no) ?? null)),
    slips,
  );
}
