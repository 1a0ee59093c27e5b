/**
 * The OPLR1 receipt verification code (SPEC §2), printed on every receipt so a clerk can verify a
 * payment offline. Signed like OPL1, with the kiosk's own Ed25519 key.
 */
import type { KeyObject } from "node:crypto";
import { MAX_PAYMENT_TOTAL } from "./money.ts";
import { KID_PATTERN, signText, splitFields, verifyText } from "./signature.ts";

export interface ReceiptCodeFields {
  kiosk: string;
  payment: string;
  office: string;
  /** The slip id, or null for a basket payment (written `-`). */
  slip: string | null;
  total: number;
  /** `YYYYMMDDhhmmss`, Europe/Warsaw. */
  paidAt: string;
  kid: string;
}

export interface ReceiptCode extends ReceiptCodeFields {
  sig: string;
}

export type ReceiptCodeError = "RECEIPT_UNREADABLE" | "RECEIPT_UNKNOWN_KEY" | "RECEIPT_SIGNATURE_INVALID";

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const OFFICE = /^[A-Z0-9-]{1,16}$/;
const SLIP = /^(?:[A-Z0-9/-]{1,24}|-)$/;
/** A total of 1 to MAX_PAYMENT_TOTAL grosze (11 digits). */
const AMOUNT = new RegExp(`^[1-9][0-9]{0,${String(MAX_PAYMENT_TOTAL).length - 1}}$`);
const PAID_AT = /^\d{14}$/;

function signedText(f: ReceiptCodeFields): string {
  return ["OPLR1", f.kiosk, f.payment, f.office, f.slip ?? "-", String(f.total), f.paidAt, f.kid].join("|");
}

export function signReceiptCode(fields: ReceiptCodeFields, privateKey: KeyObject): string {
  const text = signedText(fields);
  const payload = `${text}|${signText(text, privateKey)}`;
  if (!parseReceiptCode(payload).ok) throw new RangeError("receipt code fields are not valid");
  return payload;
}

export function parseReceiptCode(
  payload: string,
): { ok: true; code: ReceiptCode } | { ok: false; error: "RECEIPT_UNREADABLE" } {
  const bad = { ok: false as const, error: "RECEIPT_UNREADABLE" as const };
  if (typeof payload !== "string" || payload.length > 512) return bad;
  const f = splitFields(payload, 9);
  if (!f) return bad;
  const [magic, kiosk, payment, office, slip, total, paidAt, kid, sig] = f;
  if (magic !== "OPLR1" || !ID.test(kiosk) || !ID.test(payment) || !OFFICE.test(office)) return bad;
  if (!SLIP.test(slip) || !AMOUNT.test(total) || !PAID_AT.test(paidAt)) return bad;
  if (!KID_PATTERN.test(kid) || !/^[A-Za-z0-9_-]{86}$/.test(sig)) return bad;
  return {
    ok: true,
    code: {
      kiosk,
      payment,
      office,
      slip: slip === "-" ? null : slip,
      total: Number(total),
      paidAt,
      kid,
      sig,
    },
  };
}

export function verifyReceiptCode(
  payload: string,
  trustedKeys: ReadonlyMap<string, KeyObject>,
): { ok: true; code: ReceiptCode } | { ok: false; error: ReceiptCodeError } {
  const parsed = parseReceiptCode(payload);
  if (!parsed.ok) return parsed;
  const key = trustedKeys.get(parsed.code.kid);
  if (!key) return { ok: false, error: "RECEIPT_UNKNOWN_KEY" };
  if (!verifyText(payload.slice(0, payload.lastIndexOf("|")), parsed.code.sig, key)) {
    return { ok: false, error: "RECEIPT_SIGNATURE_INVALID" };
  }
  return parsed;
}
