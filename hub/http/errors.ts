/**
 * Every problem the hub answers, in one place (after fastify's `lib/errors.js`): the code on the
 * wire (contracts/error-codes.ts), its HTTP status and its title. The ingest and the staff routes
 * refuse with a code only; test/unit/http/error-catalogue.test.ts pins each row.
 */
import type { HubProblemCode } from "../../contracts/error-codes.ts";
import { type ProblemKind, problemCatalogue, SHARED_PROBLEMS } from "../../contracts/problem.ts";

/** Each code's status; a new code without one fails the type check. */
export const HUB_BY_CODE = {
  /** VALIDATION (422) is a body that breaks the ledger's rules (SPEC §9): the kiosk parks the message and alerts. */
  ...SHARED_PROBLEMS,
  /** A device writing for another office or kiosk, a login for an office it may not see. */
  FORBIDDEN: { status: 403, title: "Forbidden" },
  CSRF: { status: 403, title: "The request lacks this session's CSRF token" },
  RATE_LIMITED: { status: 429, title: "Too many requests" },
  PAYLOAD_TOO_LARGE: { status: 413, title: "The request body is too large" },
  MALFORMED_JSON: { status: 400, title: "The body is not valid JSON" },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, title: "Idempotency-Key is required" },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: "The Idempotency-Key was used with another body" },
  SPLITS_MISMATCH: { status: 422, title: "The splits do not add up to the total" },
  TOTAL_MISMATCH: { status: 422, title: "The total differs from the transaction's" },
  UNKNOWN_ACCOUNT: { status: 422, title: "A split's account is not the recipient's" },
  STATEMENT_INVALID: { status: 422, title: "The statement cannot be imported" },
  DATABASE_UNAVAILABLE: { status: 503, title: "The ledger database is not reachable; try again later" },
} as const satisfies Record<HubProblemCode, Omit<ProblemKind, "code">>;

/** Refusals of the HTTP layer itself: a request that fails its route's schema or query rules. */
export const HUB_HTTP_PROBLEMS = {
  INVALID_REQUEST: { code: "VALIDATION", status: 400, title: "The request is not valid" },
  UNSUPPORTED_MEDIA_TYPE: { code: "VALIDATION", status: 415, title: "Unsupported content type" },
  NO_ROUTE: { code: "NOT_FOUND", status: 404, title: "No such route" },
  URI_TOO_LONG: { code: "VALIDATION", status: 414, title: "A segment of the path is too long" },
} as const satisfies Record<string, ProblemKind<HubProblemCode>>;

export type HubHttpProblem = keyof typeof HUB_HTTP_PROBLEMS;

export const HUB_PROBLEMS = problemCatalogue<HubProblemCode, HubHttpProblem>(HUB_BY_CODE, HUB_HTTP_PROBLEMS);
