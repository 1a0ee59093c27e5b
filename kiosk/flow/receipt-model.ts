/**
 * Builds the receipt of a stored payment. The same model feeds the printer and the screen image,
 * so what the visitor sees and what is printed cannot differ.
 */
import type { KioskConfig } from "../config/types.ts";
import type { ReceiptModel } from "../domain/receipt.ts";
import type { SessionRow, StoredLine, StoredSlip } from "../store/sessions.ts";

export function receiptModelOf(
  config: KioskConfig,
  row: SessionRow,
  lines: readonly StoredLine[],
  slips: readonly StoredSlip[],
  options: { terminalReceipt?: string[]; reprint?: boolean } = {},
): ReceiptModel {
  const slipIdOf = new Map(slips.map((s) => [s.slip_no, s.slip_id]));
  const fee = lines.find((l) => l.is_fee);
  const name = (key: string, stored: string) => config.recipients[key]?.name ?? stored;
  const card: ReceiptModel["card"] = {};
  if (row.card_brand) card.brand = row.card_brand;
  if (row.masked_pan) card.maskedPan = row.masked_pan;
  if (row.auth_code) card.authCode = row.auth_code;
  if (row.terminal_id) card.terminalId = row.terminal_id;
  if (row.trace_no) card.traceNumber = row.trace_no;
  if (row.receipt_no) card.receiptNumber = row.receipt_no;
  const model: ReceiptModel = {
    office: { ...config.office },
    kioskId: row.kiosk_id,
    paymentId: row.id,
    paidAt: row.paid_at ?? row.updated_at,
    language: row.language,
    lines: lines
      .filter((l) => !l.is_fee)
      .map((l) => {
        const line: ReceiptModel["lines"][number] = {
          code: l.code,
          label: l.label,
          recipientName: name(l.recipient, l.recipient_name),
          amount: l.amount,
        };
        if (l.quantity !== 1) line.quantity = l.quantity;
        if (l.reference) line.reference = l.reference;
        const slip = l.slip_no === null ? undefined : slipIdOf.get(l.slip_no);
        if (slip) line.slip = slip;
        return line;
      }),
    total: row.total,
    card,
    verificationCode: row.verification_code ?? "",
  };
  if (row.cashier_id)
    model.cashier = config.cashiers?.find((c) => c.id === row.cashier_id)?.name ?? row.cashier_id;
  if (row.slip_id) model.slip = { id: row.slip_id, caseRef: row.case_ref ?? "" };
  if (slips.length > 1) model.slips = slips.map((s) => ({ id: s.slip_id, caseRef: s.case_ref }));
  if (fee)
    model.handlingFee = {
      amount: fee.amount,
      recipientName: name(fee.recipient, fee.recipient_name),
      label: fee.label,
    };
  if (options.terminalReceipt && options.terminalReceipt.length > 0)
    model.terminalReceipt = options.terminalReceipt;
  if (options.reprint) model.copy = "reprint";
  return model;
}
