/** `POST /api/offices/{office}/statements`: an MT940 file matched against what the hub expects. */
import type { FastifyInstance } from "fastify";
import { problem } from "../http/problem.ts";
import type { StaffDeps } from "../staff/report-routes.ts";
import { officeGuard, staffAuth } from "../staff/access.ts";

export async function statementRoutes(app: FastifyInstance, deps: StaffDeps): Promise<void> {
  const { config, db } = deps;
  app.post(
    "/api/offices/:office/statements",
    { preHandler: staffAuth(config, db), bodyLimit: 5 * 1024 * 1024 },
    async (request, reply) => {
      const { office } = request.params as { office: string };
      if (!officeGuard(config, request, reply, office)) return reply;
      return problem(reply, 501, "NOT_IMPLEMENTED", "Statement matching is not there yet");
    },
  );
}
