import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AlarmMetrics } from "../../../kiosk/ops/alarm-metrics.ts";
import { Heartbeat, type HeartbeatPayload, startHeartbeat } from "../../../kiosk/ops/heartbeat.ts";
import type { AnySeries } from "../../../kiosk/ops/metric-series.ts";

let server: http.Server | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

interface Received {
  headers: http.IncomingHttpHeaders;
  body: HeartbeatPayload;
  url: string | undefined;
}

async function central(status: number, answer = ""): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => {
      text += c.toString();
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body: JSON.parse(text) as HeartbeatPayload, url: req.url });
      res.writeHead(status).end(answer);
    });
  });
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/fleet/heartbeat`, received };
}

const payload = (): HeartbeatPayload => ({
  office: "PZ1465",
  kiosk: "K01",
  version: "0.1.0",
  sentAt: "2026-11-25T10:00:00.000Z",
  uptimeSeconds: 12,
  outOfOrder: false,
  devices: [
    { name: "printer", kind: "printer", state: "error", lastError: null, statistics: { receipts: 3 } },
  ],
  outbox: [{ destination: "settlement", pending: 4, failed: 1, oldestAgeSeconds: 95 }],
  lastPaymentAt: "2026-11-25T09:58:12.000Z",
});

describe("heartbeat", () => {
  it("posts the device inventory with the bearer token", async () => {
    const { url, received } = await central(204);
    const beat = new Heartbeat({ target: { url, token: "fleet-token-123" }, intervalMs: 60_000, payload });
    expect(await beat.beat()).toBe(true);
    expect(received).toHaveLength(1);
    expect(received[0]?.url).toBe("/fleet/heartbeat");
    expect(received[0]?.headers.authorization).toBe("Bearer fleet-token-123");
    expect(received[0]?.body.devices[0]).toMatchObject({ name: "printer", state: "error" });
    expect(received[0]?.body.kiosk).toBe("K01");
    expect(received[0]?.body.outbox).toEqual([
      { destination: "settlement", pending: 4, failed: 1, oldestAgeSeconds: 95 },
    ]);
    expect(received[0]?.body.lastPaymentAt).toBe("2026-11-25T09:58:12.000Z");
  });

  it("gives every beat its own Idempotency-Key, as the hub's ingest requires", async () => {
    const { url, received } = await central(204);
    const beat = new Heartbeat({ target: { url }, intervalMs: 60_000, payload });
    await beat.beat();
    await beat.beat();
    const keys = received.map((r) => r.headers["idempotency-key"]);
    expect(keys[0]).toMatch(/^heartbeat-[0-9a-f-]{36}$/);
    expect(keys[1]).toMatch(/^heartbeat-[0-9a-f-]{36}$/);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it("sends each beat's key as its X-Request-Id and logs it as reqId, so the hub's line of a refused beat is found", async () => {
    const { url, received } = await central(403, "{}");
    const warnings: Array<Record<string, unknown>> = [];
    const logger = { debug() {}, warn: (o: object) => warnings.push(o as Record<string, unknown>) };
    expect(await new Heartbeat({ target: { url }, intervalMs: 60_000, payload, logger }).beat()).toBe(false);
    const key = received[0]?.headers["idempotency-key"];
    expect(received[0]?.headers["x-request-id"]).toBe(key);
    expect(warnings).toEqual([{ reqId: key, status: 403, url, answer: "{}" }]);
  });

  it("reports a refusal or an unreachable receiver without throwing", async () => {
    const { url } = await central(500);
    const warnings: object[] = [];
    const logger = { debug() {}, warn: (o: object) => warnings.push(o) };
    expect(await new Heartbeat({ target: { url }, intervalMs: 60_000, payload, logger }).beat()).toBe(false);
    const gone = new Heartbeat({
      target: { url: "http://127.0.0.1:9/", timeoutMs: 500 },
      intervalMs: 60_000,
      payload,
      logger,
    });
    expect(await gone.beat()).toBe(false);
    expect(warnings).toHaveLength(2);
  });

  it("logs where a refused beat went and what the receiver answered, so the technician can tell why", async () => {
    const problem = JSON.stringify({
      type: "urn:oplatomat:problem:forbidden",
      status: 403,
      code: "FORBIDDEN",
      detail: "authenticated as SP-77/K1, the body says PZ1465/K01",
    });
    const { url } = await central(403, problem);
    const warnings: object[] = [];
    const logger = { debug() {}, warn: (o: object) => warnings.push(o) };
    expect(await new Heartbeat({ target: { url }, intervalMs: 60_000, payload, logger }).beat()).toBe(false);
    expect(warnings).toEqual([
      { reqId: expect.stringMatching(/^heartbeat-/), status: 403, url, answer: problem },
    ]);
  });

  it("says, for a 404, that the heartbeat's address is its full address (a base address is the usual mistake)", async () => {
    const { url } = await central(404, "{}");
    const base = url.replace("/fleet/heartbeat", "/");
    const warnings: Array<Record<string, unknown>> = [];
    const logger = { debug() {}, warn: (o: object) => warnings.push(o as Record<string, unknown>) };
    expect(await new Heartbeat({ target: { url: base }, intervalMs: 60_000, payload, logger }).beat()).toBe(
      false,
    );
    expect(warnings[0]).toMatchObject({
      status: 404,
      url: base,
      hint: expect.stringContaining("/fleet/heartbeat"),
    });
  });

  it("counts refused beats and says the last accepted one in the kiosk's metrics (the fleet view cannot show a kiosk it never hears)", async () => {
    const series: AnySeries[] = [];
    const metrics = new AlarmMetrics((s) => {
      series.push(s);
      return s;
    });
    const value = (name: string) => series.find((s) => s.name === name)?.get().values[0]?.value;
    const refused = await central(401, "{}");
    const beat = (url: string) =>
      new Heartbeat({
        target: { url },
        intervalMs: 60_000,
        payload,
        onOutcome: (o) => metrics.heartbeat(o),
      }).beat();
    expect(value("oplatomat_heartbeat_last_success_timestamp_seconds")).toBe(0);
    await beat(refused.url);
    await beat(refused.url);
    expect(value("oplatomat_heartbeat_failures_total")).toBe(2);
    expect(value("oplatomat_heartbeat_failing")).toBe(1);
    expect(value("oplatomat_heartbeat_last_success_timestamp_seconds")).toBe(0);
    const before = Math.floor(Date.now() / 1000);
    await new Promise((r) => server?.close(r)); // the refusing receiver; afterEach closes the next
    const accepted = await central(202);
    await beat(accepted.url);
    expect(value("oplatomat_heartbeat_failing")).toBe(0);
    expect(value("oplatomat_heartbeat_failures_total")).toBe(2);
    expect(value("oplatomat_heartbeat_last_success_timestamp_seconds")).toBeGreaterThanOrEqual(before);
  });

  it("says at start, once, that a url without a path is the heartbeat's full address (and sends it there all the same)", async () => {
    const hub = await central(404);
    const warned: Array<{ obj: object; msg?: string }> = [];
    const logger = {
      debug: () => {},
      warn: (obj: object, msg?: string) => warned.push({ obj, ...(msg ? { msg } : {}) }),
      child: () => logger,
    };
    const base = hub.url.replace("/fleet/heartbeat", "/");
    const heartbeat = startHeartbeat({ integrations: { heartbeat: { url: base } } }, payload, logger);
    heartbeat?.stop();
    expect(warned).toEqual([
      {
        msg: "heartbeat url",
        obj: {
          url: base.slice(0, -1),
          hint: `integrations.heartbeat.url has no path, but it is the heartbeat's full address, not a base address as for settlement: a hub takes the heartbeat at ${hub.url}`,
        },
      },
    ]);
    // The url is used as written: a receiver at / may be another fleet service.
    await heartbeat?.beat();
    expect(new Set(hub.received.map((r) => r.url))).toEqual(new Set(["/"]));
    warned.length = 0;
    startHeartbeat({ integrations: { heartbeat: { url: hub.url } } }, payload, logger)?.stop();
    expect(warned).toEqual([]);
  });
});
