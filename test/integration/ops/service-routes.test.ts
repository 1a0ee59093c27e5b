import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { HealthResult, TerminalEndOfDay } from "../../../devices/device.ts";
import { LoginThrottle } from "../../../kiosk/auth/login-throttle.ts";
import { hashPin } from "../../../kiosk/auth/pin-hash.ts";
import { TokenStore } from "../../../kiosk/auth/tokens.ts";
import { serviceRoutes } from "../../../kiosk/http/routes/service.ts";
import type { UnresolvedPayment } from "../../../kiosk/flow/terminal-answers.ts";
import { BackendError } from "../../../kiosk/service/errors.ts";
import type { DeviceReport, ServiceBackend, Verdict } from "../../../kiosk/service/ports.ts";

/** A fake backend: the plugin's contract is under test here, not the devices behind it. */
class FakeBackend implements ServiceBackend {
  outOfOrderState = { on: false, reason: null as string | null };
  keyTurned = false;
  calls: string[] = [];
  devices(): DeviceReport[] {
    return [
      { name: "printer", kind: "printer", state: "idle", lastError: null, statistics: { receipts: 3 } },
    ];
  }
  async checkHealth(device: string): Promise<HealthResult> {
    this.calls.push(`health:${device}`);
    return { ok: true, state: "idle", message: `${device} fine` };
  }
  async testPrint(): Promise<void> {
    this.calls.push("testPrint");
    throw new BackendError("DEVICE_UNAVAILABLE", "paper out");
  }
  async scannerTest(): Promise<{ code: string } | null> {
    this.calls.push("scannerTest");
    return { code: "OPL1|PZ1465|S/2026/000123|..." };
  }
  async terminalDiagnosis(): Promise<HealthResult> {
    this.calls.push("diagnosis");
    return { ok: true, state: "idle", message: "ok" };
  }
  async endOfDay(): Promise<TerminalEndOfDay> {
    this.calls.push("endOfDay");
    return { total: 16000, count: 1 };
  }
  async reprint(id: string): Promise<void> {
    this.calls.push(`reprint:${id}`);
    if (id === "missing") throw new BackendError("NOT_FOUND", "no such payment");
  }
  payments(day: string) {
    this.calls.push(`payments:${day}`);
    return [{ id: "p1", status: "approved", total: 16000, paidAt: `${day}T10:00:00+01:00`, slip: null }];
  }
  outOfOrder() {
    return this.outOfOrderState;
  }
  setOutOfOrder(on: boolean, reason: string): void {
    this.outOfOrderState = { on, reason: on ? reason : null };
  }
  logTail(n: number): string[] {
    return Array.from({ length: n }, (_, i) => `line ${i}`);
  }
  serviceKeyTurned(): boolean {
    return this.keyTurned;
  }
  unresolvedPayments(): UnresolvedPayment[] {
    this.calls.push("unresolved");
    return [
      {
        id: "u1",
        total: 5000,
        slip: null,
        caseRef: null,
        startedAt: null,
        stage: "request_sent",
        stageText: "the terminal took the request",
        receiptNo: null,
        traceNo: null,
        answer: "nothing",
        answerText: "it repeated no transaction",
        terminalAnswer: { kind: "nothing" },
      },
    ];
  }
  async resolvePayment(id: string, v: Verdict, actor: string): Promise<unknown> {
    this.calls.push(`resolve:${id}:${v.verdict}:${v.note}:${actor.startsWith("technician#")}`);
    if (id === "missing") throw new BackendError("CONFLICT", "not awaiting resolution");
    return { id, status: v.verdict === "charged" ? "approved" : "declined" };
  }
}

interface AuditRow {
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

/** The daemon's ajv settings (kiosk/http/app.ts): no coercion, no defaults. */
const AJV_AS_IN_APP = {
  removeAdditional: false,
  coerceTypes: false,
  allErrors: true,
  useDefaults: false,
} as const;

const PIN = "482916";
// A cheap scrypt cost keeps the test fast; the format and the check are the same.
const pinHashPromise = hashPin(PIN, { N: 1024, r: 8, p: 1 });

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function setup(
  options: { now?: () => number; audit?: (row: AuditRow) => void; rateMax?: number; loginMax?: number } = {},
) {
  const backend = new FakeBackend();
  const audit: AuditRow[] = [];
  const now = options.now ?? Date.now;
  app = Fastify({ ajv: { customOptions: AJV_AS_IN_APP } });
  await app.register(serviceRoutes, {
    prefix: "/api/service",
    backend,
    pinHash: await pinHashPromise,
    tokens: new TokenStore({ now }),
    throttle: new LoginThrottle({ now }),
    rateLimit: { max: options.rateMax ?? 1000, loginMax: options.loginMax ?? 1000 },
    audit: (actor, action, target, details) => {
      const row = { actor, action, target, details };
      options.audit?.(row);
      audit.push(row);
    },
  });
  await app.ready();
  const instance = app;
  const login = async (pin: string) =>
    instance.inject({ method: "POST", url: "/api/service/login", payload: { pin } });
  return { backend, audit, app: instance, login };
}

function tokenOf(response: { json(): unknown }): string {
  return (response.json() as { token: string }).token;
}

describe("service login", () => {
  it("issues a bearer token of at least 128 random bits for the right PIN and refuses a wrong one", async () => {
    const { login, audit } = await setup();
    const wrong = await login("000000");
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers["content-type"]).toContain("application/problem+json");
    expect(wrong.json()).toMatchObject({ code: "UNAUTHORIZED" });
    const right = await login(PIN);
    expect(right.statusCode).toBe(200);
    const token = tokenOf(right);
    expect(token).toMatch(/^opl_s_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(6), "base64url").length * 8).toBeGreaterThanOrEqual(128);
    expect(tokenOf(await login(PIN))).not.toBe(token);
    expect(audit.map((a) => a.action)).toEqual(["service.login.failed", "service.login", "service.login"]);
    expect(JSON.stringify(audit)).not.toContain(PIN);
  });

  it("refuses the sixth attempt within 5 minutes even when the PIN is right, and accepts it after the lock", async () => {
    let clock = 1_000_000;
    const { login, audit } = await setup({ now: () => clock });
    for (let i = 0; i < 5; i++) {
      expect((await login("111111")).statusCode).toBe(401);
      clock += 10_000;
    }
    const sixth = await login(PIN);
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json()).toMatchObject({ code: "UNAUTHORIZED" });
    expect(Number(sixth.headers["retry-after"])).toBeGreaterThan(0);
    expect(sixth.json()).not.toHaveProperty("token");
    clock += 4 * 60_000;
    expect((await login(PIN)).statusCode).toBe(429);
    clock += 61_000;
    expect((await login(PIN)).statusCode).toBe(200);
    expect(audit.filter((a) => a.action === "service.login.refused")).toHaveLength(2);
  });

  it("escalates: each further round of five wrong PINs locks twice as long; a right PIN starts over", async () => {
    let clock = 1_000_000;
    const { login } = await setup({ now: () => clock });
    const round = async () => {
      for (let i = 0; i < 5; i++) expect((await login("111111")).statusCode).toBe(401);
    };
    await round();
    expect(Number((await login(PIN)).headers["retry-after"])).toBe(300);
    clock += 300_000;
    await round();
    expect(Number((await login(PIN)).headers["retry-after"])).toBe(600);
    clock += 600_000;
    await round();
    expect(Number((await login(PIN)).headers["retry-after"])).toBe(1200);
    clock += 1_200_000;
    expect((await login(PIN)).statusCode).toBe(200);
    await round();
    expect(Number((await login(PIN)).headers["retry-after"])).toBe(300);
  });

  it("never accepts a PIN shorter than six digits", async () => {
    const { login } = await setup();
    expect((await login("1234")).statusCode).toBe(401);
    expect((await login("12345")).statusCode).toBe(401);
  });

  it("counts parallel guesses one by one", async () => {
    const { login } = await setup();
    const results = await Promise.all(Array.from({ length: 7 }, () => login("222222")));
    expect(results.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect((await login(PIN)).statusCode).toBe(429);
  });

  it("ends a key login's sessions when the key is turned back, and only those", async () => {
    const { app, backend, login, audit } = await setup();
    backend.keyTurned = true;
    const keyLogin = await app.inject({
      method: "POST",
      url: "/api/service/login",
      payload: { method: "key" },
    });
    const pinLogin = await login(PIN);
    const devices = (token: string) =>
      app.inject({
        method: "GET",
        url: "/api/service/devices",
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await devices(tokenOf(keyLogin))).statusCode).toBe(200);
    backend.keyTurned = false;
    expect((await devices(tokenOf(keyLogin))).statusCode).toBe(401);
    expect(audit.at(-1)).toMatchObject({
      action: "service.logout",
      details: { method: "key", reason: "service key turned back" },
    });
    backend.keyTurned = true;
    // Turning the key again does not bring the old session back.
    expect((await devices(tokenOf(keyLogin))).statusCode).toBe(401);
    expect((await devices(tokenOf(pinLogin))).statusCode).toBe(200);
  });

  it("lets the service key log in only while it is turned", async () => {
    const { app, backend } = await setup();
    const refused = await app.inject({
      method: "POST",
      url: "/api/service/login",
      payload: { method: "key" },
    });
    expect(refused.statusCode).toBe(401);
    backend.keyTurned = true;
    const ok = await app.inject({ method: "POST", url: "/api/service/login", payload: { method: "key" } });
    expect(ok.statusCode).toBe(200);
  });

  it("rejects a malformed body as a VALIDATION problem", async () => {
    const { app } = await setup();
    const response = await app.inject({
      method: "POST",
      url: "/api/service/login",
      payload: { pin: "12ab" },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: "VALIDATION" });
  });

  it("rate-limits logins", async () => {
    const { login } = await setup({ loginMax: 2 });
    await login(PIN);
    await login(PIN);
    const third = await login(PIN);
    expect(third.statusCode).toBe(429);
    expect(third.json()).toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("service tokens", () => {
  it("expire after 15 idle minutes, and each use renews them", async () => {
    let clock = 0;
    const { login, app } = await setup({ now: () => clock });
    const token = tokenOf(await login(PIN));
    const get = () =>
      app.inject({
        method: "GET",
        url: "/api/service/devices",
        headers: { authorization: `Bearer ${token}` },
      });
    clock += 14 * 60_000;
    expect((await get()).statusCode).toBe(200);
    clock += 14 * 60_000;
    expect((await get()).statusCode).toBe(200);
    clock += 15 * 60_000;
    const expired = await get();
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("refuses requests without a token, with a forged one, and after logout", async () => {
    const { login, app } = await setup();
    expect((await app.inject({ method: "GET", url: "/api/service/devices" })).statusCode).toBe(401);
    const forged = await app.inject({
      method: "GET",
      url: "/api/service/devices",
      headers: { authorization: `Bearer opl_s_${"A".repeat(43)}` },
    });
    expect(forged.statusCode).toBe(401);
    const token = tokenOf(await login(PIN));
    const auth = { authorization: `Bearer ${token}` };
    expect((await app.inject({ method: "POST", url: "/api/service/logout", headers: auth })).statusCode).toBe(
      204,
    );
    expect((await app.inject({ method: "GET", url: "/api/service/devices", headers: auth })).statusCode).toBe(
      401,
    );
  });
});

describe("service actions", () => {
  it("writes every action to the audit log, with the technician as actor, before it runs", async () => {
    const { login, app, backend, audit } = await setup();
    const token = tokenOf(await login(PIN));
    const headers = { authorization: `Bearer ${token}` };
    const calls: Array<[string, string, unknown?]> = [
      ["GET", "/api/service/devices"],
      ["POST", "/api/service/devices/printer/health"],
      ["POST", "/api/service/printer/test-print"],
      ["POST", "/api/service/scanner/test"],
      ["POST", "/api/service/terminal/diagnosis"],
      ["POST", "/api/service/terminal/end-of-day"],
      ["POST", "/api/service/payments/p1/reprint"],
      ["GET", "/api/service/payments?day=2026-11-25"],
      ["PUT", "/api/service/out-of-order", { on: true, reason: "printer repair" }],
      ["PUT", "/api/service/out-of-order", { on: false }],
      ["GET", "/api/service/logs?lines=5"],
      ["POST", "/api/service/logout"],
    ];
    for (const [method, url, payload] of calls) {
      await app.inject({
        method: method as "GET",
        url,
        headers,
        ...(payload ? { payload: payload as object } : {}),
      });
    }
    const actions = audit.filter((a) => a.action !== "service.login").map((a) => a.action);
    expect(actions).toEqual([
      "service.devices.view",
      "service.device.health",
      "service.printer.test",
      "service.printer.test.failed",
      "service.scanner.test",
      "service.terminal.diagnosis",
      "service.terminal.end_of_day",
      "service.receipt.reprint",
      "service.payments.view",
      "service.out_of_order.on",
      "service.out_of_order.off",
      "service.logs.view",
      "service.logout",
    ]);
    const actors = new Set(audit.map((a) => a.actor));
    expect(actors.size).toBe(1);
    expect([...actors][0]).toMatch(/^technician#[0-9a-f]{8}$/);
    expect(audit.find((a) => a.action === "service.out_of_order.on")?.details).toEqual({
      reason: "printer repair",
    });
    expect(backend.calls).toContain("endOfDay");
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it("answers the backend's refusals as problems and the out-of-order switch changes what visitors get", async () => {
    const { login, app, backend } = await setup();
    const headers = { authorization: `Bearer ${tokenOf(await login(PIN))}` };
    const print = await app.inject({ method: "POST", url: "/api/service/printer/test-print", headers });
    expect(print.statusCode).toBe(503);
    expect(print.json()).toMatchObject({ code: "DEVICE_UNAVAILABLE" });
    const missing = await app.inject({
      method: "POST",
      url: "/api/service/payments/missing/reprint",
      headers,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: "NOT_FOUND" });
    const badDevice = await app.inject({
      method: "POST",
      url: "/api/service/devices/toaster/health",
      headers,
    });
    expect(badDevice.statusCode).toBe(400);
    const on = await app.inject({
      method: "PUT",
      url: "/api/service/out-of-order",
      headers,
      payload: { on: true, reason: "maintenance" },
    });
    expect(on.json()).toEqual({ on: true, reason: "maintenance" });
    expect(backend.outOfOrderState.on).toBe(true);
    const scan = await app.inject({ method: "POST", url: "/api/service/scanner/test", headers });
    expect(scan.json()).toEqual({ read: true, length: 29, preview: "OPL1|PZ1465|" });
  });

  it("refuses the action when its audit entry cannot be written", async () => {
    let failAudit = false;
    const { login, app, backend } = await setup({
      audit: (row) => {
        if (failAudit && row.action === "service.terminal.end_of_day") throw new Error("disk full");
      },
    });
    const headers = { authorization: `Bearer ${tokenOf(await login(PIN))}` };
    failAudit = true;
    const response = await app.inject({ method: "POST", url: "/api/service/terminal/end-of-day", headers });
    expect(response.statusCode).toBe(500);
    expect(backend.calls).not.toContain("endOfDay");
  });

  it("lists unresolved payments and takes a technician's audited verdict on one, validated", async () => {
    const { login, app, backend, audit } = await setup();
    const headers = { authorization: `Bearer ${tokenOf(await login(PIN))}` };
    const list = await app.inject({ method: "GET", url: "/api/service/payments/unresolved", headers });
    expect(list.json()).toMatchObject({ payments: [{ id: "u1", terminalAnswer: { kind: "nothing" } }] });
    const bad = await app.inject({
      method: "POST",
      url: "/api/service/payments/u1/resolve",
      headers,
      payload: { verdict: "maybe", note: "checked" },
    });
    expect(bad.statusCode).toBe(400);
    expect(backend.calls.filter((c) => c.startsWith("resolve"))).toEqual([]);
    const ok = await app.inject({
      method: "POST",
      url: "/api/service/payments/u1/resolve",
      headers,
      payload: { verdict: "not_charged", note: "terminal journal: no receipt 0042" },
    });
    expect(ok.json()).toEqual({ id: "u1", status: "declined" });
    expect(backend.calls).toContain("resolve:u1:not_charged:terminal journal: no receipt 0042:true");
    expect(audit.find((a) => a.action === "service.payment.resolve")).toMatchObject({
      target: "u1",
      details: { verdict: "not_charged" },
    });
    const refused = await app.inject({
      method: "POST",
      url: "/api/service/payments/missing/resolve",
      headers,
      payload: { verdict: "charged", note: "seen on the journal" },
    });
    expect(refused.statusCode).toBe(409);
  });
});
