/**
 * Routes staff use to act on what waits for them, shared by the service API (technicians) and the
 * admin API (office staff): the outbox's pending and parked messages with their last error and a
 * requeue action (as written, or with the accounts from the configuration after a preview of its
 * changes), and the alarms (payment_conflict, end_of_day_mismatch) with an acknowledgement.
 * Registered inside each API's authenticated scope; every request is audited there.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { BackendError } from "../../service/errors.ts";
import type { AuditWriter, StaffOperationsBackend } from "../../service/ports.ts";
import type { RequeueResult } from "../../store/outbox.ts";
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

/** Why no message went back in line: those not parked, and those left parked with the reason. */
function nothingRequeued(result: RequeueResult): string {
  return [
    ...(result.notParked.length > 0 ? [`not parked: ${result.notParked.join(", ")}`] : []),
    ...result.refused.map((r) => `left parked: ${r.id}: ${r.reason}`),
  ].join("; ");
}

export function staffOperationsRoutes(app: FastifyInstance, options: StaffOperationsOptions): void {
  outboxRoutes(app, options);
  alarmRoutes(app, options);
}

/** The outbox: its messages, a preview of a requeue with the accounts from the configuration, the requeue. */
function outboxRoutes(app: FastifyInstance, options: StaffOperationsOptions): void {
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

  // What a requeue with the accounts from the configuration would change (the console shows it
  // before the technician confirms): the message's changes from → to, and the payment's records.
  app.get<{ Querystring: { id: string } }>(
    "/outbox/accounts",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { id: MESSAGE_ID },
          required: ["id"],
        },
      },
    },
    async (request, reply) =>
      audited(
        audit,
        reply,
        { actor: options.actor(request), action: `${scope}.outbox.accounts_view`, target: request.query.id },
        () => backend.previewAccounts(request.query.id),
      ),
  );

  app.post<{ Body: { ids: string[]; accountsFromConfig?: boolean } }>(
    "/outbox/requeue",
    {
      schema: {
        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            ids: { type: "array", minItems: 1, maxItems: 100, items: MESSAGE_ID },
            accountsFromConfig: { type: "boolean" },
          },
          required: ["ids"],
        },
      },
    },
    async (request, reply) => {
      const actor = options.actor(request);
      const { ids, accountsFromConfig = false } = request.body;
      return audited(
        audit,
        reply,
        {
          actor,
          action: `${scope}.outbox.requeue`,
          target: null,
          details: { ids, ...(accountsFromConfig ? { accountsFromConfig } : {}) },
        },
        () => {
          const result = backend.requeue(ids, actor, { accountsFromConfig });
          if (result.requeued.length === 0) throw new BackendError("CONFLICT", nothingRequeued(result));
          return result;
        },
      );
    },
  );
}

/** The alarms staff must act on, and their acknowledgement. */
function alarmRoutes(app: FastifyInstance, options: StaffOperationsOptions): void {
  const { backend, audit, scope } = options;

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
