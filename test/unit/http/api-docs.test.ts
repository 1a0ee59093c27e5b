/**
 * The API description built at its first request (kiosk/http/api-docs.ts, issue 17): it describes
 * the routes of both listeners once each, serves the page and its files, and a description that
 * cannot be built fails that request loudly (a logged 500 problem) and is tried again at the next.
 */
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { recordRoutes, serveApiDocs } from "../../../kiosk/http/api-docs.ts";
import { installProblemHandlers } from "../../../kiosk/http/problem.ts";

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

const logged: string[] = [];
const log = { write: (line: string) => void logged.push(line) };

function listener(routes: (app: FastifyInstance) => void): FastifyInstance {
  const app = Fastify({ logger: { level: "error", stream: log } });
  apps.push(app);
  installProblemHandlers(app);
  recordRoutes(app);
  routes(app);
  return app;
}

const health = (summary: string) => ({ schema: { summary } }) as const;

function pair(): { loopback: FastifyInstance; management: FastifyInstance } {
  const loopback = listener((app) => {
    app.post(
      "/api/scan",
      { schema: { body: { type: "object", properties: { payload: { type: "string" } } } } },
      async () => ({}),
    );
    app.get("/health", health("loopback health"), async () => ({}));
  });
  const management = listener((app) => {
    app.get("/api/admin/payments", async () => []);
    app.get("/health", health("management health"), async () => ({}));
  });
  return { loopback, management };
}

describe("the API description at /api/docs", () => {
  it("describes both listeners' routes once each, the publishing listener's own description winning", async () => {
    const { loopback, management } = pair();
    serveApiDocs(management, () => [loopback, management]);
    const answer = await management.inject("/api/docs/json");
    expect(answer.statusCode).toBe(200);
    const doc = answer.json() as {
      paths: Record<string, { get?: { summary?: string }; post?: { requestBody?: unknown } }>;
    };
    expect(Object.keys(doc.paths).sort()).toEqual(["/api/admin/payments", "/api/scan", "/health"]);
    expect(doc.paths["/health"]?.get?.summary).toBe("management health");
    expect(doc.paths["/api/scan"]?.post?.requestBody).toBeDefined();
  });

  it("serves the page and its files from the documentation application", async () => {
    const { loopback, management } = pair();
    serveApiDocs(management, () => [loopback, management]);
    const page = await management.inject("/api/docs");
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/text\/html/);
    const css = await management.inject("/api/docs/static/swagger-ui.css");
    expect(css.statusCode).toBe(200);
    expect(css.body.length).toBeGreaterThan(1000);
    expect((await management.inject("/api/docs/static/nothing-here.js")).statusCode).toBe(404);
  });

  it("answers /api/docs itself with the OpenAPI document to a client that asks for JSON or YAML", async () => {
    const { loopback, management } = pair();
    serveApiDocs(management, () => [loopback, management]);
    for (const accept of [
      "application/json",
      "application/vnd.oai.openapi+json",
      "application/json, */*;q=0.5",
    ]) {
      const doc = await management.inject({ url: "/api/docs", headers: { accept } });
      expect(doc.statusCode, accept).toBe(200);
      expect(doc.headers["content-type"], accept).toMatch(/application\/json/);
      expect((doc.json() as { openapi: string }).openapi, accept).toMatch(/^3\./);
    }
    const yaml = await management.inject({ url: "/api/docs", headers: { accept: "application/yaml" } });
    expect(yaml.statusCode).toBe(200);
    expect(yaml.body).toMatch(/^openapi: /m);
    // A browser, and a client that takes anything, still get the page.
    for (const accept of ["text/html,application/xhtml+xml,*/*;q=0.8", "*/*"]) {
      const page = await management.inject({ url: "/api/docs", headers: { accept } });
      expect(page.headers["content-type"], accept).toMatch(/text\/html/);
    }
  });

  it("answers a description that cannot be built with a logged 500 problem, and tries again next time", async () => {
    const { loopback, management } = pair();
    // GET /health twice under different keys (GET,POST and GET): the documentation app refuses it.
    const clash = listener((app) => {
      app.route({ method: ["GET", "POST"], url: "/health", handler: async () => ({}) });
    });
    let broken = true;
    serveApiDocs(management, () => (broken ? [loopback, clash, management] : [loopback, management]));
    const failed = await management.inject("/api/docs/json");
    expect(failed.statusCode).toBe(500);
    expect(failed.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(logged.join("")).toMatch(/the API documentation could not be built/);
    broken = false;
    expect((await management.inject("/api/docs/json")).statusCode).toBe(200);
  });
});
