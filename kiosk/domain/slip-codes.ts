/**
 * The slip checks' verdicts (SPEC §1), in the order the checks run: the first that fails is the one
 * reported. Pure and import-free, so the domain owns them and contracts/error-codes.ts (read by the
 * UI's bundle too) re-exports them without pulling in the slip codec's node:crypto.
 */
export const SLIP_ERROR_CODES = [
  "SLIP_UNREADABLE",
  "SLIP_UNKNOWN_KEY",
  "SLIP_SIGNATURE_INVALID",
  "SLIP_WRONG_OFFICE",
  "SLIP_EXPIRED",
  "SLIP_TOTAL_MISMATCH",
  "SLIP_UNKNOWN_COMPONENT",
  "SLIP_ALREADY_PAID",
  "SLIP_CANCELLED",
  "SLIP_AMOUNT_CHANGED",
  "SLIP_CHECK_UNAVAILABLE",
] as const;

export type SlipErrorCode = (typeof SLIP_ERROR_CODES)[number];
