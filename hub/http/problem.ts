/**
 * RFC 9457 problem details with the SPEC's extra `code` member: every error the hub answers has this
 * shape, whatever failed (ingest, staff API, body parsing); codes and statuses are hub/http/errors.ts.
 */
import type { FastifyReply } from "fastify";
import type { HubProblemCode } from "../../contracts/error-codes.ts";
import type { Problem, ProblemKind, ProblemOptions } from "../../contracts/problem.ts";
import { HUB_PROBLEMS, type HubHttpProblem } from "./errors.ts";

export { type Problem, problemBody } from "../../contracts/problem.ts";

/** A refusal decided by the hub's rules; thrown inside a transaction so nothing of it is kept. */
export class HubRefusal extends Error {
  override readonly name = "HubRefusal";
  constructor(
    readonly code: HubProblemCode,
    message: string,
    readonly detail?: string,
    readonly errors?: unknown,
  ) {
    super(message);
  }

  get status(): number {
    return HUB_PROBLEMS.kind(this.code).status;
  }

  toProblem(): Problem {
    return HUB_PROBLEMS.body(this.code, { title: this.message, detail: this.detail, errors: this.errors });
  }
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type("application/problem+json").send(p);
}

/** Answers with a problem of the catalogue: a code, or a refusal of the HTTP layer. */
export function problem(
  reply: FastifyReply,
  which: HubProblemCode | HubHttpProblem | ProblemKind<HubProblemCode>,
  options: ProblemOptions = {},
): FastifyReply {
  return sendProblem(reply, HUB_PROBLEMS.body(which, options));
}
