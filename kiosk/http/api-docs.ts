/**
 * The API's OpenAPI description at `/api/docs` on the management listener (SPEC §4), built at its
 * first request instead of at start (issue 17). Registering @fastify/swagger and its page on both
 * applications took ~65 ms of CPU of a ~420 ms start: swagger hooks every route as it is added and
 * its page's plugin reads its files at registration, all for a page a technician opens now and then.
 *
 * At start each application only notes its routes' method, URL and schema (`recordRoutes`, a plain
 * onRoute hook). The first request to `/api/docs…` builds a separate, never-listening fastify
 * application with swagger, the page and a stand-in for every noted route, and the request is
 * answered by it (`inject`); later requests reuse it. If that fails the request fails loudly: the
 * problem handler logs it and answers 500, and the next request tries again.
 */
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RouteOptions,
} from "fastify";
import { lazySchemaController } from "./lazy-schema-compilers.ts";

export const API_DOCS_PREFIX = "/api/docs";

interface NotedRoute {
  method: RouteOptions["method"];
  url: string;
  schema: RouteOptions["schema"];
}

const noted = new WeakMap<FastifyInstance, NotedRoute[]>();

/** Notes every route added to `app` from now on (call it before the routes are registered). */
export function recordRoutes(app: FastifyInstance): void {
  const routes: NotedRoute[] = [];
  noted.set(app, routes);
  app.addHook("onRoute", (route) => {
    if (!route.url.startsWith(API_DOCS_PREFIX)) {
      routes.push({ method: route.method, url: route.url, schema: route.schema });
    }
  });
}

/**
 * The routes of `apps` as one list, each method and URL once: where two applications have the same
 * route (health, metrics), the later application's description is kept.
 */
function routesOf(apps: FastifyInstance[]): NotedRoute[] {
  const byKey = new Map<string, NotedRoute>();
  for (const app of apps) {
    for (const route of noted.get(app) ?? []) {
      const methods = [route.method].flat().sort().join(",");
      byKey.set(`${methods} ${route.url}`, route);
    }
  }
  return [...byKey.values()];
}

const standIn = async (): Promise<never> => {
  throw new Error("the API documentation application serves no routes");
};

/** A fastify application that describes `apps`' routes and serves the page at /api/docs. */
async function documentationApp(apps: FastifyInstance[], page: boolean): Promise<FastifyInstance> {
  const { default: fastifySwagger } = await import("@fastify/swagger");
  const docs = Fastify({ exposeHeadRoutes: false, schemaController: lazySchemaController });
  await docs.register(fastifySwagger, {
    openapi: {
      info: { title: "oplatomat", description: "Payment kiosk daemon API (see SPEC.md §4)", version: "1" },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    },
  });
  if (page) {
    const { default: fastifySwaggerUi } = await import("@fastify/swagger-ui");
    await docs.register(fastifySwaggerUi, { routePrefix: API_DOCS_PREFIX });
  }
  for (const route of routesOf(apps)) {
    docs.route({
      method: route.method,
      url: route.url,
      ...(route.schema ? { schema: route.schema } : {}),
      handler: standIn,
    });
  }
  await docs.ready();
  return docs;
}

/** The OpenAPI document of `apps`' routes (the fuzz tests read the published body schemas from it). */
export async function openApiDocument(apps: FastifyInstance[]): Promise<unknown> {
  const docs = await documentationApp(apps, false);
  try {
    return docs.swagger();
  } finally {
    await docs.close();
  }
}

// Set by the transport, not by the documentation application.
const NOT_FORWARDED = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "date"]);

/**
 * What `/api/docs` itself answers: the page for a browser, the OpenAPI document (JSON, or YAML) for
 * a client that asks for it by its `Accept` and not for HTML (SPEC §4: the API "is documented as
 * OpenAPI at /api/docs"; the document is also at `/api/docs/json` and `/api/docs/yaml`).
 */
export function docsTarget(url: string, accept: string | undefined): string {
  const [pathname, query] = url.split("?", 2);
  if (pathname !== API_DOCS_PREFIX && pathname !== `${API_DOCS_PREFIX}/`) return url;
  const wants = (accept ?? "").toLowerCase();
  if (wants.includes("text/html")) return url;
  const to = /\bjson\b|\+json/.test(wants) ? "json" : /yaml/.test(wants) ? "yaml" : null;
  return to ? `${API_DOCS_PREFIX}/${to}${query === undefined ? "" : `?${query}`}` : url;
}

/** Serves `/api/docs` and everything under it on `app`, describing the routes of `apps()`. */
export function serveApiDocs(app: FastifyInstance, apps: () => FastifyInstance[]): void {
  let docs: Promise<FastifyInstance> | undefined;
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    docs ??= documentationApp(apps(), true).catch((error: unknown) => {
      docs = undefined;
      throw new Error(`the API documentation could not be built: ${String(error)}`, { cause: error });
    });
    const answer = await (await docs).inject({
      method: request.method === "HEAD" ? "HEAD" : "GET",
      url: docsTarget(request.url, request.headers.accept),
      headers: { accept: request.headers.accept ?? "*/*" },
    });
    reply.code(answer.statusCode);
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !NOT_FORWARDED.has(name)) reply.header(name, value);
    }
    return reply.send(answer.rawPayload);
  };
  const hidden = { schema: { hide: true } };
  app.get(API_DOCS_PREFIX, hidden, forward);
  app.get(`${API_DOCS_PREFIX}/*`, hidden, forward);
}
