/**
 * SPEC §10 through `oplatomat start` with an attended configuration unlike the demo's (another
 * cashier id and a Unicode name, no catalog, no integrations but settlement): the visitor routes
 * need the shift's bearer token, `POST /api/scan` adds each slip to the open basket, one card
 * payment records the cashier, and the close answers the shift report as JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPin } from "../../../kiosk/auth/pin-hash.ts";
import { ScriptedReceiver, until } from "../../helpers/cli-daemon.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";
import { type ConformanceKiosk, startConformanceKiosk } from "./rig.ts";

const keys = testKeys();
const settlement = new ScriptedReceiver();
let kiosk: ConformanceKiosk | undefined;

beforeAll(async () => {
  await settlement.start();
  const base = testConfig(keys);
  kiosk = await startConformanceKiosk("desk", {
    ...base,
    kiosk: { id: "KASA-2", mode: "attended", languages: ["pl"] },
    catalog: [],
    integrations: { settlement: { url: settlement.url } },
    cashiers: [
      { id: "jan_kowalski-2", name: "Ján Kováč", pinHash: await hashPin("908172", { N: 1024, r: 8, p: 1 }) },
    ],
  });
}, 60_000);
afterAll(async () => {
  await kiosk?.close();
  await settlement.close();
});

const call = (method: string, p: string, token?: string, body?: object) =>
  fetch(`${kiosk?.url}${p}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

describe("an attended cash desk (SPEC §10)", () => {
  it("takes one card payment for two scanned slips within a cashier's shift", async () => {
    expect((await call("POST", "/api/scan", undefined, { payload: issueSlip(keys) })).status).toBe(401);
    expect(
      (await call("POST", "/api/shift/open", undefined, { cashier: "jan_kowalski-2", pin: "000000" })).status,
    ).toBe(401);
    const open = await call("POST", "/api/shift/open", undefined, {
      cashier: "jan_kowalski-2",
      pin: "908172",
    });
    expect(open.status).toBe(200);
    const { token } = (await open.json()) as { token: string };
    expect(typeof token).toBe("string");
    const shift = (await (await call("GET", "/api/shift", token)).json()) as Record<string, unknown>;
    expect(JSON.stringify(shift)).toContain("jan_kowalski-2");

    const first = await call("POST", "/api/scan", token, {
      payload: issueSlip(keys, { slip: "D/1", lines: [{ code: "DR", amount: 1 }] }),
    });
    expect(first.status).toBe(200);
    const second = await call("POST", "/api/scan", token, {
      payload: issueSlip(keys, { slip: "D/2", lines: [{ code: "PEL", amount: 1700 }] }),
    });
    const basket = (await second.json()) as { slips: Array<{ id: string }>; total: number; state: string };
    expect(second.status).toBe(200);
    expect(basket.slips.map((s) => s.id)).toEqual(["D/1", "D/2"]);
    expect(basket.total).toBe(1701);

    expect((await call("POST", "/api/session/pay", token)).status).toBe(202);
    const paymentId = await until(async () => {
      const s = (await (await call("GET", "/api/session", token)).json()) as {
        state: string;
        payment?: { id: string } | null;
      };
      return s.state === "done" && s.payment?.id ? s.payment.id : undefined;
    }, "the payment");
    const tx = await until(() => settlement.calls.find((c) => c.path === "/transactions"), "settlement");
    expect(tx.body).toMatchObject({
      transactionId: paymentId,
      kiosk: "KASA-2",
      total: 1701,
      cashier: "jan_kowalski-2",
    });
    expect((await call("POST", "/api/session/cancel", token)).status).toBe(200);

    const closed = await call("POST", "/api/shift/close", token, {});
    expect(closed.status).toBe(200);
    expect(closed.headers.get("content-type")).toMatch(/^application\/json/);
    const report = JSON.stringify(await closed.json());
    expect(report).toContain(paymentId);
    expect(report).toContain("Ján Kováč");
    expect((await call("GET", "/api/session", token)).status).toBe(401);
  });
});
