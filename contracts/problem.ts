/**
 * RFC 9457 problem details with the SPEC's extra `code` member (SPEC §4): the one error shape of the
 * kiosk's API and the hub's, built here so both write it the same way.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: unknown;
  /** SPEC §1a: where and when a slip this office holds as paid was paid. */
  paid?: PaidSlipInfo;
}

export interface PaidSlipInfo {
  paidAt: string;
  kiosk: string;
  total: number;
  reprint: boolean;
}

export function problemBody(
  status: number,
  code: string,
  title: string,
  detail?: string,
  errors?: unknown,
): Problem {
  const body: Problem = { type: `urn:oplatomat:problem:${code.toLowerCase()}`, title, status, code };
  if (detail) body.detail = detail;
  if (errors !== undefined) body.errors = errors;
  return body;
}

/** One kind of problem: the code on the wire, its HTTP status, and the title unless the thrower says more. */
export interface ProblemKind<C extends string = string> {
  code: C;
  status: number;
  title: string;
}

/** What a problem says beyond its kind: a sentence of its own, the detail, the failures, extra members. */
export interface ProblemOptions {
  title?: string;
  detail?: string;
  errors?: unknown;
  /** Members beside `code` (e.g. `paid` of SPEC §1a). */
  extra?: Record<string, unknown>;
}

/**
 * The codes the kiosk and the hub share, with one status each in both: a client reads a 409
 * CONFLICT alike from either. Each service's catalogue spreads these and adds its own.
 */
export const SHARED_PROBLEMS = {
  VALIDATION: { status: 422, title: "The request is not valid" },
  NOT_FOUND: { status: 404, title: "Not found" },
  CONFLICT: { status: 409, title: "Conflict" },
  UNAUTHORIZED: { status: 401, title: "Not authorised" },
  INTERNAL: { status: 500, title: "Internal error" },
} as const satisfies Record<string, Omit<ProblemKind, "code">>;

/**
 * A service's problems as one catalogue (after fastify's `createError`): each code's status and
 * title, exhaustive over the code union, and the HTTP layer's own refusals under their own names
 * (a 413 or a 421 still carries a code of the union on the wire).
 */
export function problemCatalogue<C extends string, H extends string>(
  byCode: Record<C, Omit<ProblemKind<C>, "code">>,
  http: Record<H, ProblemKind<C>>,
) {
  const kind = (which: C | H | ProblemKind<C>): ProblemKind<C> => {
    if (typeof which === "object") return which;
    if (Object.hasOwn(http, which)) return http[which as H];
    return { code: which as C, ...byCode[which as C] };
  };
  const body = (which: C | H | ProblemKind<C>, options: ProblemOptions = {}): Problem => {
    const k = kind(which);
    const p = problemBody(k.status, k.code, options.title ?? k.title, options.detail, options.errors);
    return { ...options.extra, ...p };
  };
  return { kind, body };
}
