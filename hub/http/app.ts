/**
 * The hub's fastify app: problem+json for every error (truncated JSON 400, oversized 413, database
 * gone 503), the ingest routes, the staff API, health and metrics, and the back-office page. It logs as
 * the kiosk does (contracts/logging.ts): one line per request, its path without the query.
 */
import rateLimit from "@fastify/rate-limit";
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
} from "fastify";
import { fastifyLogging, logEachRequest } from "../../contracts/logging.ts";
import type { Logger } from "../ops/logger.ts";
import { problem } from "./problem.ts";

/** Errors of a database that is not there (connection refused, shut down, failover in progress). */
export function isDatabaseDown(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === "string" ? e.code : "";
  if (
    [
      "ECONNREFUSED",
      "ECONNRESET",
      "ETIMEDOUT",
      "EPIPE",
      "ENOTFOUND",
      "57P01",
      "57P02",
      "57P03",
      "08006",
      "08001",
      "08003",
      "25006",
      // The server ended the session on a timeout of its own (idle_session_timeout,
      // idle_in_transaction_session_timeout): the next request gets a new connection.
      "57P05",
      "25P03",
      // max_connections reached (the rest kept for superusers): the device tries again later.
      "53300",
      // The server's statement_timeout or lock_timeout cancelled a statement (someone else's long lock,
      // a DBA's maintenance): nothing was committed, the device tries again later.
      "57014",
      "55P03",
    ].includes(code)
  )
    return true;
  const message = typeof e?.message === "string" ? e.message : "";
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable/i.test(
    message,
  );
}

export function createHubApp(options: { logger?: Logger; https?: object }): FastifyInstance {
  const app = Fastify({
    ...(options.https ? { https: options.https } : {}),
    // No logger: a hub whose log nobody reads (the in-process tests that do not ask for one).
    ...(options.logger ? fastifyLogging(options.logger) : { logger: false }),
    bodyLimit: 1024 * 1024,
    // The router's own refusals (a broken percent-escape, a path segment over 100 characters) are
    // problems too: fastify's default body for them is not RFC 9457.
    frameworkErrors: (error: FastifyError, _request: unknown, reply: FastifyReply) =>
      error.code === "FST_ERR_MAX_PARAM_LENGTH"
        ? problem(reply, "URI_TOO_LONG")
        : problem(reply, "INVALID_REQUEST", { title: "The request's path is not valid" }),
  } as FastifyServerOptions) as unknown as FastifyInstance;
  logEachRequest(app);
  // MT940 statements arrive as the bank's plain text file.
  app.addContentTypeParser(
    ["text/plain", "application/octet-stream"],
    { parseAs: "buffer", bodyLimit: 5 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation)
      return problem(reply, "INVALID_REQUEST", { detail: error.message, errors: error.validation });
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") return problem(reply, "PAYLOAD_TOO_LARGE");
    if (
      error.code === "FST_ERR_CTP_INVALID_JSON_BODY" ||
      error.code === "FST_ERR_CTP_EMPTY_JSON_BODY" ||
      error instanceof SyntaxError
    )
      return problem(reply, "MALFORMED_JSON", { detail: error.message });
    if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return problem(reply, "UNSUPPORTED_MEDIA_TYPE");
    if (isDatabaseDown(error)) {
      request.log.error({ err: error }, "database unavailable");
      return problem(reply, "DATABASE_UNAVAILABLE");
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own refusals (a rate limit, an unknown method): the status is fastify's.
      const code = error.statusCode === 429 ? "RATE_LIMITED" : "VALIDATION";
      return problem(reply, { code, status: error.statusCode, title: error.message });
    }
    request.log.error({ err: error }, "request failed");
    return problem(reply, "INTERNAL");
  });
  app.setNotFoundHandler((_request, reply) => problem(reply, "NO_ROUTE"));
  void app.register(rateLimit, { global: false });
  return app;
}
