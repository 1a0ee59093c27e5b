import type { KioskProblemCode } from "../../contracts/error-codes.ts";

/**
 * A circumstance that changes how a refusal is answered but not its code (kiosk/http/errors.ts
 * decides the status): the state changed since the visitor saw it, or a PIN is locked out a while.
 */
export type RefusalReason = "changed_meanwhile" | "locked_out";

/** A refusal the flow reports to its caller; the HTTP layer turns it into a problem+json. */
export class FlowError extends Error {
  override readonly name = "FlowError";
  constructor(
    readonly code: KioskProblemCode,
    readonly status: number,
    message: string,
    readonly details?: unknown,
    /** Members the problem carries beside `code` (e.g. `paid` of SPEC §1a). */
    readonly extra?: Record<string, unknown>,
    readonly reason?: RefusalReason,
  ) {
    super(message);
  }
}
