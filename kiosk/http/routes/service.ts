/**
 * Service API for technicians (register with `{ prefix: "/api/service" }`). A technician logs in
 * with the service PIN (or while the service key is turned) and gets a bearer token. Every action
 * is written to the audit log before it runs — if the audit entry cannot be written the action is
 * refused — and a failure adds a second entry with its code. Everything the routes need comes
 * through `ServiceRoutesOptions`; the composition root implements `ServiceBackend`.
 */
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { bearerToken } from "../../auth/bearer.ts";
import { LoginThrottle } from "../../auth/login-throttle.ts";
import { verifyPin } from "../../auth/pin-hash.ts";
import { TokenStore } from "../../auth/tokens.ts";
import { problem } from "../problem.ts";
import { rateLimitError, useProblemErrors } from "./route-errors.ts";
import type { AuditWriter, ServiceBackend, StaffOperationsBackend, Verdict } from "../../service/ports.ts";
import { audited } from "./audited.ts";
import { staffOperationsRoutes } from "./staff-operations.ts";

export interface ServiceRoutesOptions {
  backend: ServiceBackend;
  audit: AuditWriter;
  /** `service.pinHash`; without it PIN login is refused (there is no default PIN). */
  pinHash?: string;
  /** Injected for tests; defaults to 15 idle minutes (8 h at most) and 5 wrong PINs → 5, 10, 20… minutes locked. */
  tokens?: TokenStore;
  throttle?: LoginThrottle;
  /** Told of every refused PIN login (wrong PIN, or any PIN while locked): the failures metric. */
  onLoginFailure?: (reason: "wrong_pin" | "locked") => void;
  /** Requests per minute per client for all service routes (default 120) and for login (default 10). */
  rateLimit?: { max?: number; loginMax?: number; timeWindowMs?: number };
  /** How long the scanner test waits for a code (default 20 s). */
  scannerTestTimeoutMs?: number;
  /** Outbox and alarm actions (the console's "messages" and "alarms" panels). */
  operations?: StaffOperationsBackend;
}

type Actor = string;

declare module "fastify" {
  interface FastifyRequest {
    serviceActor?: Actor;
  }
}

/** A real calendar day: the pattern fixes the shape, `format: date` the month and day ranges. */
const DAY = { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", format: "date" } as const;
const ID = { type: "string", minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_-]+$" } as const;
const DEVICE = { type: "string", enum: ["terminal", "printer", "scanner", "gpio"] } as const;

export async function serviceRoutes(app: FastifyInstance, options: ServiceRoutesOptions): Promise<void> {
  const { backend, audit } = options;
  const tokens = options.tokens ?? new TokenStore();
  const throttle = options.throttle ?? new LoginThrottle();
  const windowMs = options.rateLimit?.timeWindowMs ?? 60_000;
  useProblemErrors(app);
  await app.register(rateLimit, {
    max: options.rateLimit?.max ?? 120,
    timeWindow: windowMs,
    errorResponseBuilder: rateLimitError,
  });

  // A key login lasts while the key is turned: turning it back ends every session it opened.
  const keySubject = "technician:key";
  // Subscribed once the app is ready: the composition root may build the backend only then.
  let unsubscribe: (() => void) | undefined;
  app.addHook("onReady", async () => {
    unsubscribe = backend.onServiceKey?.((turned) => {
      if (!turned) void endKeySessions();
    });
  });
  app.addHook("onClose", async () => unsubscribe?.());
  /** Ends the key's sessions, each with its logout in the audit log. */
  async function endKeySessions(): Promise<void> {
    for (const session of tokens.revokeSubject(keySubject)) {
      try {
        await audit(actorOf(session.id), "service.logout", null, {
          method: "key",
          reason: "service key turned back",
        });
      } catch (error) {
        app.log.error(
          { err: error instanceof Error ? error.message : String(error) },
          "audit of a key logout failed",
        );
      }
    }
  }

  // Logins run one at a time, so parallel guesses cannot slip past the lockout count.
  let loginQueue: Promise<unknown> = Promise.resolve();

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
    async (request, reply) => {
      const method = request.body.method ?? "pin";
      const attempt = loginQueue.then(() => login(method, request.body.pin, reply));
      loginQueue = attempt.catch(() => undefined);
      return attempt;
    },
  );

  async function login(
    method: "pin" | "key",
    pin: string | undefined,
    reply: FastifyReply,
  ): Promise<unknown> {
    if (method === "key") {
      if (!backend.serviceKeyTurned()) {
        await audit("anonymous", "service.login.refused", null, { method, reason: "service key not turned" });
        return problem(reply, "UNAUTHORIZED", { title: "Service key not turned" });
      }
      return issue(method, reply);
    }
    const lockedMs = throttle.lockedForMs();
    if (lockedMs > 0) {
      options.onLoginFailure?.("locked");
      await audit("anonymous", "service.login.refused", null, { method, reason: "locked" });
      reply.header("retry-after", String(Math.ceil(lockedMs / 1000)));
      return problem(reply, "TOO_MANY_REQUESTS", {
        title: "Too many wrong PINs",
        detail: "Service login is locked for a while.",
      });
    }
    if (!options.pinHash) {
      await audit("anonymous", "service.login.refused", null, { method, reason: "no PIN configured" });
      return problem(reply, "UNAUTHORIZED", { title: "Service PIN login is not configured" });
    }
    if (pin === undefined) return problem(reply, "INVALID_REQUEST", { title: "pin is required" });
    if (!(await verifyPin(pin, options.pinHash))) {
      const lockedFor = throttle.recordFailure();
      options.onLoginFailure?.("wrong_pin");
      await audit("anonymous", "service.login.failed", null, {
        method,
        ...(lockedFor > 0 ? { lockedForSeconds: Math.ceil(lockedFor / 1000) } : {}),
      });
      return problem(reply, "UNAUTHORIZED", { title: "Wrong PIN" });
    }
    throttle.recordSuccess();
    return issue(method, reply);
  }

  async function issue(method: "pin" | "key", reply: FastifyReply): Promise<unknown> {
    const token = tokens.issue(`technician:${method}`);
    const session = tokens.use(token);
    await audit(actorOf(session?.id ?? "?"), "service.login", null, { method });
    reply.header("cache-control", "no-store");
    return { token, tokenType: "Bearer", idleTimeoutSeconds: tokens.idleSeconds };
  }

  function actorOf(sessionId: string): Actor {
    return `technician#${sessionId}`;
  }

  // Everything below needs a live token.
  app.register(async (authed) => {
    authed.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
      const token = bearerToken(request.headers.authorization);
      let session = token === undefined ? undefined : tokens.use(token);
      if (session?.subject === keySubject && !backend.serviceKeyTurned()) {
        // The key was turned back while no event reached us (or the backend has none): end it now.
        await endKeySessions();
        session = undefined;
      }
      if (!session) {
        reply.header("www-authenticate", 'Bearer realm="oplatomat-service"');
        return problem(reply, "UNAUTHORIZED", { title: "Missing, unknown or expired token" });
      }
      request.serviceActor = actorOf(session.id);
    });
    const actor = (request: FastifyRequest): Actor => request.serviceActor ?? "technician#?";
    if (options.operations)
      staffOperationsRoutes(authed, { backend: options.operations, audit, scope: "service", actor });

    authed.post("/logout", async (request, reply) => {
      const token = bearerToken(request.headers.authorization);
      await audit(actor(request), "service.logout", null, {});
      if (token) tokens.revoke(token);
      return reply.code(204).send();
    });

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
          const result = await backend.scannerTest(options.scannerTestTimeoutMs ?? 20_000);
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

    unresolvedRoutes(authed, backend, audit, actor);

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
  });
}

/**
 * Payments recovery could not decide (issue 12): listed with the terminal's answer, and resolved by a
 * technician who checked the terminal's own journal. Both audited.
 */
function unresolvedRoutes(
  authed: FastifyInstance,
  backend: ServiceBackend,
  audit: AuditWriter,
  actor: (request: FastifyRequest) => string,
): void {
  authed.get("/payments/unresolved", async (request, reply) =>
    audited(
      audit,
      reply,
      { actor: actor(request), action: "service.payments.unresolved", target: null },
      () => ({
        payments: backend.unresolvedPayments(),
      }),
    ),
  );

  authed.post<{ Params: { id: string }; Body: Verdict }>(
    "/payments/:id/resolve",
    {
      schema: {
        params: { type: "object", properties: { id: ID }, required: ["id"] },
        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            verdict: { type: "string", enum: ["charged", "not_charged"] },
            note: { type: "string", minLength: 3, maxLength: 300 },
            receiptNo: { type: "string", pattern: "^[0-9]{1,6}$" },
          },
          required: ["verdict", "note"],
        },
      },
    },
    async (request, reply) =>
      audited(
        audit,
        reply,
        {
          actor: actor(request),
          action: "service.payment.resolve",
          target: request.params.id,
          details: { ...request.body },
        },
        () => backend.resolvePayment(request.params.id, request.body, actor(request)),
      ),
  );
}
