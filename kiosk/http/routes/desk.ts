/**
 * The cash desk's API (SPEC §10), registered only in attended mode: shift open (cashier id + PIN →
 * bearer token), the current shift, shift close with its report (JSON or PDF), the shift's payments
 * with void (PIN + reason) and reprint, and services added to the open basket. `deskGuard` puts the
 * visitor API of §4 behind the shift's token and audits each cashier action with the cashier id.
 */
import { PassThrough } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { bearerToken } from "../../auth/bearer.ts";
import type { CashDesk } from "../../desk/cash-desk.ts";
import { type ShiftReport, shiftPayments, writeShiftReportPdf } from "../../desk/shift-report.ts";
import type { PaymentFlow } from "../../flow/payment-session.ts";
import type { ShiftRow } from "../../store/shifts.ts";
import { problem, problemSchema } from "../problem.ts";
import { SERVICES_REQUEST_SCHEMA } from "../../../contracts/visitor-api.ts";

export interface DeskRoutesOptions {
  desk: CashDesk;
  flow: PaymentFlow;
}

const errors = {
  401: problemSchema,
  404: problemSchema,
  409: problemSchema,
  422: problemSchema,
  429: problemSchema,
};
/**
 * Any short string: one that is not shaped like a PIN (PIN_PATTERN) is a wrong PIN, answered 401 and
 * counted by the lockout like any other, not a 400 that tells a guesser the PIN's shape.
 */
const PIN = { type: "string", minLength: 1, maxLength: 64 } as const;
const ID = { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" } as const;

/** `?format=json|pdf` of the routes that answer a shift report. */
const REPORT_FORMAT = {
  type: "object",
  additionalProperties: false,
  properties: { format: { type: "string", enum: ["json", "pdf"] } },
} as const;

const shifts = new WeakMap<FastifyRequest, ShiftRow>();

/**
 * The one route a browser cannot send a header to (an EventSource): it alone takes the token as
 * `?token=`. Everywhere else a token in the URL would land in the browser's history and in logs.
 */
const TOKEN_IN_URL = "/api/events";

/** The token of a request: the bearer header, or `?token=` on the event stream only. */
function tokenOf(request: FastifyRequest): string | undefined {
  const header = bearerToken(request.headers.authorization);
  if (header) return header;
  if (request.method !== "GET" || request.routeOptions.url !== TOKEN_IN_URL) return undefined;
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.token === "string" ? query.token : undefined;
}

/** An onRequest hook: the open shift's token, or 401. */
export function deskGuard(desk: CashDesk, open: ReadonlySet<string> = new Set()) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (open.has(request.routeOptions.url ?? "")) return;
    const shift = desk.authenticate(tokenOf(request));
    if (!shift) {
      await problem(reply, "UNAUTHORIZED", {
        title: "Open a shift first",
        detail: "the cash desk needs the shift's bearer token",
      });
      return;
    }
    shifts.set(request, shift);
  };
}

/** An onResponse hook: every state-changing request of a cashier is audited with the cashier id. */
export function deskAudit(desk: CashDesk, flow: PaymentFlow) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const shift = shifts.get(request);
    if (!shift || request.method === "GET") return;
    desk.auditAction(
      shift,
      `desk ${request.method} ${request.routeOptions.url ?? request.url}`,
      flow.view().id,
      {
        status: reply.statusCode,
      },
    );
  };
}

export async function deskRoutes(app: FastifyInstance, opts: DeskRoutesOptions): Promise<void> {
  const { desk, flow } = opts;
  shiftOpenRoute(app, desk);
  closedReportRoute(app, desk);
  app.register(async (authed) => {
    authed.addHook("onRequest", deskGuard(desk));
    authed.addHook("onResponse", deskAudit(desk, flow));
    shiftRoutes(authed, desk);
    shiftPaymentRoutes(authed, desk);
    shiftHistoryRoutes(authed, desk);
    basketServicesRoute(authed, flow);
  });
}

/** A cashier opens a shift with their PIN and gets its bearer token. */
function shiftOpenRoute(app: FastifyInstance, desk: CashDesk): void {
  app.post(
    "/api/shift/open",
    {
      schema: {
        tags: ["desk"],
        summary: "Opens a cashier's shift; answers the shift's bearer token",
        body: {
          type: "object",
          additionalProperties: false,
          required: ["cashier", "pin"],
          properties: {
            cashier: { type: "string", minLength: 1, maxLength: 32 },
            pin: PIN,
            // The same cashier takes up their shift still open on a new token (a lost browser tab).
            resume: { type: "boolean" },
          },
        },
        response: { ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body as { cashier: string; pin: string; resume?: boolean };
      reply.header("cache-control", "no-store");
      return desk.open(body.cashier, body.pin, { resume: body.resume === true });
    },
  );
}

/** The shift now open, and its close with the report (JSON or PDF). */
function shiftRoutes(authed: FastifyInstance, desk: CashDesk): void {
  authed.get("/api/shift", { schema: { tags: ["desk"], summary: "The current shift" } }, async () => {
    // `closing` is the developers' own addition (SPEC §10 leaves the shift's members open): what the
    // desk's close confirmation tells the cashier about the terminal's end-of-day.
    return { ...desk.current(), ...shiftPayments(desk.payments()), closing: desk.closing() };
  });

  authed.post(
    "/api/shift/close",
    {
      schema: {
        tags: ["desk"],
        summary: "Closes the shift; answers its report (JSON, or PDF with ?format=pdf)",
        querystring: REPORT_FORMAT,
        body: {
          type: ["object", "null"],
          additionalProperties: false,
          properties: { endOfDay: { type: "boolean" } },
        },
        response: { ...errors },
      },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as { endOfDay?: boolean };
      const report = await desk.close({ endOfDay: body.endOfDay === true });
      if ((request.query as { format?: string }).format !== "pdf") return report;
      return sendReportPdf(reply, report);
    },
  );
}

function sendReportPdf(reply: FastifyReply, report: ShiftReport): FastifyReply {
  const out = new PassThrough();
  writeShiftReportPdf(report, out).catch((e: unknown) =>
    out.destroy(e instanceof Error ? e : new Error(String(e))),
  );
  return reply
    .type("application/pdf")
    .header("cache-control", "no-store")
    .header("content-disposition", `attachment; filename="shift-${report.shift.id}.pdf"`)
    .send(out);
}

/** A stored shift report as `?format=` asks: JSON, or the PDF the close's writer makes; never cached. */
function sendReport(
  request: FastifyRequest,
  reply: FastifyReply,
  report: ShiftReport,
): ShiftReport | FastifyReply {
  if ((request.query as { format?: string }).format === "pdf") return sendReportPdf(reply, report);
  reply.header("cache-control", "no-store");
  return report;
}

/**
 * The developers' own route (SPEC §10 gives the PDF only on the closing call): the report of the shift
 * the token closed, as JSON or PDF, for CLOSED_REPORT_MS after the close, so the desk's page closes once
 * with JSON and still offers the cashier the same report as PDF. It reads that one report; the closed
 * shift's token authorises nothing else (deskGuard wants an open shift).
 */
function closedReportRoute(app: FastifyInstance, desk: CashDesk): void {
  app.get(
    "/api/shift/closed/report",
    {
      schema: {
        tags: ["desk"],
        summary: "The report of the shift this token closed (JSON, or PDF with ?format=pdf), for 30 minutes",
        querystring: REPORT_FORMAT,
        response: { ...errors },
      },
    },
    async (request, reply) => {
      const report = desk.closedReport(tokenOf(request));
      if (!report) {
        return problem(reply, "UNAUTHORIZED", {
          title: "No closed shift's report for this token",
          detail: "the token of a shift closed in the last 30 minutes reads that shift's report",
        });
      }
      return sendReport(request, reply, report);
    },
  );
}

/**
 * The developers' own routes: the open shift's cashier finds their own closed shifts, newest first,
 * and fetches any one's report (JSON or PDF) by the header token; another cashier's shift is 404.
 * The office sees every cashier's on the admin API (`GET /api/admin/shifts`).
 */
function shiftHistoryRoutes(authed: FastifyInstance, desk: CashDesk): void {
  authed.get(
    "/api/shift/history",
    {
      schema: {
        tags: ["desk"],
        summary: "The cashier's own closed shifts, newest first (paged)",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            limit: { type: "string", pattern: "^[1-9][0-9]?$" },
            offset: { type: "string", pattern: "^[0-9]{1,9}$" },
          },
        },
        response: { ...errors },
      },
    },
    async (request, reply) => {
      const q = request.query as { limit?: string; offset?: string };
      const limit = Number(q.limit ?? "10");
      const offset = Number(q.offset ?? "0");
      reply.header("cache-control", "no-store");
      return { ...desk.closedShifts(limit, offset), limit, offset };
    },
  );

  authed.get(
    "/api/shift/history/:id/report",
    {
      schema: {
        tags: ["desk"],
        summary: "The report of one of the cashier's closed shifts (JSON, or PDF with ?format=pdf)",
        params: { type: "object", required: ["id"], properties: { id: ID } },
        querystring: REPORT_FORMAT,
        response: { ...errors },
      },
    },
    async (request, reply) => {
      return sendReport(request, reply, desk.ownReport((request.params as { id: string }).id));
    },
  );
}

/** A payment of this shift voided (PIN and reason) or its receipt printed again. */
function shiftPaymentRoutes(authed: FastifyInstance, desk: CashDesk): void {
  authed.post(
    "/api/shift/payments/:id/void",
    {
      schema: {
        tags: ["desk"],
        summary: "Voids a payment of this shift (the cashier's PIN and a reason)",
        params: { type: "object", required: ["id"], properties: { id: ID } },
        body: {
          type: "object",
          additionalProperties: false,
          required: ["pin", "reason"],
          properties: { pin: PIN, reason: { type: "string", minLength: 3, maxLength: 200 } },
        },
        response: { ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = request.body as { pin: string; reason: string };
      return desk.voidPayment(id, body.pin, body.reason);
    },
  );

  authed.post(
    "/api/shift/payments/:id/reprint",
    {
      schema: {
        tags: ["desk"],
        summary: "Prints a copy of a payment of this shift",
        params: { type: "object", required: ["id"], properties: { id: ID } },
        response: { ...errors },
      },
    },
    async (request, reply) => {
      await desk.reprint((request.params as { id: string }).id);
      return reply.code(202).send({ printing: true });
    },
  );
}

/** Catalog services into the open basket, item by item. */
function basketServicesRoute(authed: FastifyInstance, flow: PaymentFlow): void {
  authed.post(
    "/api/session/services",
    {
      schema: {
        tags: ["desk"],
        summary: "Adds catalog services to the open basket",
        body: SERVICES_REQUEST_SCHEMA,
        response: { ...errors },
      },
    },
    async (request) =>
      flow.addServices(
        (
          request.body as {
            items: Array<{ code: string; quantity?: number; amount?: number; reference?: string }>;
          }
        ).items,
      ),
  );
}
