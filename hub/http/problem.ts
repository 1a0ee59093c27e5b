/**
 * RFC 9457 problem details with the SPEC's extra `code` member: every error the hub answers has this
 * shape, whatever failed (ingest, staff API, body parsing).
 */
import type { FastifyReply } from "fastify";
import { type Problem, problemBody } from "../../contracts/problem.ts";

export { type Problem, problemBody } from "../../contracts/problem.ts";

/** A refusal decided by the hub's rules; thrown inside a transaction so nothing of it is kept. */
export class HubRefusal extends Error {
  override readonly name = "HubRefusal";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: string,
    readonly errors?: unknown,
  ) {
    super(message);
  }

  toProblem(): Problem {
    return problemBody(this.status, this.code, this.message, this.detail, this.errors);
  }
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type("application/problem+json").send(p);
}

export function problem(
  reply: FastifyReply,
  status: number,
  code: string,
  title: string,
  detail?: string,
  errors?: unknown,
): FastifyReply {
  return sendProblem(reply, problemBody(status, code, title, detail, errors));
}
