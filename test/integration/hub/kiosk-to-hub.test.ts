/**
 * End to end: the kiosk daemon (simulated devices) with its settlement integration and heartbeat
 * pointed at the hub, on a real PostgreSQL server. A visitor's payment reaches the hub's settlement
 * report through the kiosk's outbox, split per the hub's registry, and the kiosk's contact shows in the fleet.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hub } from "../../../hub/main.ts";
import {
  get,
  type HubHarness,
  NRB,
  startHubHarness,
  startInProcessHub,
  TOKENS,
} from "../../helpers/hub-harness.ts";
import { type Harness, makeHarness, testLogFile, waitForState } from "../../helpers/kiosk-harness.ts";
import { issueSlip } from "../../helpers/test-config.ts";

let h: HubHarness;
let hub: Hub;
let url: string;
let kiosk: Harness;

beforeAll(async () => {
  h = await startHubHarness({ name: "e2e" });
  ({ hub, url } = await startInProcessHub(h));
  kiosk = await makeHarness({
    logName: "kiosk-to-hub",
    config: (c) => ({
      ...c,
      recipients: {
        POWIAT: { ...c.recipients["POWIAT"]!, nrb: NRB.POWIAT },
        GMINA: { ...c.recipients["GMINA"]!, nrb: NRB.GMINA },
        OPERATOR: { ...c.recipients["OPERATOR"]!, nrb: NRB.OPERATOR },
      },
      integrations: {
        settlement: { url, token: TOKENS.K01 },
      },
    }),
  });
});

afterAll(async () => {
  await kiosk?.close();
  await hub?.close();
  await h?.stop();
});

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let v = await read();
  while (!ok(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
}

describe("a kiosk reporting to the hub", () => {
  it("a payment at the kiosk appears in the hub's settlement with its case, splits and card, and the kiosk in the fleet", async () => {
    const payload = issueSlip(kiosk.keys);
    const scanned = await kiosk.kiosk.app.inject({ method: "POST", url: "/api/scan", payload: { payload } });
    expect(scanned.statusCode).toBe(200);
    expect((await kiosk.kiosk.app.inject({ method: "POST", url: "/api/session/pay" })).statusCode).toBe(202);
    await waitForState(kiosk.kiosk, ["done"], 15_000);
    const paidAt = new Date();
    const day = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Warsaw" }).format(paidAt);
    const report = await eventually(
      async () =>
        (await get(`${url}/api/offices/PZ1465/settlement?date=${day}`)).body as Record<string, unknown>,
      (r) => r["count"] === 1,
    );
    expect(report).toMatchObject({
      count: 1,
      total: 16_000,
      recipients: [{ code: "POWIAT", nrb: NRB.POWIAT, count: 1, total: 16_000 }],
      devices: [{ id: "K01", count: 1, total: 16_000 }],
    });
    const [tx] = report["transactions"] as Array<Record<string, unknown>>;
    expect(tx).toMatchObject({ device: "K01", case: "KOM/123/2026", status: "approved" });
    expect((tx!["splits"] as unknown[]).length).toBe(4);
    expect(String((tx!["card"] as { maskedPan: string }).maskedPan)).not.toMatch(/\d{7,}/);
    const fleet = await eventually(
      async () => (await get(`${url}/api/fleet`)).body as { devices: Array<Record<string, unknown>> },
      (f) => f.devices.some((d) => d["id"] === "K01" && d["lastSeen"] !== null),
    );
    expect(fleet.devices.find((d) => d["id"] === "K01")).toMatchObject({
      office: "PZ1465",
      lastSeen: expect.any(String),
      lastPaymentAt: expect.any(String),
    });
  });

  it("a delivery's kiosk line and hub line carry the same reqId: the message's id, sent as X-Request-Id", async () => {
    const payload = issueSlip(kiosk.keys);
    expect(
      (await kiosk.kiosk.app.inject({ method: "POST", url: "/api/scan", payload: { payload } })).statusCode,
    ).toBe(200);
    expect((await kiosk.kiosk.app.inject({ method: "POST", url: "/api/session/pay" })).statusCode).toBe(202);
    await waitForState(kiosk.kiosk, ["done"], 15_000);
    const session = await kiosk.kiosk.app.inject({ method: "GET", url: "/api/session" });
    const paymentId = (session.json() as { payment: { id: string } | null }).payment?.id;
    expect(paymentId).toEqual(expect.any(String));
    const id = `settlement.transaction.${paymentId}`;
    const linesOf = (file: string) =>
      (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "")
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l["reqId"] === id);
    // The hub's one line of the request (pino writes the file asynchronously: wait for it).
    const hubLines = await eventually(
      async () => linesOf(testLogFile("hub-in-process")),
      (l) => l.some((x) => x["msg"] === "request"),
    );
    expect(hubLines.find((l) => l["msg"] === "request")).toMatchObject({
      service: "oplatomat-hub",
      method: "POST",
      url: "/transactions",
      status: 201,
    });
    const kioskLines = await eventually(
      async () => linesOf(testLogFile("kiosk-to-hub")),
      (l) => l.length > 0,
    );
    expect(kioskLines[0]).toMatchObject({
      service: "oplatomat",
      msg: "outbox message delivered",
      id,
      destination: "settlement",
      status: 201,
    });
  });
});
