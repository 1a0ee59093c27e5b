/**
 * Error handling shared by the service and admin route plugins: schema violations become a 400
 * VALIDATION problem and rate-limit refusals a 429, both as RFC 9457 problem+json; anything else
 * goes on to the application's own error handler.
 */
import type { FastifyError, FastifyInstance } from "fastify";
import { problem } from "../problem.ts";

export function rateLimitError(_request: unknown, context: { ttl: number; statusCode: number }): object {
  return {
    statusCode: context.statusCode,
    rateLimited: true,
    retryAfterSeconds: Math.ceil(context.ttl / 1000),
  };
}

export function useProblemErrors(app: FastifyInstance): void {
  app.setErrorHandler(
    (error: FastifyError & { rateLimited?: boolean; retryAfterSeconds?: number }, _request, reply) => {
      if (error.validation) {
        return problem(reply, "INVALID_REQUEST", { title: "Invalid request", detail: error.message });
      }
      if (error.rateLimited || error.statusCode === 429) {
        return problem(reply, "TOO_MANY_REQUESTS", {
          detail: `Try again in ${error.retryAfterSeconds ?? 60} s.`,
        });
      }
      throw error;
    },
  );
}
