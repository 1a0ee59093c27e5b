/**
 * Every problem the kiosk's API answers, in one place (after fastify's `lib/errors.js`): the code on
 * the wire (contracts/error-codes.ts, SPEC §1 and §4), its HTTP status and its title. The flow, the
 * desk, the service backends and the reports refuse with a code only; the status is decided here.
 * test/unit/http/error-catalogue.test.ts pins each row to the SPEC.
 */
import type { KioskProblemCode } from "../../contracts/error-codes.ts";
import { type ProblemKind, problemCatalogue, SHARED_PROBLEMS } from "../../contracts/problem.ts";
import type { RefusalReason } from "../flow/errors.ts";

const slipRefused = (title: string) => ({ status: 422, title });

/** Each code's status when a part of the kiosk refuses with it; a new code without one fails the type check. */
export const BY_CODE = {
  SLIP_UNREADABLE: slipRefused("The code cannot be read as a payment slip"),
  SLIP_UNKNOWN_KEY: slipRefused("The slip is signed with a key this kiosk does not trust"),
  SLIP_SIGNATURE_INVALID: slipRefused("The slip's signature does not verify"),
  SLIP_WRONG_OFFICE: slipRefused("Another office issued the slip"),
  SLIP_EXPIRED: slipRefused("The slip's last day of payment has passed"),
  SLIP_TOTAL_MISMATCH: slipRefused("The slip's lines do not add up to its total"),
  SLIP_UNKNOWN_COMPONENT: slipRefused("A fee on the slip is not configured here"),
  SLIP_ALREADY_PAID: slipRefused("The slip has already been paid"),
  SLIP_CANCELLED: slipRefused("The office system says the slip was cancelled"),
  SLIP_AMOUNT_CHANGED: slipRefused("The office system holds another amount for the slip"),
  SLIP_CHECK_UNAVAILABLE: slipRefused("The office system cannot be asked about the slip"),
  ...SHARED_PROBLEMS,
  DEVICE_UNAVAILABLE: { status: 503, title: "A device is unavailable" },
  PRINTER_UNAVAILABLE: { status: 503, title: "The receipt printer is not ready" },
} as const satisfies Record<KioskProblemCode, Omit<ProblemKind, "code">>;

/**
 * A refusal whose circumstance changes its status but not its code: a slip paid by someone else
 * after its summary was shown is a conflict with the state (409), a PIN locked out is a wait (429).
 */
export const BY_REASON = {
  changed_meanwhile: { status: 409 },
  locked_out: { status: 429 },
} as const satisfies Record<RefusalReason, { status: number }>;

/** Refusals of the HTTP layer itself, before any part of the kiosk is asked. */
export const HTTP_PROBLEMS = {
  /** A body or query that fails the route's schema. */
  INVALID_REQUEST: { code: "VALIDATION", status: 400, title: "The request is not valid" },
  BODY_TOO_LARGE: { code: "VALIDATION", status: 413, title: "The request body is too large" },
  UNSUPPORTED_MEDIA_TYPE: { code: "VALIDATION", status: 415, title: "Send application/json" },
  /** The loopback listener's Host check (SPEC §4). */
  MISDIRECTED: { code: "VALIDATION", status: 421, title: "Misdirected request" },
  /** The loopback listener's Origin / Sec-Fetch-Site check (SPEC §4). */
  CROSS_SITE: { code: "UNAUTHORIZED", status: 403, title: "Cross-site request refused" },
  /** The service and admin routes' rate limit. */
  TOO_MANY_REQUESTS: { code: "UNAUTHORIZED", status: 429, title: "Too many requests" },
  NO_ROUTE: { code: "NOT_FOUND", status: 404, title: "Not found" },
} as const satisfies Record<string, ProblemKind<KioskProblemCode>>;

export type HttpProblem = keyof typeof HTTP_PROBLEMS;

export const KIOSK_PROBLEMS = problemCatalogue<KioskProblemCode, HttpProblem>(BY_CODE, HTTP_PROBLEMS);

/** The problem a refusal with this code (and circumstance) answers. */
export function refusalKind(code: KioskProblemCode, reason?: RefusalReason): ProblemKind<KioskProblemCode> {
  const kind = KIOSK_PROBLEMS.kind(code);
  return reason ? { ...kind, status: BY_REASON[reason].status } : kind;
}
