/**
 * RFC 9457 problem details with the SPEC's extra `code` member. Every error the API returns goes
 * through here, so clients see one shape whatever failed.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import type { ProblemKind, ProblemOptions } from "../../contracts/problem.ts";
import type { KioskProblemCode } from "../../contracts/error-codes.ts";
import { FlowError } from "../flow/errors.ts";
import { type HttpProblem, KIOSK_PROBLEMS, refusalKind } from "./errors.ts";

export type { PaidSlipInfo, Problem } from "../../contracts/problem.ts";

/** Answers with a problem of the catalogue (kiosk/http/errors.ts): a code, or a refusal of the HTTP layer. */
export function problem(
  reply: FastifyReply,
  which: KioskProblemCode | HttpProblem | ProblemKind<KioskProblemCode>,
  options: ProblemOptions = {},
): FastifyReply {
  const body = KIOSK_PROBLEMS.body(which, options);
  return reply.code(body.status).type("application/problem+json").send(body);
}

export const problemSchema = {
  type: "object",
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    code: { type: "string" },
    detail: { type: "string" },
    errors: {},
    paid: {
      type: "object",
      properties: {
        paidAt: { type: "string" },
        kiosk: { type: "string" },
        total: { type: "integer" },
        reprint: { type: "boolean" },
      },
    },
  },
  required: ["type", "title", "status", "code"],
} as const;

/** Maps schema failures, oversized or malformed bodies and flow refusals to problems. */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | FlowError | Error, request, reply) => {
    if (error instanceof FlowError) {
      return problem(reply, refusalKind(error.code, error.reason), {
        title: error.message,
        errors: error.details,
        extra: error.extra,
      });
    }
    const fe = error as FastifyError;
    if (fe.validation) {
      return problem(reply, "INVALID_REQUEST", { detail: fe.message, errors: fe.validation });
    }
    if (fe.code === "FST_ERR_CTP_BODY_TOO_LARGE") return problem(reply, "BODY_TOO_LARGE");
    if (fe.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return problem(reply, "UNSUPPORTED_MEDIA_TYPE");
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      // Fastify's own refusals (a malformed body, an unknown method): the status is fastify's.
      const code =
        fe.statusCode === 401 ? "UNAUTHORIZED" : fe.statusCode === 404 ? "NOT_FOUND" : "VALIDATION";
      return problem(reply, { code, status: fe.statusCode, title: fe.message });
    }
    request.log.error({ err: error }, "request failed");
    return problem(reply, "INTERNAL");
  });
  app.setNotFoundHandler((request, reply) =>
    problem(reply, "NO_ROUTE", { detail: `${request.method} ${request.url.split("?")[0]}` }),
  );
}
