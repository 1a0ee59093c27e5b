/** A refusal the flow reports to its caller; the HTTP layer turns it into a problem+json. */
export class FlowError extends Error {
  override readonly name = "FlowError";
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: unknown,
    /** Members the problem carries beside `code` (e.g. `paid` of SPEC §1a). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}
