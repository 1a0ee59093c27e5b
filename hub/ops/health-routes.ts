/**
 * `GET /health` (the process listens), `GET /ready` (the database answers: 503 when the primary is
 * gone, so kiosks keep their messages in their outbox and retry), `GET /metrics` (Prometheus).
 */
import type { FastifyInstance } from "fastify";
import { type HubDb, schemaReadable } from "../store/db.ts";
import type { HubMetrics } from "./metrics.ts";

export async function databaseAnswers(db: HubDb, timeoutMs = 2_000): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      schemaReadable(db),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

export async function healthRoutes(
  app: FastifyInstance,
  deps: { db: HubDb; metrics: HubMetrics; version: string },
) {
  const { db, metrics } = deps;
  app.get("/health", async () => ({ status: "pass", version: deps.version }));
  app.get("/ready", async (_request, reply) => {
    const problem = await databaseAnswers(db);
    const time = new Date().toISOString();
    const check = problem
      ? { status: "fail", output: problem, time }
      : { status: "pass", time, componentType: "datastore" };
    return reply
      .code(problem ? 503 : 200)
      .type("application/health+json")
      .send({ status: problem ? "fail" : "pass", checks: { "database:reachable": [check] } });
  });
  app.get("/metrics", async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
