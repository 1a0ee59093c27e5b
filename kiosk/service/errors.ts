import type { KioskProblemCode } from "../../contracts/error-codes.ts";
import type { RefusalReason } from "../flow/errors.ts";

/**
 * The refusals a service, admin or staff-operations backend throws on purpose: any code of the
 * kiosk's catalogue, so the HTTP layer answers each with its own status (kiosk/http/errors.ts), a
 * printer that is not ready 503 like on the visitor's side, not a narrowed 409.
 */
export type BackendErrorCode = KioskProblemCode;

/** What a backend throws for an expected refusal; the routes turn it into problem+json. */
export class BackendError extends Error {
  override readonly name = "BackendError";
  constructor(
    readonly code: BackendErrorCode,
    message: string,
    /** A circumstance that changes the status but not the code (e.g. changed meanwhile: 409). */
    readonly reason?: RefusalReason,
  ) {
    super(message);
  }
}
