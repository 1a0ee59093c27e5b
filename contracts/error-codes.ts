/**
 * Every error code that crosses a process boundary, written once: what the kiosk's problems carry
 * (SPEC §1 and §4), what a session's `error` names, and what the hub's problems carry (SPEC §9).
 * Their HTTP statuses are the HTTP layers' business (kiosk/http/errors.ts, hub/http/errors.ts), each
 * a table over these unions, so a code without a status fails the type check; the UI's texts are
 * keyed by them too (ui/src/i18n/messages.ts), so does a code without a text.
 */
import { SLIP_ERROR_CODES, type SlipErrorCode } from "../kiosk/domain/slip-codes.ts";

export { SLIP_ERROR_CODES, type SlipErrorCode };

/** SPEC §4: the API's problem codes besides the slip checks'. */
export const API_ERROR_CODES = [
  "VALIDATION",
  "NOT_FOUND",
  "CONFLICT",
  "UNAUTHORIZED",
  "DEVICE_UNAVAILABLE",
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/**
 * What a kiosk's problem+json may carry as `code`: the SPEC's, `PRINTER_UNAVAILABLE` when a payment
 * is refused before any charge because no receipt could be printed, and `INTERNAL` for a failure (500).
 */
export const KIOSK_PROBLEM_CODES = [
  ...SLIP_ERROR_CODES,
  ...API_ERROR_CODES,
  "PRINTER_UNAVAILABLE",
  "INTERNAL",
] as const;
export type KioskProblemCode = (typeof KIOSK_PROBLEM_CODES)[number];

/**
 * The session's `error.code` (SPEC §4) when a payment ended without a charge or a receipt: the card
 * refused, stopped, never charged after recovery, a device that failed, a receipt not printed, an
 * outcome only staff can settle.
 */
export const SESSION_ERROR_CODES = [
  "DECLINED",
  "CANCELLED",
  "NOT_CHARGED",
  "TERMINAL_UNAVAILABLE",
  "PRINTER_UNAVAILABLE",
  "RECEIPT_NOT_PRINTED",
  "OUT_OF_ORDER",
  /** The terminal cannot prove whether the card was charged: the visitor is sent to staff, who resolve it. */
  "PAYMENT_UNRESOLVED",
] as const;
export type SessionErrorCode = (typeof SESSION_ERROR_CODES)[number];

/** Every code a visitor's screen may be given: a problem's or a session's. */
export type ErrorCode = KioskProblemCode | SessionErrorCode;
export const ERROR_CODES: readonly ErrorCode[] = [
  ...new Set([...KIOSK_PROBLEM_CODES, ...SESSION_ERROR_CODES]),
];

/** True for a code of this catalogue; anything else a screen shows as unknown. */
export function isErrorCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

/**
 * What the hub's problem+json may carry as `code` (SPEC §9): the kiosk's API codes it shares, and
 * the ledger's own refusals a kiosk's operator reads in its parked message.
 */
export const HUB_PROBLEM_CODES = [
  "VALIDATION",
  "NOT_FOUND",
  "CONFLICT",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "CSRF",
  "RATE_LIMITED",
  "PAYLOAD_TOO_LARGE",
  "MALFORMED_JSON",
  "IDEMPOTENCY_KEY_REQUIRED",
  "IDEMPOTENCY_KEY_REUSED",
  "SPLITS_MISMATCH",
  "TOTAL_MISMATCH",
  "UNKNOWN_ACCOUNT",
  "STATEMENT_INVALID",
  "DATABASE_UNAVAILABLE",
  "INTERNAL",
] as const;
export type HubProblemCode = (typeof HUB_PROBLEM_CODES)[number];
