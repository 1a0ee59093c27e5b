/**
 * The fastify application: one plugin per concern (visitor API, operations, service, admin, UI),
 * each receiving its dependencies through options, in the spirit of fastify's encapsulation.
 */
import fs from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
} from "fastify";
import { type Logger, requestIdOptions } from "../ops/logger.ts";
import { installProblemHandlers } from "./problem.ts";

export const BODY_LIMIT = 64 * 1024;

export interface AppOptions {
  logger: Logger;
  /** Directory of the built UI (ui/dist); served at `/` when it exists. */
  uiDir?: string;
  /** Route plugins with their options, registered in order. */
  plugins: Array<{ plugin: FastifyPluginAsync<never>; options: object }>;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    // Requests are logged once, on response, by the hook below.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdOptions.genReqId,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true, useDefaults: false },
    },
  });
  installProblemHandlers(app);
  app.addHook("onResponse", (request, reply, done) => {
    if (!request.url.startsWith("/api/events")) {
      request.log.info(
        {
          method: request.method,
          url: request.url.split("?")[0],
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        "request",
      );
    }
    done();
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: "oplatomat", description: "Payment kiosk daemon API (see SPEC.md §4)", version: "1" },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/api/docs" });
  for (const { plugin, options } of opts.plugins) {
    await app.register(plugin as FastifyPluginAsync<object>, options);
  }
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
