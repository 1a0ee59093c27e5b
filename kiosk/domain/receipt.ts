/**
 * The receipt model: everything a printed (or on-screen) payment confirmation says, gathered by the
 * flow from the session, the configuration and the terminal's answer. Pure data; rendering lives in
 * kiosk/receipt.
 */
import type { Label, Language } from "./language.ts";

export interface ReceiptModel {
  office: { id: string; name: string; address: string; nip: string };
  kioskId: string;
  /** Attended mode (SPEC §10): the name of the cashier who took the payment. */
  cashier?: string;
  paymentId: string;
  /** ISO 8601 with offset, Europe/Warsaw. */
  paidAt: string;
  /** The visitor's language; Polish always first, then this one if different. */
  language: Language;
  /** The first slip (one-slip receipts print it in the header). */
  slip?: { id: string; caseRef: string };
  /** Every slip of the payment, in basket order; with several, lines are printed under their slip. */
  slips?: Array<{ id: string; caseRef: string }>;
  lines: Array<{
    code: string;
    label: Label;
    recipientName: string;
    amount: number;
    quantity?: number;
    reference?: string;
    /** The slip this line is a component of. */
    slip?: string;
  }>;
  handlingFee?: { amount: number; recipientName: string; label: Label };
  /** Grosze. */
  total: number;
  card: {
    brand?: string;
    maskedPan?: string;
    authCode?: string;
    terminalId?: string;
    traceNumber?: string;
    receiptNumber?: string;
  };
  /** The OPLR1 payload (SPEC §2), printed as QR and as text. */
  verificationCode: string;
  /** The terminal's own lines (06 D1/06 D3) when it hands printing to the kiosk. */
  terminalReceipt?: string[];
  /** Marks a technician's reprint. */
  copy?: "reprint";
}

/**
 * The card number as a receipt may show it: only the last four digits, whatever the terminal sent
 * (a terminal may send more digits in clear than a receipt is allowed to carry).
 */
export function lastFourOnly(maskedPan: string | undefined): string | undefined {
  if (!maskedPan) return undefined;
  const digits = maskedPan.replace(/\D/g, "");
  if (digits.length === 0) return undefined;
  return `**** ${digits.slice(-4)}`;
}

/** `2026-11-25T10:31:05+01:00` → `2026-11-25 10:31:05`, the wall-clock time the payment was made. */
export function localDateTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)/.exec(iso);
  if (!m) return iso;
  const time = m[2]!.length === 5 ? `${m[2]}:00` : m[2]!;
  return `${m[1]} ${time}`;
}
