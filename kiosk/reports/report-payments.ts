/** Groups the streamed line rows of a day back into payments, one at a time, for the report renderers. */
import { polishLabel } from "../outbox/payment-record.ts";
import type { Db } from "../store/db.ts";
import { type PaidLineRow, scanPaidLines } from "./paid-lines.ts";

export interface ReportPayment {
  paymentId: string;
  paidAt: string;
  status: "approved" | "reversed";
  reversedAt: string | null;
  slip: string | null;
  case: string | null;
  total: number;
  card: {
    brand: string | null;
    maskedPan: string | null;
    authCode: string | null;
    terminalId: string | null;
    traceNumber: string | null;
    receiptNumber: string | null;
  };
  lines: Array<{
    lineNo: number;
    code: string;
    label: string;
    recipient: string;
    amount: number;
    quantity: number;
    reference: string | null;
  }>;
}

function start(r: PaidLineRow): ReportPayment {
  return {
    paymentId: r.id,
    paidAt: r.paid_at,
    status: r.payment_status,
    reversedAt: r.reversed_at,
    slip: r.slip_id,
    case: r.case_ref,
    total: r.total,
    card: {
      brand: r.card_brand,
      maskedPan: r.masked_pan,
      authCode: r.auth_code,
      terminalId: r.terminal_id,
      traceNumber: r.trace_no,
      receiptNumber: r.receipt_no,
    },
    lines: [],
  };
}

/** Calls `onPayment` for each payment of the day, in report order, with all its lines. */
export async function forEachReportPayment(
  db: Db,
  day: string,
  onPayment: (p: ReportPayment) => void,
  betweenPages: () => Promise<void>,
): Promise<void> {
  let current: ReportPayment | undefined;
  await scanPaidLines(
    db,
    { fromDay: day, toDay: day },
    (r) => {
      if (!current || current.paymentId !== r.id) {
        if (current) onPayment(current);
        current = start(r);
      }
      current.lines.push({
        lineNo: r.line_no,
        code: r.code,
        label: polishLabel(r.label),
        recipient: r.recipient,
        amount: r.amount,
        quantity: r.quantity,
        reference: r.reference,
      });
    },
    betweenPages,
  );
  if (current) onPayment(current);
}
