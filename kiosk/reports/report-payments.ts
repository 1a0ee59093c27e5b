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
  /** A payment of several slips: each with its case (`slip`/`case` above are the first). */
  slips?: Array<{ slip: string; case: string | null }>;
  lines: Array<
    Pick<PaymentLine, "lineNo" | "code" | "label" | "recipient" | "amount" | "quantity" | "reference"> & {
      slip?: string;
    }
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
        if (current) onPayment(settled(current));
        current = start(r);
      }
      const { lineNo, code, label, recipient, amount, quantity, reference } = toLine(r);
      const line: ReportPayment["lines"][number] = {
        lineNo,
        code,
        label,
        recipient,
        amount,
        quantity,
        reference,
      };
      if (r.slip_no !== null && r.line_slip_id) {
        line.slip = r.line_slip_id;
        current.slips = current.slips ?? [];
        const slips = current.slips;
        if (!slips.some((x) => x.slip === r.line_slip_id))
          slips.push({ slip: r.line_slip_id, case: r.line_case_ref });
      }
      current.lines.push(line);
    },
    betweenPages,
  );
  if (current) onPayment(settled(current));
}

/**
 * A one-slip payment keeps its established shape (the slip and case at the top); only a payment of
 * several slips names each line's slip and lists its slips.
 */
function settled(p: ReportPayment): ReportPayment {
  if ((p.slips?.length ?? 0) > 1) return p;
  const { slips: _slips, ...rest } = p;
  return { ...rest, lines: p.lines.map(({ slip: _slip, ...l }) => l) };
}
