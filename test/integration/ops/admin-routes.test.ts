import { Readable } from "node:stream";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { adminRoutes } from "../../../kiosk/http/routes/admin.ts";
import { BackendError } from "../../../kiosk/service/errors.ts";
import type { AdminBackend, AdminPaymentQuery, Verdict } from "../../../kiosk/service/ports.ts";

const ADMIN_TOKEN = "office-secret-token-0123456789abcdef";
const AJV_AS_IN_APP = {
  removeAdditional: false,
  coerceTypes: false,
  allErrors: true,
  useDefaults: false,
} as const;

/** A fake backend: the plugin's contract is under test, not reporting. */
class FakeAdmin implements AdminBackend {
  queries: AdminPaymentQuery[] = [];
  voids: Array<[string, string, string]> = [];
  payments(query: AdminPaymentQuery) {
    this.queries.push(query);
    return {
      items: [
        { id: "p1", status: "approved", total: 16000, paidAt: "2026-11-25T10:00:00+01:00", slip: null },
      ],
      total: 1,
    };
  }
  settlementReport(date: string, format: "json" | "csv" | "pdf") {
    return {
      contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/json",
      filename: `settlement-${date}.${format}`,
      body: `report ${date}`,
    };
  }
  exportPayments(from: string, to: string, format: "csv" | "json", dialect: "standard" | "excel-pl") {
    return {
      contentType: "text/csv; charset=utf-8",
      filename: `payments-${from}-${to}.${format}`,
      body: Readable.from([`payment_id,${dialect}\n`, "p1\n"]),
    };
  }
  payouts(date: string, encoding: "utf8" | "cp1250") {
    return { contentType: "text/plain", filename: `payouts-${date}.txt`, body: encoding };
  }
  unresolvedPayments() {
    return [];
  }
  resolutions: Array<[string, Verdict, string]> = [];
  async resolvePayment(id: string, verdict: Verdict, actor: string) {
    if (id === "settled") throw new BackendError("CONFLICT", "payment settled is not awaiting resolution");
    this.resolutions.push([id, verdict, actor]);
    return { id, status: "declined" };
  }
  async voidPayment(id: string, actor: string, reason: string) {
    if (id === "old") throw new BackendError("CONFLICT", "already settled");
    this.voids.push([id, actor, reason]);
    return { id, status: "reversed" };
  }
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function setup(adminToken: string | null = ADMIN_TOKEN, max = 1000) {
  const backend = new FakeAdmin();
  const audit: Array<{
    actor: string;
    action: string;
    target: string | null;
    details: Record<string, unknown>;
  }> = [];
  app = Fastify({ ajv: { customOptions: AJV_AS_IN_APP } });
  await app.register(adminRoutes, {
    prefix: "/api/admin",
    backend,
    ...(adminToken ? { adminToken } : {}),
    rateLimit: { max },
    audit: (actor, action, target, details) => {
      audit.push({ actor, action, target, details });
    },
  });
  await app.ready();
  return { backend, audit, app };
}

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe("admin API", () => {
  it("refuses a missing or wrong token, and everything when no token is configured", async () => {
    const { app: a, audit } = await setup();
    expect((await a.inject({ method: "GET", url: "/api/admin/payments" })).statusCode).toBe(401);
    const wrong = await a.inject({
      method: "GET",
      url: "/api/admin/payments",
      headers: { authorization: "Bearer nope-nope-nope" },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: "UNAUTHORIZED" });
    expect(audit.map((e) => e.action)).toEqual(["admin.auth.failed", "admin.auth.failed"]);
    await a.close();
    const { app: b } = await setup(null);
    expect((await b.inject({ method: "GET", url: "/api/admin/payments", headers: auth })).statusCode).toBe(
      401,
    );
  });

  it("lists payments with validated filters and audits the read", async () => {
    const { app: a, backend, audit } = await setup();
    const ok = await a.inject({
      method: "GET",
      url: "/api/admin/payments?from=2026-11-01&to=2026-11-25&limit=50",
      headers: auth,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ total: 1 });
    expect(backend.queries).toEqual([{ from: "2026-11-01", to: "2026-11-25", limit: 50, offset: 0 }]);
    const bad = await a.inject({ method: "GET", url: "/api/admin/payments?from=yesterday", headers: auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: "VALIDATION" });
    expect(audit.map((e) => e.action)).toEqual(["admin.payments.view"]);
  });

  it("serves reports and streamed exports as downloads", async () => {
    const { app: a, audit } = await setup();
    const report = await a.inject({
      method: "GET",
      url: "/api/admin/reports/settlement?date=2026-11-25&format=csv",
      headers: auth,
    });
    expect(report.statusCode).toBe(200);
    expect(report.headers["content-type"]).toContain("text/csv");
    expect(report.headers["content-disposition"]).toBe('attachment; filename="settlement-2026-11-25.csv"');
    expect(report.body).toBe("report 2026-11-25");
    const csv = await a.inject({
      method: "GET",
      url: "/api/admin/exports/payments?from=2026-11-01&to=2026-11-25&dialect=excel-pl",
      headers: auth,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toBe("payment_id,excel-pl\np1\n");
    const reversed = await a.inject({
      method: "GET",
      url: "/api/admin/exports/payments?from=2026-11-25&to=2026-11-01",
      headers: auth,
    });
    expect(reversed.json()).toMatchObject({ code: "VALIDATION" });
    expect(audit.map((e) => e.action)).toEqual(["admin.report.settlement", "admin.export.payments"]);
  });

  it("voids with a reason, audits it, and answers a refusal as CONFLICT", async () => {
    const { app: a, backend, audit } = await setup();
    const ok = await a.inject({
      method: "POST",
      url: "/api/admin/payments/p1/void",
      headers: auth,
      payload: { reason: "double payment" },
    });
    expect(ok.statusCode).toBe(200);
    expect(backend.voids).toEqual([["p1", "office-admin", "double payment"]]);
    const conflict = await a.inject({
      method: "POST",
      url: "/api/admin/payments/old/void",
      headers: auth,
      payload: { reason: "late" },
    });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toMatchObject({ code: "CONFLICT" });
    const noReason = await a.inject({
      method: "POST",
      url: "/api/admin/payments/p1/void",
      headers: auth,
      payload: {},
    });
    expect(noReason.statusCode).toBe(400);
    expect(audit.map((e) => [e.action, e.target])).toEqual([
      ["admin.payment.void", "p1"],
      ["admin.payment.void", "old"],
      ["admin.payment.void.failed", "old"],
    ]);
    expect(JSON.stringify(audit)).not.toContain(ADMIN_TOKEN);
  });

  it("lists payments only staff can settle and takes the office's verdict on one, validated and audited", async () => {
    const { app: a, backend, audit } = await setup();
    const anonymous = await a.inject({ method: "POST", url: "/api/admin/payments/u1/resolve" });
    expect(anonymous.statusCode).toBe(401);
    const list = await a.inject({ method: "GET", url: "/api/admin/payments/unresolved", headers: auth });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ payments: [] });
    const resolve = (id: string, payload: object) =>
      a.inject({ method: "POST", url: `/api/admin/payments/${id}/resolve`, headers: auth, payload });
    for (const bad of [
      { verdict: "maybe", note: "journal checked" },
      { verdict: "charged" },
      { verdict: "charged", note: "ok" },
      { verdict: "charged", note: "receipt found", receiptNo: "A12" },
      { verdict: "not_charged", note: "nothing on the journal", amount: 100 },
    ]) {
      const res = await resolve("u1", bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json()).toMatchObject({ code: "VALIDATION" });
    }
    expect(backend.resolutions).toEqual([]);
    const ok = await resolve("u1", { verdict: "not_charged", note: "no such transaction on the journal" });
    expect(ok.statusCode).toBe(200);
    expect(backend.resolutions).toEqual([
      ["u1", { verdict: "not_charged", note: "no such transaction on the journal" }, "office-admin"],
    ]);
    expect((await resolve("settled", { verdict: "charged", note: "receipt 0042" })).statusCode).toBe(409);
    expect(audit.map((e) => [e.actor, e.action, e.target])).toEqual([
      ["anonymous", "admin.auth.failed", null],
      ["office-admin", "admin.payments.unresolved", null],
      ["office-admin", "admin.payment.resolve", "u1"],
      ["office-admin", "admin.payment.resolve", "settled"],
      ["office-admin", "admin.payment.resolve.failed", "settled"],
    ]);
  });

  it("is rate-limited", async () => {
    const { app: a } = await setup(ADMIN_TOKEN, 2);
    await a.inject({ method: "GET", url: "/api/admin/payments", headers: auth });
    await a.inject({ method: "GET", url: "/api/admin/payments", headers: auth });
    const third = await a.inject({ method: "GET", url: "/api/admin/payments", headers: auth });
    expect(third.statusCode).toBe(429);
    expect(third.headers["content-type"]).toContain("application/problem+json");
  });
});
