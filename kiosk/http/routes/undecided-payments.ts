/**
 * Payments only staff can settle (the terminal could not prove whether the card was charged), shared
 * by the service API (the technician at the kiosk) and the admin API (office staff, for an office with
 * no technician on site): the list, with when each started, its slip and case, its amount and the
 * terminal's answer in words, and staff's verdict after checking the terminal's journal. Both call the
 * flow's one resolution (PaymentFlow.resolveUnknown), which audits `payment.resolve` itself; the routes
 * audit each request as `<scope>.payments.unresolved` and `<scope>.payment.resolve`.
 */
import type { FastifyInstance } from "fastify";
import type { UndecidedPaymentsBackend, Verdict } from "../../service/ports.ts";
import { audited } from "./audited.ts";
import type { SharedStaffRouteOptions } from "./staff-operations.ts";

export type UndecidedPaymentRoutesOptions = SharedStaffRouteOptions<UndecidedPaymentsBackend>;

const ID = { type: "string", minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_-]+$" } as const;

export function undecidedPaymentRoutes(app: FastifyInstance, options: UndecidedPaymentRoutesOptions): void {
  const { audit, backend, scope } = options;
  app.get("/payments/unresolved", async (request, reply) =>
    audited(
      audit,
      reply,
      { actor: options.actor(request), action: `${scope}.payments.unresolved`, target: null },
      () => ({ payments: backend.unresolvedPayments() }),
    ),
  );

  app.post<{ Params: { id: string }; Body: Verdict }>(
    "/payments/:id/resolve",
    {
      schema: {
        params: { type: "object", properties: { id: ID }, required: ["id"] },
        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            verdict: { type: "string", enum: ["charged", "not_charged"] },
            // What the terminal's journal shows: the verdict's grounds, kept in the audit log.
            note: { type: "string", minLength: 3, maxLength: 300 },
            receiptNo: { type: "string", pattern: "^[0-9]{1,6}$" },
          },
          required: ["verdict", "note"],
        },
      },
    },
    async (request, reply) => {
      const actor = options.actor(request);
      return audited(
        audit,
        reply,
        {
          actor,
          action: `${scope}.payment.resolve`,
          target: request.params.id,
          details: { ...request.body },
        },
        () => backend.resolvePayment(request.params.id, request.body, actor),
      );
    },
  );
}
