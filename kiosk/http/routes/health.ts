/**
 * Operations endpoints: liveness (`/health`) and readiness (`/ready`, application/health+json with
 * a check per device, the database and the outbox). No authentication; they reveal no payment data.
 */
import type { FastifyInstance } from "fastify";

export type CheckStatus = "pass" | "warn" | "fail";

export interface ReadinessCheck {
  componentType: "device" | "datastore" | "component";
  status: CheckStatus;
  observedValue?: string | number;
  observedUnit?: string;
  output?: string;
  time: string;
}

export type Readiness = Record<string, ReadinessCheck[]>;

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
      const all = Object.values(checks).flat();
      const status: CheckStatus = all.some((c) => c.status === "fail")
        ? "fail"
        : all.some((c) => c.status === "warn")
          ? "warn"
          : "pass";
      return reply
        .code(status === "fail" ? 503 : 200)
        .type("application/health+json")
        .send({ status, version: opts.version, serviceId: opts.serviceId, checks });
    },
  );
}
