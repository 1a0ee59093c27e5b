/**
 * A fastify application for one listener (SPEC §3/§4): one plugin per concern (visitor API,
 * operations, service, admin, UI), each receiving its dependencies through options, in the spirit
 * of fastify's encapsulation. The loopback listener serves the UI and guards itself against other
 * web pages; the management listener serves operations, the admin API and the API docs.
 */
import fs from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from "fastify";
import { fastifyLogging, logEachRequest } from "../../contracts/logging.ts";
import type { Logger } from "../ops/logger.ts";
import { recordRoutes, serveApiDocs } from "./api-docs.ts";
import { lazySchemaController } from "./lazy-schema-compilers.ts";
import { installLoopbackGuard } from "./loopback-guard.ts";
import { installProblemHandlers } from "./problem.ts";
import {
  installSecurityHeaders,
  MANAGEMENT_CONTENT_SECURITY_POLICY,
  UI_CONTENT_SECURITY_POLICY,
} from "./security-headers.ts";

export const BODY_LIMIT = 64 * 1024;

export interface AppOptions {
  logger: Logger;
  /** Which listener this application answers on. */
  listener: "loopback" | "management";
  /** Management only: serve HTTPS with this PEM certificate and key. */
  https?: { cert: string; key: string };
  /** Management only: the loopback application, whose routes the API docs describe too. */
  documents?: () => FastifyInstance;
  /**
   * Publish the OpenAPI description at `/api/docs` (SPEC §4): the management listener does; the
   * loopback listener only when there is no management listener, like health and metrics (SPEC §3).
   */
  docs?: boolean;
  /** Directory of the built UI (ui/dist); served at `/` when it exists. */
  uiDir?: string;
  /** Route plugins with their options, registered in order. */
  plugins: RoutePlugin[];
}

/** A route plugin with its options, as the composition root lists them. */
export interface RoutePlugin {
  plugin: FastifyPluginAsync<never>;
  options: object;
}

/** Pairs a route plugin with its options, the options checked against the plugin's type. */
export function route<O extends object>(
  plugin: (app: FastifyInstance, options: O) => Promise<void>,
  options: O & { prefix?: string },
): RoutePlugin {
  return { plugin: plugin as unknown as FastifyPluginAsync<never>, options };
}

/**
 * A JSON request with an empty body has no body, rather than a malformed one: generic HTTP clients
 * send `Content-Type: application/json` on every POST, also to the routes SPEC §4 gives no body
 * (`/api/session/pay`, `/api/session/cancel`). A route whose schema needs a body still refuses it.
 */
function acceptEmptyJsonBodies(app: FastifyInstance): void {
  // A "__proto__" or "constructor.prototype" key is valid JSON: refused ("error") it was a 400, while
  // SPEC §1 answers any scan payload that cannot be a slip 422 SLIP_UNREADABLE, never 400. Removed by
  // the parser, it still never reaches an object's prototype.
  const parseJson = app.getDefaultJsonParser("remove", "remove");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text === "") {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(opts.https ? { https: opts.https } : {}),
    // Requests are logged once, on response (logEachRequest below), in the hub's style too.
    ...fastifyLogging(opts.logger),
    bodyLimit: BODY_LIMIT,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true, useDefaults: false },
    },
    // Each route's schemas are compiled when the route is first called, not all at start.
    schemaController: lazySchemaController,
  });
  installProblemHandlers(app);
  acceptEmptyJsonBodies(app);
  const loopback = opts.listener === "loopback";
  if (loopback) installLoopbackGuard(app);
  installSecurityHeaders(app, loopback ? UI_CONTENT_SECURITY_POLICY : MANAGEMENT_CONTENT_SECURITY_POLICY);
  // The event stream and the screen's heartbeat would fill the log with one line every few seconds.
  logEachRequest(app, (url) => url.startsWith("/api/events") || url.startsWith("/api/screen/heartbeat"));
  // Both listeners note their routes; the management listener publishes their description, the
  // loopback listener its own when it is the only one. Built at the first request (api-docs.ts).
  recordRoutes(app);
  const documents = opts.documents;
  if (opts.docs ?? !loopback) serveApiDocs(app, () => (documents ? [documents(), app] : [app]));
  for (const { plugin, options } of opts.plugins) {
    await app.register(plugin as FastifyPluginAsync<object>, options);
  }
  if (!loopback) return app;
  const ui = opts.uiDir;
  if (ui && fs.existsSync(path.join(ui, "index.html"))) {
    await app.register(fastifyStatic, {
      root: path.resolve(ui),
      prefix: "/",
      index: "index.html",
      wildcard: true,
    });
  } else {
    app.get("/", async (_req, reply) =>
      reply.type("text/plain; charset=utf-8").send("oplatomat: the UI is not built (npm run build:ui)\n"),
    );
  }
  return app;
}
