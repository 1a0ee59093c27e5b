/**
 * Admin API for office staff (register with `{ prefix: "/api/admin" }`): payments, settlement
 * reports, accounting exports, void, and the verdict on a payment only staff can settle. Authenticated by the configured `service.adminToken`
 * (a long random secret held by the office, compared in constant time); rate-limited; every
 * request — reads included, since exports carry payment data — is written to the audit log.
 */
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { bearerToken, sameSecret } from "../../auth/bearer.ts";
import type { PaymentListStatus } from "../../store/payment-list.ts";
import { problem } from "../problem.ts";
import { rateLimitError, useProblemErrors } from "./route-errors.ts";
import type {
  AdminBackend,
  AdminDocument,
  AdminPaymentQuery,
  AdminShiftQuery,
  AuditWriter,
  StaffOperationsBackend,
} from "../../service/ports.ts";
import { audited } from "./audited.ts";
import { staffOperationsRoutes } from "./staff-operations.ts";
import { undecidedPaymentRoutes } from "./undecided-payments.ts";

export interface AdminRoutesOptions {
  backend: AdminBackend;
  audit: AuditWriter;
  /** `service.adminToken`; without it every admin request is refused. */
  adminToken?: string;
  /** Outbox and alarm actions, as on the service API. */
  operations?: StaffOperationsBackend;
  /** Requests per minute per client (default 60). */
  rateLimit?: { max?: number; timeWindowMs?: number };
}

/** A real calendar day: the pattern fixes the shape, `format: date` the month and day ranges. */
const DAY = { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", format: "date" } as const;
const ID = { type: "string", minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_-]+$" } as const;

/**
 * The query string of a paged list of a period: `from`/`to` days, the list's own filters, `limit` of at
 * most `limitDigits` digits and `offset`.
 */
function pagedPeriodSchema(limitDigits: number, filters: Record<string, object>) {
  return {
    type: "object",
    additionalProperties: false,
    properties: {
      from: DAY,
      to: DAY,
      ...filters,
      limit: { type: "string", pattern: `^[1-9][0-9]{0,${limitDigits - 1}}$` },
      offset: { type: "string", pattern: "^[0-9]{1,9}$" },
    },
  } as const;
}

interface PagedPeriod {
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** A paged period as the backends take it: the limit capped, the days only when given. */
function pagedPeriod(
  q: { from?: string; to?: string; limit?: string | number; offset?: string | number },
  limit: { usual: number; most: number },
): PagedPeriod {
  const query: PagedPeriod = {
    limit: Math.min(limit.most, Number(q.limit ?? limit.usual)),
    offset: Number(q.offset ?? "0"),
  };
  if (q.from) query.from = q.from;
  if (q.to) query.to = q.to;
  return query;
}
const ACTOR = "office-admin";

function sendDocument(reply: FastifyReply, document: AdminDocument): FastifyReply {
  const safeName = document.filename.replace(/[^A-Za-z0-9._-]/g, "_");
  return reply
    .header("content-disposition", `attachment; filename="${safeName}"`)
    .header("cache-control", "no-store")
    .type(document.contentType)
    .send(document.body);
}

/**
 * A download: audit the intent, fetch the document, send it as an attachment. A refusal (or a failure)
 * is audited and answered by `audited` itself, which has then sent the reply.
 */
async function auditedDocument(
  audit: AuditWriter,
  reply: FastifyReply,
  entry: { action: string; target: string; details: Record<string, unknown> },
  read: () => Promise<AdminDocument> | AdminDocument,
): Promise<unknown> {
  const result = await audited(audit, reply, { actor: ACTOR, ...entry }, read);
  return reply.sent ? result : sendDocument(reply, result as AdminDocument);
}

export async function adminRoutes(app: FastifyInstance, options: AdminRoutesOptions): Promise<void> {
  const { audit } = options;
  useProblemErrors(app);
  await app.register(rateLimit, {
    max: options.rateLimit?.max ?? 60,
    timeWindow: options.rateLimit?.timeWindowMs ?? 60_000,
    errorResponseBuilder: rateLimitError,
  });
  app.addHook("onRequest", adminGuard(audit, options.adminToken));
  paymentListRoute(app, options);
  // An office without a technician on site settles a payment only staff can settle from here.
  undecidedPaymentRoutes(app, { backend: options.backend, audit, scope: "admin", actor: () => ACTOR });
  if (options.operations)
    staffOperationsRoutes(app, { backend: options.operations, audit, scope: "admin", actor: () => ACTOR });
  reportRoutes(app, options);
  shiftListRoute(app, options);
  shiftReportRoute(app, options);
  exportRoute(app, options);
  voidRoute(app, options);
}

/** An onRequest hook: the configured admin token, compared in constant time; a failure is audited. */
function adminGuard(audit: AuditWriter, adminToken: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerToken(request.headers.authorization);
    if (!adminToken || token === undefined || !sameSecret(token, adminToken)) {
      await audit("anonymous", "admin.auth.failed", null, { url: request.url.split("?")[0] ?? "" });
      reply.header("www-authenticate", 'Bearer realm="oplatomat-admin"');
      return problem(reply, "UNAUTHORIZED", { title: "Missing or wrong admin token" });
    }
  };
}

/** The payments of a period, filtered and paged. */
function paymentListRoute(app: FastifyInstance, { backend, audit }: AdminRoutesOptions): void {
  app.get<{
    Querystring: {
      from?: string;
      to?: string;
      status?: PaymentListStatus;
      slip?: string;
      limit?: number;
      offset?: number;
    };
  }>(
    "/payments",
    {
      schema: {
        querystring: pagedPeriodSchema(4, {
          status: { type: "string", enum: ["approved", "reversed", "declined", "unknown", "cancelled"] },
          slip: { type: "string", maxLength: 24, pattern: "^[A-Z0-9/-]+$" },
        }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const query: AdminPaymentQuery = pagedPeriod(q, { usual: 100, most: 1000 });
      if (q.status) query.status = q.status;
      if (q.slip) query.slip = q.slip;
      return audited(
        audit,
        reply,
        { actor: ACTOR, action: "admin.payments.view", target: null, details: { ...query } },
        () => backend.payments(query),
      );
    },
  );
}

/** The payouts file and the settlement report of a day. */
function reportRoutes(app: FastifyInstance, { backend, audit }: AdminRoutesOptions): void {
  app.get<{ Querystring: { date: string; encoding?: "utf8" | "cp1250" } }>(
    "/reports/payouts",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { date: DAY, encoding: { type: "string", enum: ["utf8", "cp1250"] } },
          required: ["date"],
        },
      },
    },
    async (request, reply) => {
      const encoding = request.query.encoding ?? "utf8";
      return auditedDocument(
        audit,
        reply,
        { action: "admin.report.payouts", target: request.query.date, details: { encoding } },
        () => backend.payouts(request.query.date, encoding),
      );
    },
  );

  app.get<{ Querystring: { date: string; format?: "json" | "csv" | "pdf" } }>(
    "/reports/settlement",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            date: DAY,
            format: { type: "string", enum: ["json", "csv", "pdf"] },
          },
          required: ["date"],
        },
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? "json";
      return auditedDocument(
        audit,
        reply,
        { action: "admin.report.settlement", target: request.query.date, details: { format } },
        () => backend.settlementReport(request.query.date, format),
      );
    },
  );
}

/**
 * The closed cash-desk shifts (the developers' own route), newest close first and paged, so staff find
 * the id that `/shifts/:id/report` takes: who, when, and the count and total (grosze) it closed with.
 */
function shiftListRoute(app: FastifyInstance, { backend, audit }: AdminRoutesOptions): void {
  const closedShifts = backend.closedShifts?.bind(backend);
  if (!closedShifts) return;
  app.get<{
    Querystring: { from?: string; to?: string; cashier?: string; limit?: string; offset?: string };
  }>(
    "/shifts",
    {
      schema: {
        querystring: pagedPeriodSchema(3, { cashier: { type: "string", minLength: 1, maxLength: 32 } }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      if (q.from && q.to && q.from > q.to) return problem(reply, "VALIDATION", { title: "from is after to" });
      const query: AdminShiftQuery = pagedPeriod(q, { usual: 50, most: 200 });
      if (q.cashier) query.cashier = q.cashier;
      const page = await audited(
        audit,
        reply,
        { actor: ACTOR, action: "admin.shifts.view", target: null, details: { ...query } },
        () => closedShifts(query),
      );
      return reply.sent ? page : { ...(page as object), limit: query.limit, offset: query.offset };
    },
  );
}

/**
 * A closed cash-desk shift's report for the office (the developers' own route): the desk's page offers
 * its PDF for 30 minutes after the close; afterwards, and for any earlier shift, staff fetch it here.
 */
function shiftReportRoute(app: FastifyInstance, { backend, audit }: AdminRoutesOptions): void {
  const shiftReport = backend.shiftReport?.bind(backend);
  if (!shiftReport) return;
  app.get<{ Params: { id: string }; Querystring: { format?: "json" | "pdf" } }>(
    "/shifts/:id/report",
    {
      schema: {
        params: { type: "object", required: ["id"], properties: { id: ID } },
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { format: { type: "string", enum: ["json", "pdf"] } },
        },
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? "json";
      return auditedDocument(
        audit,
        reply,
        { action: "admin.report.shift", target: request.params.id, details: { format } },
        async () => shiftReport(request.params.id, format),
      );
    },
  );
}

/** The accounting export of a period (CSV or JSON). */
function exportRoute(app: FastifyInstance, { backend, audit }: AdminRoutesOptions): void {
  app.get<{
    Querystring: { from: string; to: string; format?: "csv" | "json"; dialect?: "standard" | "excel-pl" };
  }>(
    "/exports/payments",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            from: DAY,
            to: DAY,
            format: { type: "string", enum: ["csv", "json"] },
            dialect: { type: "string", enum: ["standard", "excel-pl"] },
          },
          required: ["from", "to"],
        },
      },
    },
    async (request, reply) => {
      const { from, to } = request.query;
      if (from > to) return problem(reply, "VALIDATION", { title: "from is after to" });
      const format = request.query.format ?? "csv";
      const dialect = request.query.dialect ?? "standard";
      return auditedDocument(
        audit,
        reply,
        { action: "admin.export.payments", target: `${from}..${to}`, details: { format, dialect } },
        () => backend.exportPayments(from, to, format, dialect),
      );
    },
  );
}

/** A same-day void, with the reason. */
function voidRoute(app: FastifyInstance, { backend, audit }: AdminRoutesOptions): void {
  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    "/payments/:id/void",
    {
      schema: {
        params: { type: "object", properties: { id: ID }, required: ["id"] },
        body: {
          type: "object",
          additionalProperties: false,
          properties: { reason: { type: "string", minLength: 3, maxLength: 200 } },
          required: ["reason"],
        },
      },
    },
    async (request, reply) =>
      audited(
        audit,
        reply,
        {
          actor: ACTOR,
          action: "admin.payment.void",
          target: request.params.id,
          details: { reason: request.body.reason },
        },
        () => backend.voidPayment(request.params.id, ACTOR, request.body.reason),
      ),
  );
}
