/**
 * Routes staff use to act on what waits for them, shared by the service API (technicians) and the
 * admin API (office staff): the outbox's pending and parked messages with their last error and a
 * requeue action, and the alarms (payment_conflict, end_of_day_mismatch) with an acknowledgement.
 * Registered inside each API's authenticated scope; every request is audited there.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { BackendError } from "../../service/errors.ts";
import type { AuditWriter, StaffOperationsBackend } from "../../service/ports.ts";
import { audited } from "./audited.ts";

/** What a group of routes shared by the service and admin APIs is given inside each API's scope. */
export interface SharedStaffRouteOptions<Backend> {
  backend: Backend;
  audit: AuditWriter;
  /** `service` or `admin`: the audit actions' prefix. */
  scope: "service" | "admin";
  actor(request: FastifyRequest): string;
}

export type StaffOperationsOptions = SharedStaffRouteOptions<StaffOperationsBackend>;

const MESSAGE_ID = { type: "string", minLength: 1, maxLength: 120, pattern: "^[A-Za-z0-9._/:-]+$" } as const;

export function staffOperationsRoutes(app: FastifyInstance, options: StaffOperationsOptions): void {
  const { backend, audit, scope } = options;

  app.get<{ Querystring: { state?: "pending" | "failed" } }>(
    "/outbox",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { state: { type: "string", enum: ["pending", "failed"] } },
        },
      },
    },
    async (request, reply) =>
      audited(
        audit,
        reply,
        {
          actor: options.actor(request),
          action: `${scope}.outbox.view`,
          target: request.query.state ?? null,
        },
        () => ({ messages: backend.outbox(request.query.state) }),
      ),
  );

  app.post<{ Body: { ids: string[] } }>(
    "/outbox/requeue",
    {
      schema: {
        body: {
          type: "object",
          additionalProperties: false,
          properties: { ids: { type: "array", minItems: 1, maxItems: 100, items: MESSAGE_ID } },
          required: ["ids"],
        },
      },
    },
    async (request, reply) => {
      const actor = options.actor(request);
      return audited(
        audit,
        reply,
        { actor, action: `${scope}.outbox.requeue`, target: null, details: { ids: request.body.ids } },
        () => {
          const result = backend.requeue(request.body.ids, actor);
          if (result.requeued.length === 0)
            throw new BackendError("CONFLICT", `not parked: ${result.notParked.join(", ")}`);
          return result;
        },
      );
    },
  );

  app.get("/alarms", async (request, reply) =>
    audited(
      audit,
      reply,
      { actor: options.actor(request), action: `${scope}.alarms.view`, target: null },
      () => backend.alarms(),
    ),
  );

  app.post<{ Params: { id: string }; Body: { note?: string } }>(
    "/alarms/:id/acknowledge",
    {
      schema: {
        params: {
          type: "object",
          properties: { id: { type: "string", pattern: "^[1-9][0-9]{0,9}$" } },
          required: ["id"],
        },
        body: {
          type: ["object", "null"],
          additionalProperties: false,
          properties: { note: { type: "string", maxLength: 500 } },
        },
      },
    },
    async (request, reply) => {
      const actor = options.actor(request);
      const note = request.body?.note ?? "";
      return audited(
        audit,
        reply,
        { actor, action: `${scope}.alarm.acknowledge`, target: request.params.id, details: { note } },
        () => backend.acknowledgeAlarm(Number(request.params.id), actor, note),
      );
    },
  );
}
