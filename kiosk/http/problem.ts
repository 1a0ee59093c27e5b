/**
 * RFC 9457 problem details with the SPEC's extra `code` member. Every error the API returns goes
 * through here, so clients see one shape whatever failed.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { problemBody } from "../../contracts/problem.ts";
import { FlowError } from "../flow/errors.ts";

export type { PaidSlipInfo, Problem } from "../../contracts/problem.ts";

export function problem(
  reply: FastifyReply,
  status: number,
  code: string,
  title: string,
  detail?: string,
  errors?: unknown,
  extra?: Record<string, unknown>,
): FastifyReply {
  return reply
    .code(status)
    .type("application/problem+json")
    .send({ ...extra, ...problemBody(status, code, title, detail, errors) });
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
      return problem(reply, error.status, error.code, error.message, undefined, error.details, error.extra);
    }
    const fe = error as FastifyError;
    if (fe.validation) {
      return problem(reply, 400, "VALIDATION", "The request is not valid", fe.message, fe.validation);
    }
    if (fe.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      return problem(reply, 413, "VALIDATION", "The request body is too large");
    }
    if (fe.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      return problem(reply, 415, "VALIDATION", "Send application/json");
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      const code =
        fe.statusCode === 401 ? "UNAUTHORIZED" : fe.statusCode === 404 ? "NOT_FOUND" : "VALIDATION";
      return problem(reply, fe.statusCode, code, fe.message);
    }
    request.log.error({ err: error }, "request failed");
    return problem(reply, 500, "INTERNAL", "Internal error");
  });
  app.setNotFoundHandler((request, reply) =>
    problem(reply, 404, "NOT_FOUND", "Not found", `${request.method} ${request.url.split("?")[0]}`),
  );
}
