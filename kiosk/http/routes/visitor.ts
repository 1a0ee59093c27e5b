/**
 * The visitor API of SPEC §4, used by the kiosk UI. No authentication: it is served on the kiosk's
 * loopback. Every body has a schema; unknown fields are refused rather than silently dropped.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { DEFAULT_SCREEN_LAYOUT, type KioskConfig } from "../../config/types.ts";
import type { ReceiptModel } from "../../domain/receipt.ts";
import type { CashDesk } from "../../desk/cash-desk.ts";
import type { BasketItem, PaymentFlow } from "../../flow/payment-session.ts";
import type { SessionView } from "../../flow/session-view.ts";
import { SESSION_VIEW_SCHEMA } from "../../../contracts/session-view.ts";
import { BASKET_REQUEST_SCHEMA, SCAN_REQUEST_SCHEMA } from "../../../contracts/visitor-api.ts";
import { problem, problemSchema } from "../problem.ts";
import { screenHeartbeatRoutes } from "./screen-heartbeat.ts";
import { type HeadphoneJack, sessionEventRoutes } from "./session-events.ts";
import { deskAudit, deskGuard } from "./desk.ts";

export interface VisitorRoutesOptions {
  flow: PaymentFlow;
  config: KioskConfig;
  receiptSvg(model: ReceiptModel): string;
  speech: boolean;
  /** The visitor's headphone jack: its changes go out on the event stream. */
  headphones?: HeadphoneJack;
  /** Attended mode: the routes need the open shift's token, and cashiers' actions are audited. */
  desk?: CashDesk;
}

const sessionSchema = SESSION_VIEW_SCHEMA;

const errors = {
  400: problemSchema,
  409: problemSchema,
  413: problemSchema,
  422: problemSchema,
  503: problemSchema,
};

const send = (reply: FastifyReply, view: SessionView, status = 200) => reply.code(status).send(view);

/**
 * The code of a scan-shaped body (`{ "payload": ... }`). SPEC §1: a payload that cannot be a slip at
 * all is SLIP_UNREADABLE, 422 and never 400; one that is not even text (`5`, `null`, an array) is read
 * as the empty code, which the slip checks refuse as unreadable like any other (on screen, audited).
 */
function scannedCode(request: FastifyRequest): string {
  const { payload } = request.body as { payload: unknown };
  return typeof payload === "string" ? payload : "";
}

export async function visitorRoutes(app: FastifyInstance, opts: VisitorRoutesOptions): Promise<void> {
  if (opts.desk) {
    // `/api/kiosk` stays open: the page needs it to know it is a cash desk before anyone logs in.
    app.addHook("onRequest", deskGuard(opts.desk, new Set(["/api/kiosk"])));
    app.addHook("onResponse", deskAudit(opts.desk, opts.flow));
  }
  screenRoutes(app, opts);
  visitStartRoutes(app, opts);
  paymentRoutes(app, opts);
  visitorChoiceRoutes(app, opts);
  receiptImageRoute(app, opts);
  await app.register(sessionEventRoutes, {
    flow: opts.flow,
    ...(opts.headphones ? { headphones: opts.headphones } : {}),
  });
  await app.register(screenHeartbeatRoutes, {});
}

/** What the screen asks first: the session on screen and the kiosk it runs on. */
function screenRoutes(app: FastifyInstance, opts: VisitorRoutesOptions): void {
  const { flow, config } = opts;
  app.get(
    "/api/session",
    { schema: { tags: ["visitor"], summary: "The current session", response: { 200: sessionSchema } } },
    async () => flow.view(),
  );

  app.get(
    "/api/kiosk",
    { schema: { tags: ["visitor"], summary: "What the UI needs to know about this kiosk" } },
    async () => ({
      office: { id: config.office.id, name: config.office.name, address: config.office.address },
      kiosk: { id: config.kiosk.id },
      languages: config.kiosk.languages,
      idleTimeoutSeconds: config.kiosk.idleTimeoutSeconds,
      speech: opts.speech,
      mode: config.kiosk.mode ?? "unattended",
      // Where the panel's hardware is, so arrows point at the real card terminal, printer and reader.
      layout: config.kiosk.layout ?? DEFAULT_SCREEN_LAYOUT,
    }),
  );
}

/** Starting a visit: a scan, today's services, a basket, one more slip into the summary. */
function visitStartRoutes(app: FastifyInstance, opts: VisitorRoutesOptions): void {
  const { flow, config } = opts;
  app.post(
    "/api/scan",
    {
      schema: {
        tags: ["visitor"],
        summary: "As if the QR reader read this payload",
        body: SCAN_REQUEST_SCHEMA,
        response: { 200: sessionSchema, ...errors },
      },
    },
    async (request, reply) => send(reply, await flow.scan(scannedCode(request))),
  );

  app.get(
    "/api/catalog",
    { schema: { tags: ["visitor"], summary: "The services of today's price list" } },
    async () => {
      const fee = config.handlingFee.amount > 0 ? config.handlingFee : null;
      return {
        items: flow.catalog().map((i) => ({
          code: i.code,
          label: i.label,
          group: i.group ?? null,
          price: i.price ?? null,
          variable: i.variable ?? null,
          reference: i.reference ?? null,
          referenceLabel: i.referenceLabel ?? null,
          maxQuantity: i.maxQuantity ?? 10,
          recipient: i.recipient,
          recipientName: config.recipients[i.recipient]?.name ?? i.recipient,
        })),
        handlingFee: fee ? { amount: fee.amount, label: fee.label ?? null } : null,
      };
    },
  );

  app.post(
    "/api/basket",
    {
      schema: {
        tags: ["visitor"],
        summary: "Builds a basket session from services and slips (several slips allowed)",
        body: BASKET_REQUEST_SCHEMA,
        response: { 200: sessionSchema, ...errors },
      },
      attachValidation: true,
    },
    async (request, reply) => {
      const invalid = request.validationError;
      if (invalid) {
        // SPEC §4: a basket is built (200) or refused (422); 400 is for a body that is no basket at all.
        const items = (request.body as { items?: unknown } | null | undefined)?.items;
        const kind = Array.isArray(items)
          ? { code: "VALIDATION" as const, status: 422, title: "the basket is not valid" }
          : "INVALID_REQUEST";
        return problem(reply, kind, { detail: invalid.message, errors: invalid.validation });
      }
      const body = request.body as { items: BasketItem[] };
      return send(reply, await flow.basket(body.items));
    },
  );

  app.post(
    "/api/session/slips",
    {
      schema: {
        tags: ["visitor"],
        summary: "Adds one more slip to the session in summary",
        body: SCAN_REQUEST_SCHEMA,
        response: { 200: sessionSchema, ...errors },
      },
    },
    async (request, reply) => send(reply, await flow.addSlip(scannedCode(request))),
  );
}

/** Paying, a paid slip's confirmation again (SPEC §1a), and cancelling what is not paid. */
function paymentRoutes(app: FastifyInstance, opts: VisitorRoutesOptions): void {
  const { flow } = opts;
  app.post(
    "/api/session/pay",
    {
      schema: {
        tags: ["visitor"],
        summary: "Starts the card payment",
        response: { 202: sessionSchema, ...errors },
      },
    },
    async (_req, reply) => send(reply, await flow.pay(), 202),
  );

  app.post(
    "/api/reprint",
    {
      schema: {
        tags: ["visitor"],
        summary: "Prints the confirmation of a slip paid on this device again, marked as a copy (SPEC §1a)",
        body: SCAN_REQUEST_SCHEMA,
        response: {
          202: { type: "object", properties: { status: { type: "string" } } },
          404: problemSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      flow.reprintSlip(scannedCode(request));
      return reply.code(202).send({ status: "printing" });
    },
  );

  app.post(
    "/api/session/cancel",
    {
      schema: {
        tags: ["visitor"],
        summary: "Cancels what has not been paid",
        response: { 200: sessionSchema, ...errors },
      },
    },
    async (_req, reply) => send(reply, await flow.cancel()),
  );
}

/** The visitor's choices on screen: more time, the amount of an open transfer code, the language. */
function visitorChoiceRoutes(app: FastifyInstance, opts: VisitorRoutesOptions): void {
  const { flow } = opts;
  app.post(
    "/api/session/activity",
    { schema: { tags: ["visitor"], summary: "The visitor is still there (more time)" } },
    async (_req, reply) => send(reply, flow.activity()),
  );

  app.post(
    "/api/session/amount",
    {
      schema: {
        tags: ["visitor"],
        summary: "The amount the visitor typed for a transfer code that leaves it to the payer (SPEC §1b)",
        body: {
          type: "object",
          additionalProperties: false,
          required: ["amount"],
          properties: { amount: { type: "integer", minimum: 1, maximum: 999999999 } },
        },
        response: { 200: sessionSchema, ...errors },
      },
    },
    async (request, reply) =>
      send(reply, await flow.enterAmount((request.body as { amount: number }).amount)),
  );

  app.post(
    "/api/session/language",
    {
      schema: {
        tags: ["visitor"],
        summary: "Switches language",
        body: {
          type: "object",
          additionalProperties: false,
          required: ["language"],
          properties: { language: { type: "string", enum: ["pl", "en", "uk"] } },
        },
        response: { 200: sessionSchema, ...errors },
      },
    },
    async (request, reply) =>
      send(reply, flow.setLanguage((request.body as { language: "pl" | "en" | "uk" }).language)),
  );
}

/** The receipt as an image, for the screen after the payment. */
function receiptImageRoute(app: FastifyInstance, opts: VisitorRoutesOptions): void {
  const { flow } = opts;
  app.get(
    "/api/payments/:id/receipt.svg",
    {
      schema: {
        tags: ["visitor"],
        summary: "The receipt as an image",
        params: {
          type: "object",
          properties: { id: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" } },
          required: ["id"],
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const model = flow.receiptModel(id);
      if (!model) return problem(reply, "NOT_FOUND", { title: "No such payment", detail: id });
      return reply.type("image/svg+xml").header("cache-control", "no-store").send(opts.receiptSvg(model));
    },
  );
}
