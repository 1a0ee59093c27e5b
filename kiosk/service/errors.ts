/** The refusals a service, admin or staff-operations backend throws on purpose (the HTTP layer maps them to statuses). */
export type BackendErrorCode = "NOT_FOUND" | "CONFLICT" | "DEVICE_UNAVAILABLE" | "VALIDATION";

/** What a backend throws for an expected refusal; the routes turn it into problem+json. */
export class BackendError extends Error {
  override readonly name = "BackendError";
  constructor(
    readonly code: BackendErrorCode,
    message: string,
  ) {
    super(message);
  }
}
