/**
 * What a session pays for, assembled from checked slips and catalog lines: the lines in basket
 * order, the handling fee once at the end, each line with its recipient's name and account as
 * configured now (kept with the payment), and the total. A slip session of one or more slips is
 * `slip`; any service makes it a `basket`.
 */
import type { KioskConfig } from "../config/types.ts";
import { handlingFeeLine, type PaymentLine, totalOf } from "../domain/lines.ts";
import { formatPlain, MAX_PAYMENT_TOTAL } from "../domain/money.ts";
import type { Slip } from "../domain/slip.ts";
import type { NewSlip, SessionContents, StoredLine, StoredSlip } from "../store/sessions.ts";
import { FlowError } from "./errors.ts";

/** At most this many slips and services in one payment (the basket's item limit). */
export const MAX_PAYMENT_ITEMS = 20;

export function newSlip(slip: Slip): NewSlip {
  return {
    id: slip.slip,
    caseRef: slip.caseRef,
    valid: slip.valid,
    payload: slip.payload,
    total: slip.total,
  };
}

export function sessionContents(
  config: KioskConfig,
  slips: readonly NewSlip[],
  lines: readonly PaymentLine[],
): SessionContents {
  const fee = handlingFeeLine(config.handlingFee);
  const all = fee ? [...lines, fee] : [...lines];
  const total = totalOf(all);
  // Every path that builds or grows a payment comes here, so none can start one it cannot book.
  if (total > MAX_PAYMENT_TOTAL) {
    throw new FlowError(
      "VALIDATION",
      `the payment would total ${formatPlain(total)} PLN; one payment can be at most ${formatPlain(MAX_PAYMENT_TOTAL)} PLN`,
    );
  }
  return {
    kind: lines.some((l) => l.slip === undefined) ? "basket" : "slip",
    slips: [...slips],
    lines: all.map((l) => {
      const r = config.recipients[l.recipient];
      if (!r) throw new Error(`recipient ${l.recipient} is not configured`);
      return { ...l, recipientName: r.name, recipientNrb: r.nrb };
    }),
    total,
  };
}

/** A stored session's slips and lines (the fee left out: `sessionContents` adds it again). */
export function storedContents(
  slips: readonly StoredSlip[],
  lines: readonly StoredLine[],
): { slips: NewSlip[]; lines: PaymentLine[] } {
  const idOf = new Map(slips.map((s) => [s.slip_no, s.slip_id]));
  return {
    slips: slips.map((s) => ({
      id: s.slip_id,
      caseRef: s.case_ref,
      valid: s.slip_valid,
      payload: s.slip_payload,
      total: s.total,
    })),
    lines: lines
      .filter((l) => !l.is_fee)
      .map((l) => {
        const line: PaymentLine = {
          code: l.code,
          label: l.label,
          recipient: l.recipient,
          amount: l.amount,
          quantity: l.quantity,
          unitAmount: l.unit_amount ?? l.amount,
          isFee: false,
        };
        if (l.reference) line.reference = l.reference;
        const slip = l.slip_no === null ? undefined : idOf.get(l.slip_no);
        if (slip) line.slip = slip;
        return line;
      }),
  };
}
