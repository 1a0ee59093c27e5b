import type { KioskProblemCode } from "../../contracts/error-codes.ts";

/**
 * A circumstance that changes how a refusal is answered but not its code (kiosk/http/errors.ts
 * decides the status): the state changed since the visitor saw it, or a PIN is locked out a while.
 */
export type RefusalReason = "changed_meanwhile" | "locked_out";

export interface RefusalOptions {
  /** What exactly failed (e.g. each basket item's problem), sent as the problem's `errors`. */
  details?: unknown;
  /** Members the problem carries beside `code` (e.g. `paid` of SPEC §1a). */
  extra?: Record<string, unknown>;
  reason?: RefusalReason;
}

/**
 * A refusal the flow (or the cash desk) reports to its caller: a code of contracts/error-codes.ts
 * and a sentence, never an HTTP status; the HTTP layer answers it as problem+json.
 */
export class FlowError extends Error {
  override readonly name = "FlowError";
  readonly details?: unknown;
  readonly extra?: Record<string, unknown>;
  readonly reason?: RefusalReason;

  constructor(
    readonly code: KioskProblemCode,
    message: string,
    options: RefusalOptions = {},
  ) {
    super(message);
    if (options.details !== undefined) this.details = options.details;
    if (options.extra !== undefined) this.extra = options.extra;
    if (options.reason !== undefined) this.reason = options.reason;
  }
}
