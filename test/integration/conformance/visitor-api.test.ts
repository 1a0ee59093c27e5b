/**
 * SPEC §1 and §4 through the visitor API of `oplatomat start` (a child process), with a kiosk that
 * offers no Polish: the payload edges SPEC names (a line end, empty, over 4 096 characters, the
 * longest valid slip), the order of the checks, problem+json, the session's shape and language,
 * the loopback guard (421, 403) and the operations routes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import { compactDay, compactMinute } from "../../../kiosk/domain/time.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";
import { type ConformanceKiosk, startConformanceKiosk } from "./rig.ts";

const keys = testKeys();
let kiosk: ConformanceKiosk | undefined;

beforeAll(async () => {
  const base = testConfig(keys);
  kiosk = await startConformanceKiosk("visitor", {
    ...base,
    kiosk: { id: "K-UA", languages: ["uk", "en"] },
    server: { host: "127.0.0.1", port: 0 },
  });
}, 60_000);
afterAll(async () => {
  await kiosk?.close();
});

const url = () => kiosk?.url as string;
const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url()}${p}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
const cancel = () => fetch(`${url()}/api/session/cancel`, { method: "POST" });

async function scanCode(
  payload: string,
): Promise<{ status: number; body: Record<string, unknown>; type: string }> {
  const r = await post("/api/scan", { payload });
  const out = {
    status: r.status,
    body: (await r.json()) as Record<string, unknown>,
    type: r.headers.get("content-type") ?? "",
  };
  await cancel();
  return out;
}

describe("POST /api/scan at the edges SPEC §1 names", () => {
  it("strips the reader's line end before reading the slip", async () => {
    for (const end of ["\n", "\r\n", "\r"]) {
      const r = await scanCode(`${issueSlip(keys)}${end}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
  });

  it("answers 422 SLIP_UNREADABLE problem+json, never 400, for a payload that cannot be a slip", async () => {
    for (const payload of ["", "\r\n", "x".repeat(4097), "OPL1|".repeat(1000), "\u0000\u0001"]) {
      const r = await scanCode(payload);
      expect(r.status, JSON.stringify(payload.slice(0, 20))).toBe(422);
      expect(r.type).toMatch(/^application\/problem\+json/);
      expect(r.body).toMatchObject({ status: 422, code: "SLIP_UNREADABLE" });
      expect(typeof r.body["type"]).toBe("string");
      expect(typeof r.body["title"]).toBe("string");
    }
  });

  it("answers 422 SLIP_UNREADABLE to a slip whose bytes are not UTF-8, not a signature failure", async () => {
    const json = JSON.stringify({ payload: issueSlip(keys, { caseRef: "KOM/Xy/2026" }) });
    const bytes = Buffer.from(json, "utf8");
    bytes[bytes.indexOf("Xy")] = 0xff; // a byte no UTF-8 text holds, in the one free-text field
    const bodies: Array<[string, Blob | string]> = [
      ["a 0xFF byte", new Blob([bytes])],
      ["a lone surrogate", json.replace("Xy", "\\ud800y")],
    ];
    for (const [what, body] of bodies) {
      const r = await fetch(`${url()}/api/scan`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      const problem = (await r.json()) as Record<string, unknown>;
      await cancel();
      expect(r.status, what).toBe(422);
      expect(problem["code"], what).toBe("SLIP_UNREADABLE");
    }
  });

  it("answers 422 SLIP_UNREADABLE, never 400, to a payload that is not text at all", async () => {
    for (const payload of [5, null, true, ["OPL1"], { slip: "S/1" }]) {
      const r = await scanCode(payload as unknown as string);
      expect(r.status, JSON.stringify(payload)).toBe(422);
      expect(r.type).toMatch(/^application\/problem\+json/);
      expect(r.body["code"], JSON.stringify(payload)).toBe("SLIP_UNREADABLE");
      const reprint = await post("/api/reprint", { payload });
      expect(reprint.status, `reprint ${JSON.stringify(payload)}`).toBe(422);
    }
    expect((await post("/api/scan", { payload: issueSlip(keys) })).status).toBe(200);
    const more = await post("/api/session/slips", { payload: 7 });
    expect(more.status).toBe(422);
    expect(((await more.json()) as { code: string }).code).toBe("SLIP_UNREADABLE");
    await cancel();
    // A body that is no scan request at all stays a 400.
    expect((await post("/api/scan", { code: "x" })).status).toBe(400);
    expect((await post("/api/scan", { payload: 5, extra: 1 })).status).toBe(400);
  });

  it("accepts the longest valid slip: 24-character id, 40-character Unicode case, 20 lines", async () => {
    const lines = Array.from({ length: 20 }, (_, i) => ({ code: i % 2 ? "DR" : "TAB", amount: 1 + i }));
    const payload = issueSlip(keys, {
      slip: "A/B-C/0123456789/0123456",
      caseRef: "Ąę🚗".repeat(13).concat("ż"),
      lines,
    });
    const r = await post("/api/scan", { payload });
    const body = (await r.json()) as Record<string, unknown>;
    expect(r.status, JSON.stringify(body)).toBe(200);
    expect(body["total"]).toBe(210);
    expect((body["lines"] as unknown[]).length).toBe(20);
    expect(body["slip"]).toMatchObject({
      id: "A/B-C/0123456789/0123456",
      caseRef: "Ąę🚗".repeat(13).concat("ż"),
    });
    await cancel();
  });

  it("reports the first failing check in SPEC §1's order", async () => {
    const stranger = generateKeyPairSync("ed25519").privateKey;
    const yesterday = compactDay(new Date(Date.now() - 86_400_000));
    const issued = compactMinute(new Date(Date.now() - 3 * 86_400_000));
    const cases: Array<[string, string]> = [
      // Wrong office and an unknown key: the key is checked first.
      ["SLIP_UNKNOWN_KEY", issueSlip(keys, { office: "OTHER", kid: "nobody" })],
      // Wrong office and a forged signature: the signature first.
      ["SLIP_SIGNATURE_INVALID", issueSlip(keys, { office: "OTHER" }, stranger)],
      // Expired at another office: the office first.
      ["SLIP_WRONG_OFFICE", issueSlip(keys, { office: "OTHER", valid: yesterday, issued })],
      // Expired with an unknown component: the date first.
      ["SLIP_EXPIRED", issueSlip(keys, { valid: yesterday, issued, lines: [{ code: "NOPE", amount: 5 }] })],
      // An unknown component whose sum is wrong too: the components first.
      ["SLIP_UNKNOWN_COMPONENT", issueSlip(keys, { total: 7, lines: [{ code: "NOPE", amount: 5 }] })],
      ["SLIP_TOTAL_MISMATCH", issueSlip(keys, { total: 7, lines: [{ code: "DR", amount: 5 }] })],
    ];
    for (const [code, payload] of cases) {
      const r = await scanCode(payload);
      expect(r.status, code).toBe(422);
      expect(r.body["code"], code).toBe(code);
    }
  });
});

describe("the session (SPEC §4)", () => {
  it("starts in a language the kiosk offers and has every member SPEC names", async () => {
    const idle = (await (await fetch(`${url()}/api/session`)).json()) as Record<string, unknown>;
    expect(["uk", "en"]).toContain(idle["language"]);
    const r = await post("/api/scan", { payload: issueSlip(keys) });
    const s = (await r.json()) as Record<string, unknown>;
    expect(r.status).toBe(200);
    expect(["uk", "en"]).toContain(s["language"]);
    for (const key of [
      "id",
      "state",
      "language",
      "slip",
      "slips",
      "lines",
      "handlingFee",
      "total",
      "currency",
      "terminalMessage",
      "error",
      "payment",
    ])
      expect(s, key).toHaveProperty(key);
    expect(s["state"]).toBe("summary");
    expect(s["currency"]).toBe("PLN");
    expect((await post("/api/session/language", { language: "pl" })).status).toBe(422);
    const en = await post("/api/session/language", { language: "en" });
    expect(en.status).toBe(200);
    expect(((await en.json()) as { language: string }).language).toBe("en");
    await cancel();
  });
});

/** The `session` events of GET /api/events, parsed, until `enough` says so. */
async function sessionEvents(
  during: () => Promise<void>,
  enough: (seen: Array<Record<string, unknown>>) => boolean,
): Promise<{ contentType: string; seen: Array<Record<string, unknown>> }> {
  const controller = new AbortController();
  const res = await fetch(`${url()}/api/events`, { signal: controller.signal });
  const seen: Array<Record<string, unknown>> = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const reading = (async () => {
    while (!enough(seen)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === "session" && data) seen.push(JSON.parse(data) as Record<string, unknown>);
        end = buffer.indexOf("\n\n");
      }
    }
  })();
  await during();
  const timer = setTimeout(() => controller.abort(), 15_000);
  await reading.catch(() => undefined);
  clearTimeout(timer);
  controller.abort();
  return { contentType: res.headers.get("content-type") ?? "", seen };
}

describe("several slips in one payment (SPEC §4)", () => {
  it("adds a slip to the summary, refuses the same slip twice, and names each line's slip", async () => {
    const a = issueSlip(keys, { slip: "M/1", lines: [{ code: "DR", amount: 1 }] });
    const b = issueSlip(keys, { slip: "M/2", lines: [{ code: "PEL", amount: 2 }] });
    expect((await post("/api/scan", { payload: a })).status).toBe(200);
    const twice = await post("/api/session/slips", { payload: a });
    expect(twice.status).toBe(422);
    expect(await twice.json()).toMatchObject({ code: "SLIP_ALREADY_PAID" });
    const added = await post("/api/session/slips", { payload: `${b}\r\n` });
    const s = (await added.json()) as Record<string, unknown>;
    expect(added.status, JSON.stringify(s)).toBe(200);
    expect((s["slips"] as Array<{ id: string }>).map((x) => x.id)).toEqual(["M/1", "M/2"]);
    expect((s["slip"] as { id: string }).id).toBe("M/1");
    expect((s["lines"] as Array<{ slip?: string }>).map((l) => l.slip)).toEqual(["M/1", "M/2"]);
    expect(s["total"]).toBe(3);
    await cancel();
  });

  it("answers a basket whose slip fails with that slip's code", async () => {
    const yesterday = compactDay(new Date(Date.now() - 86_400_000));
    const issued = compactMinute(new Date(Date.now() - 3 * 86_400_000));
    const expired = issueSlip(keys, { valid: yesterday, issued });
    const r = await post("/api/basket", { items: [{ code: "GEO_MAP" }, { slip: expired }] });
    expect(r.status).toBe(422);
    expect(await r.json()).toMatchObject({ code: "SLIP_EXPIRED" });
    const same = issueSlip(keys);
    const dup = await post("/api/basket", { items: [{ slip: same }, { slip: same }] });
    expect(dup.status).toBe(422);
    expect(await dup.json()).toMatchObject({ code: "SLIP_ALREADY_PAID" });
    await cancel();
  });
});

describe("a payment seen on GET /api/events (SPEC §4)", () => {
  it("sends the whole session as a `session` event on every change, up to the payment's details", async () => {
    const paidSlip = issueSlip(keys);
    const { contentType, seen } = await sessionEvents(
      async () => {
        expect((await post("/api/scan", { payload: paidSlip })).status).toBe(200);
        expect((await post("/api/session/pay", {})).status).toBe(202);
      },
      (events) => events.some((e) => e["state"] === "done"),
    );
    expect(contentType).toMatch(/^text\/event-stream/);
    const states = seen.map((e) => e["state"]);
    expect(states[0]).toBe("idle");
    for (const state of ["summary", "authorizing", "approved", "done"]) expect(states).toContain(state);
    expect(states.indexOf("summary")).toBeLessThan(states.indexOf("authorizing"));
    expect(states.indexOf("approved")).toBeLessThan(states.lastIndexOf("done"));
    const done = seen.find((e) => e["state"] === "done") as Record<string, unknown>;
    expect(Object.keys(done["payment"] as object)).toEqual(
      expect.arrayContaining([
        "id",
        "status",
        "paidAt",
        "authCode",
        "maskedPan",
        "cardBrand",
        "terminalId",
        "traceNumber",
        "receiptNumber",
      ]),
    );
    expect(done["payment"]).toMatchObject({ status: "approved" });
    expect((done["payment"] as { maskedPan: string }).maskedPan).not.toMatch(/\d{7,}/);
    const now = (await (await fetch(`${url()}/api/session`)).json()) as Record<string, unknown>;
    expect(now["id"]).toBe(done["id"]);
    // SPEC §1a: the same slip again is paid, with when, where and how much, reprintable here.
    const again = await post("/api/scan", { payload: paidSlip });
    expect(again.status).toBe(422);
    expect(await again.json()).toMatchObject({
      code: "SLIP_ALREADY_PAID",
      paid: {
        kiosk: "K-UA",
        total: 16000,
        reprint: true,
        paidAt: (done["payment"] as { paidAt: string }).paidAt,
      },
    });
    const reprint = await post("/api/reprint", { payload: paidSlip });
    expect(reprint.status).toBe(202);
    const svg = await fetch(`${url()}/api/payments/${(done["payment"] as { id: string }).id}/receipt.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    await cancel();
  });
});

describe("the loopback listener's guard (SPEC §4)", () => {
  it("answers 421 to another Host and 403 to a cross-site state change", async () => {
    const port = new URL(url()).port;
    const { request } = await import("node:http");
    const status = (host: string, extra: Record<string, string> = {}, method = "GET") =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          { host: "127.0.0.1", port, path: "/api/session", method, headers: { host, ...extra } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end();
      });
    expect(await status(`localhost:${port}`)).toBe(200);
    expect(await status(`127.0.0.1:${port}`)).toBe(200);
    expect(await status(`kiosk.example:${port}`)).toBe(421);
    const cross = await post("/api/session/cancel", {}, { origin: "http://evil.example" });
    expect(cross.status).toBe(403);
    const site = await post("/api/session/cancel", {}, { "sec-fetch-site": "cross-site" });
    expect(site.status).toBe(403);
  });

  it("serves /health, /ready as application/health+json, /metrics as Prometheus text and /api/docs", async () => {
    expect((await fetch(`${url()}/health`)).status).toBe(200);
    const ready = await fetch(`${url()}/ready`);
    expect([200, 503]).toContain(ready.status);
    expect(ready.headers.get("content-type")).toMatch(/^application\/health\+json/);
    const body = (await ready.json()) as {
      status: string;
      checks: Record<string, Array<{ status: string }>>;
    };
    expect(["pass", "fail", "warn"]).toContain(body.status);
    // A check per device, the database and the outbox, each with a status.
    for (const part of ["terminal", "printer", "database", "outbox"]) {
      const checks = Object.entries(body.checks).filter(([name]) => name.startsWith(`${part}:`));
      expect(checks.length, part).toBeGreaterThan(0);
      for (const [, list] of checks) {
        expect(list.length, part).toBeGreaterThan(0);
        for (const c of list) expect(["pass", "warn", "fail"]).toContain(c.status);
      }
    }
    const metrics = await fetch(`${url()}/metrics`);
    expect(metrics.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await metrics.text()).toMatch(/^# (HELP|TYPE) /m);
    // No management listener here: the API description is on the only listener there is.
    expect((await fetch(`${url()}/api/docs`)).status).toBe(200);
    const docs = (await (await fetch(`${url()}/api/docs/json`)).json()) as { openapi: string; paths: object };
    expect(docs.openapi).toMatch(/^3\./);
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining(["/api/scan", "/api/session", "/api/basket"]),
    );
  });
});
