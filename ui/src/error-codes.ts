/**
 * What a visitor's error screen shows staff and offers the visitor. The daemon's codes (SPEC §1, §4)
 * are for programs; the visitor reads a short staff code to quote at the information desk (E08), the
 * table of which is docs/error-codes.md (test/unit/ui/error-codes.test.ts keeps the two equal).
 * Numbers are stable: a code is never reused for another meaning.
 */
import type { ErrorCode } from "./i18n/messages.ts";

export const STAFF_CODES: Record<ErrorCode, `E${number}`> = {
  SLIP_UNREADABLE: "E01",
  SLIP_UNKNOWN_KEY: "E02",
  SLIP_SIGNATURE_INVALID: "E03",
  SLIP_WRONG_OFFICE: "E04",
  SLIP_EXPIRED: "E05",
  SLIP_TOTAL_MISMATCH: "E06",
  SLIP_UNKNOWN_COMPONENT: "E07",
  SLIP_ALREADY_PAID: "E08",
  SLIP_CANCELLED: "E09",
  SLIP_AMOUNT_CHANGED: "E10",
  SLIP_CHECK_UNAVAILABLE: "E11",
  DECLINED: "E20",
  TERMINAL_UNAVAILABLE: "E21",
  CANCELLED: "E22",
  PRINTER_UNAVAILABLE: "E23",
  DEVICE_UNAVAILABLE: "E24",
  PAYMENT_UNRESOLVED: "E25",
  VALIDATION: "E30",
  NOT_FOUND: "E31",
  CONFLICT: "E32",
  UNKNOWN: "E99",
};

/**
 * The visitor's way on from each error: scan the slip again (a code the reader misread), try the
 * same slip again (something that may pass in a moment), or start over.
 */
export type ErrorAction = "scan-again" | "try-again" | "start";

const ACTIONS: Partial<Record<ErrorCode, ErrorAction>> = {
  SLIP_UNREADABLE: "scan-again",
  SLIP_CHECK_UNAVAILABLE: "try-again",
  CONFLICT: "try-again",
};

export function errorAction(code: ErrorCode): ErrorAction {
  return ACTIONS[code] ?? "start";
}

export function knownErrorCode(code: string): ErrorCode {
  return code in STAFF_CODES ? (code as ErrorCode) : "UNKNOWN";
}

export function staffCode(code: string): string {
  return STAFF_CODES[knownErrorCode(code)];
}
