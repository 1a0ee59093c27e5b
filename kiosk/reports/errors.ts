/**
 * Expected refusals of reporting operations (void, end-of-day, report input). `code` uses the
 * problem codes of SPEC §4 so the HTTP layer maps it directly (CONFLICT → 409 …); `reason` is the
 * precise machine word, `message` the sentence shown to office staff.
 */
export type ReportingErrorCode = "NOT_FOUND" | "CONFLICT" | "DEVICE_UNAVAILABLE" | "VALIDATION";

export type ReportingErrorReason =
  | "payment_not_found"
  | "payment_not_approved"
  | "other_business_day"
  | "day_closed"
  | "payment_unresolved"
  | "already_running"
  | "terminal_refused"
  | "terminal_unavailable"
  | "invalid_input";

export class ReportingError extends Error {
  override readonly name = "ReportingError";
  constructor(
    readonly code: ReportingErrorCode,
    readonly reason: ReportingErrorReason,
    message: string,
  ) {
    super(message);
  }
}
