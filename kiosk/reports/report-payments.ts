/** Groups the streamed line rows of a day back into payments, one at a time, for the report renderers. */
import { cardOf, type PaymentLine, type PaymentRecord, toLine } from "../store/payment-record.ts";
import type { Db } from "../store/db.ts";
import { type PaidLineRow, scanPaidLines } from "../store/paid-lines.ts";

export interface ReportPayment {
  paymentId: string;
  paidAt: string;
  status: "approved" | "reversed";
  reversedAt: string | null;
  slip: string | null;
  case: string | null;
  total: number;
  card: PaymentRecord["card"];
  lines: Array<
    Pick<PaymentLine, "lineNo" | "code" | "label" | "recipient" | "amount" | "quantity" | "reference">
  >;
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
    card: cardOf(r),
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
      const { lineNo, code, label, recipient, amount, quantity, reference } = toLine(r);
      current.lines.push({ lineNo, code, label, recipient, amount, quantity, reference });
    },
    betweenPages,
  );
  if (current) onPayment(current);
}
