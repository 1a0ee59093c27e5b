/**
 * Service API for technicians (register with `{ prefix: "/api/service" }`). A technician logs in
 * with the service PIN (or while the service key is turned) and gets a bearer token. Every action
 * is written to the audit log before it runs — if the audit entry cannot be written the action is
 * refused — and a failure adds a second entry with its code. Everything the routes need comes
 * through `ServiceRoutesOptions`; the composition root implements `ServiceBackend`.
 */
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { rateLimitError, useProblemErrors } from "./route-errors.ts";
import type { AuditWriter, ServiceBackend, StaffOperationsBackend } from "../../service/ports.ts";
import { audited } from "./audited.ts";
import { ServiceLogin, type ServiceLoginOptions } from "./service-login.ts";
import { staffOperationsRoutes } from "./staff-operations.ts";
import { undecidedPaymentRoutes } from "./undecided-payments.ts";

export interface ServiceRoutesOptions extends ServiceLoginOptions {
  /** Requests per minute per client for all service routes (default 120) and for login (default 10). */
  rateLimit?: { max?: number; loginMax?: number; timeWindowMs?: number };
  /** How long the scanner test waits for a code (default 20 s). */
  scannerTestTimeoutMs?: number;
  /** Outbox and alarm actions (the console's "messages" and "alarms" panels). */
  operations?: StaffOperationsBackend;
}

/** What the routes behind a live token share. */
interface AuthedScope {
  backend: ServiceBackend;
  audit: AuditWriter;
  actor(request: FastifyRequest): string;
  scannerTestTimeoutMs: number;
}

/** A real calendar day: the pattern fixes the shape, `format: date` the month and day ranges. */
const DAY = { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", format: "date" } as const;
const ID = { type: "string", minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_-]+$" } as const;
const DEVICE = { type: "string", enum: ["terminal", "printer", "scanner", "gpio"] } as const;

export async function serviceRoutes(app: FastifyInstance, options: ServiceRoutesOptions): Promise<void> {
  const { backend, audit } = options;
  const windowMs = options.rateLimit?.timeWindowMs ?? 60_000;
  useProblemErrors(app);
  await app.register(rateLimit, {
    max: options.rateLimit?.max ?? 120,
    timeWindow: windowMs,
    errorResponseBuilder: rateLimitError,
  });
  const sessions = new ServiceLogin(app, options);
  sessions.watchServiceKey();

  app.post<{ Body: { pin?: string; method?: "pin" | "key" } }>(
    "/login",
    {
      config: { rateLimit: { max: options.rateLimit?.loginMax ?? 10, timeWindow: windowMs } },
      schema: {
        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            method: { type: "string", enum: ["pin", "key"] },
            pin: { type: "string", pattern: "^[0-9]{1,12}$" },
          },
        },
      },
    },
    async (request, reply) => sessions.login(request.body.method ?? "pin", request.body.pin, reply),
  );

  // Everything below needs a live token.
  app.register(async (authed) => {
    authed.addHook("onRequest", sessions.guard());
    const actor = (request: FastifyRequest): string => request.serviceActor ?? "technician#?";
    if (options.operations)
      staffOperationsRoutes(authed, { backend: options.operations, audit, scope: "service", actor });
    const scope = { backend, audit, actor, scannerTestTimeoutMs: options.scannerTestTimeoutMs ?? 20_000 };

    authed.post("/logout", async (request, reply) => {
      await audit(actor(request), "service.logout", null, {});
      sessions.logout(request);
      return reply.code(204).send();
    });
    deviceRoutes(authed, scope);
    paymentRoutes(authed, scope);
    outOfOrderRoute(authed, scope);
    undecidedPaymentRoutes(authed, { backend, audit, scope: "service", actor });
    logRoute(authed, scope);
  });
}

/** The devices, their health and tests, the terminal's diagnosis and end-of-day. */
function deviceRoutes(authed: FastifyInstance, scope: AuthedScope): void {
  const { audit, actor, backend } = scope;
  authed.get("/devices", async (request, reply) =>
    audited(audit, reply, { actor: actor(request), action: "service.devices.view", target: null }, () => ({
      devices: backend.devices(),
      outOfOrder: backend.outOfOrder(),
    })),
  );

  authed.post<{ Params: { device: string } }>(
    "/devices/:device/health",
    { schema: { params: { type: "object", properties: { device: DEVICE }, required: ["device"] } } },
    async (request, reply) =>
      audited(
        audit,
        reply,
        { actor: actor(request), action: "service.device.health", target: request.params.device },
        () => backend.checkHealth(request.params.device),
      ),
  );

  authed.post("/printer/test-print", async (request, reply) =>
    audited(
      audit,
      reply,
      { actor: actor(request), action: "service.printer.test", target: "printer" },
      async () => {
        await backend.testPrint();
        return { printed: true };
      },
    ),
  );

  authed.post("/scanner/test", async (request, reply) =>
    audited(
      audit,
      reply,
      { actor: actor(request), action: "service.scanner.test", target: "scanner" },
      async () => {
        const result = await backend.scannerTest(scope.scannerTestTimeoutMs);
        // The code itself may be a visitor's slip: show its length and start only.
        return result === null
          ? { read: false }
          : { read: true, length: result.code.length, preview: result.code.slice(0, 12) };
      },
    ),
  );

  authed.post("/terminal/diagnosis", async (request, reply) =>
    audited(
      audit,
      reply,
      { actor: actor(request), action: "service.terminal.diagnosis", target: "terminal" },
      () => backend.terminalDiagnosis(),
    ),
  );

  authed.post("/terminal/end-of-day", async (request, reply) =>
    audited(
      audit,
      reply,
      { actor: actor(request), action: "service.terminal.end_of_day", target: "terminal" },
      () => backend.endOfDay(),
    ),
  );
}

/** A receipt printed again, and a day's payments. */
function paymentRoutes(authed: FastifyInstance, scope: AuthedScope): void {
  const { audit, actor, backend } = scope;
  authed.post<{ Params: { id: string } }>(
    "/payments/:id/reprint",
    { schema: { params: { type: "object", properties: { id: ID }, required: ["id"] } } },
    async (request, reply) =>
      audited(
        audit,
        reply,
        { actor: actor(request), action: "service.receipt.reprint", target: request.params.id },
        async () => {
          await backend.reprint(request.params.id);
          return { printed: true };
        },
      ),
  );

  authed.get<{ Querystring: { day: string } }>(
    "/payments",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { day: DAY },
          required: ["day"],
        },
      },
    },
    async (request, reply) =>
      audited(
        audit,
        reply,
        { actor: actor(request), action: "service.payments.view", target: request.query.day },
        async () => ({ payments: await backend.payments(request.query.day) }),
      ),
  );
}

/** The technician puts the kiosk out of order, or back in service. */
function outOfOrderRoute(authed: FastifyInstance, scope: AuthedScope): void {
  const { audit, actor, backend } = scope;
  authed.put<{ Body: { on: boolean; reason?: string } }>(
    "/out-of-order",
    {
      schema: {
        body: {
          type: "object",
          additionalProperties: false,
          properties: { on: { type: "boolean" }, reason: { type: "string", maxLength: 200 } },
          required: ["on"],
        },
      },
    },
    async (request, reply) => {
      const reason = request.body.reason ?? (request.body.on ? "service" : "");
      return audited(
        audit,
        reply,
        {
          actor: actor(request),
          action: request.body.on ? "service.out_of_order.on" : "service.out_of_order.off",
          target: null,
          details: { reason },
        },
        () => {
          backend.setOutOfOrder(request.body.on, reason);
          return backend.outOfOrder();
        },
      );
    },
  );
}

/** The last lines of the daemon's log. */
function logRoute(authed: FastifyInstance, scope: AuthedScope): void {
  const { audit, actor, backend } = scope;
  authed.get<{ Querystring: { lines?: string } }>(
    "/logs",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { lines: { type: "string", pattern: "^[1-9][0-9]{0,2}$" } },
        },
      },
    },
    async (request, reply) => {
      const lines = Math.min(500, Number(request.query.lines ?? "100"));
      return audited(
        audit,
        reply,
        { actor: actor(request), action: "service.logs.view", target: null },
        () => ({
          lines: backend.logTail(lines),
        }),
      );
    },
  );
}
