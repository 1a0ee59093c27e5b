/**
 * Operations endpoints: liveness (`/health`) and readiness (`/ready`, application/health+json with
 * a check per device, the database and the outbox). No authentication; they reveal no payment data.
 */
import type { FastifyInstance } from "fastify";
import { type HealthReport, overallStatus, type Readiness } from "../../../contracts/health.ts";

export type { CheckStatus, Readiness, ReadinessCheck } from "../../../contracts/health.ts";

export interface HealthRoutesOptions {
  readiness(): Promise<Readiness>;
  version: string;
  serviceId: string;
}

export async function healthRoutes(app: FastifyInstance, opts: HealthRoutesOptions): Promise<void> {
  app.get("/health", { schema: { tags: ["operations"], summary: "Liveness" } }, async () => ({
    status: "pass",
  }));

  app.get(
    "/ready",
    { schema: { tags: ["operations"], summary: "Readiness (application/health+json)" } },
    async (_req, reply) => {
      const checks = await opts.readiness();
      const status = overallStatus(checks);
      const body: HealthReport = { status, version: opts.version, serviceId: opts.serviceId, checks };
      return reply
        .code(status === "fail" ? 503 : 200)
        .type("application/health+json")
        .send(body);
    },
  );
}
