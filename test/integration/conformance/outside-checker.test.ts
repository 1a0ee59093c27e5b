/**
 * What an outside checker's own HTTP client does that ours did not: `oplatomat start` (a child
 * process) for a municipal office unlike the demo's (other ids, English first, a 0.99 zł fee), driven
 * by a generic client that sends `Content-Type: application/json` on every POST, with no body where
 * SPEC §4 gives none (`/api/session/pay`, `/api/session/cancel`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeNrb } from "../../../kiosk/domain/nrb.ts";
import { ScriptedReceiver, until } from "../../helpers/cli-daemon.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";
import { type ConformanceKiosk, startConformanceKiosk } from "./rig.ts";

const keys = testKeys();
let kiosk: ConformanceKiosk | undefined;
let pik: ScriptedReceiver;
let settlement: ScriptedReceiver;

beforeAll(async () => {
  pik = await new ScriptedReceiver().start();
  settlement = await new ScriptedReceiver().start();
  const base = testConfig(keys);
  kiosk = await startConformanceKiosk("outside", {
    ...base,
    office: {
      id: "UG-0042",
      name: "Urząd Gminy Zielona",
      address: "ul. Leśna 3, 12-345 Zielona",
      nip: "1234563218",
    },
    kiosk: { id: "KIOSK-A", languages: ["en", "pl"] },
    recipients: {
      ...base.recipients,
      OPER: { name: "Operator", nrb: makeNrb("10501445", "1000009012345678") },
    },
    handlingFee: { amount: 99, recipient: "OPER" },
    integrations: { pik: { url: pik.url, reporting: "direct" }, settlement: { url: settlement.url } },
  });
}, 60_000);
afterAll(async () => {
  await kiosk?.close();
  await pik?.close();
  await settlement?.close();
});

const url = () => kiosk?.url as string;
/** A generic JSON client: the content type on every POST, a body only when there is one. */
const post = (p: string, body?: unknown) =>
  fetch(`${url()}${p}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function stateBecomes(state: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const s = (await (await fetch(`${url()}/api/session`)).json()) as Record<string, unknown>;
    if (s["state"] === state) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the session never became ${state}`);
}

describe("POST routes SPEC §4 gives no body, called with the JSON content type and no body", () => {
  it("cancels (200) and pays (202) as with no content type", async () => {
    expect((await post("/api/scan", { payload: issueSlip(keys, { office: "UG-0042" }) })).status).toBe(200);
    const cancelled = await post("/api/session/cancel");
    expect(cancelled.status, await cancelled.clone().text()).toBe(200);
    expect(["cancelled", "idle"]).toContain(((await cancelled.json()) as { state: string }).state);

    expect((await post("/api/scan", { payload: issueSlip(keys, { office: "UG-0042" }) })).status).toBe(200);
    const paying = await post("/api/session/pay");
    expect(paying.status, await paying.clone().text()).toBe(202);
    const done = await stateBecomes("done");
    expect(done["total"]).toBe(16000 + 99);
  });

  it("still refuses a route that needs a body when none came (400 VALIDATION problem)", async () => {
    const r = await post("/api/scan");
    expect(r.status).toBe(400);
    expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await r.json()).toMatchObject({ code: "VALIDATION" });
  });
});

describe("a one-slip payment with a handling fee, as PiK hears it (SPEC §6)", () => {
  it("sends PiK the slip's own lines and total; the fee goes to settlement only", async () => {
    const payload = issueSlip(keys, {
      office: "UG-0042",
      slip: "UG/2027/FEE-1",
      lines: [
        { code: "PEL", amount: 1700 },
        { code: "DR", amount: 1 },
      ],
    });
    const scanned = await post("/api/scan", { payload });
    expect(scanned.status).toBe(200);
    // SPEC §4: `slip` is the first slip of `slips` ({ id, caseRef, valid, total }), for one-slip clients.
    const summary = (await scanned.json()) as {
      slip: unknown;
      slips: unknown[];
      lines: unknown[];
      handlingFee: unknown;
    };
    expect(summary.slip).toEqual(summary.slips[0]);
    // Where the money goes, in the session as in the configuration and SPEC §6: the recipient's code;
    // its name beside it for the screen.
    expect(summary.lines).toMatchObject([
      {
        code: "PEL",
        amount: 1700,
        recipient: "GMINA",
        recipientName: "Gmina Testowo",
        slip: "UG/2027/FEE-1",
      },
      {
        code: "DR",
        amount: 1,
        recipient: "POWIAT",
        recipientName: "Powiat Testowski",
        slip: "UG/2027/FEE-1",
      },
    ]);
    expect(summary.handlingFee).toMatchObject({ amount: 99, recipient: "OPER", recipientName: "Operator" });
    expect(summary.slip).toMatchObject({ id: "UG/2027/FEE-1", total: 1701 });
    expect((await post("/api/session/pay")).status).toBe(202);
    const done = await stateBecomes("done");
    expect(done["slip"]).toEqual((done["slips"] as unknown[])[0]);
    expect(done["total"]).toBe(1701 + 99);
    const paymentId = (done["payment"] as { id: string }).id;

    const heard = await until(
      () => pik.calls.find((c) => c.path === "/payments" && c.body["slip"] === "UG/2027/FEE-1"),
      "PiK's payment",
    );
    expect(heard.key).not.toBe("");
    expect(heard.body).toMatchObject({
      paymentId,
      office: "UG-0042",
      slip: "UG/2027/FEE-1",
      total: 1701,
      lines: [
        { code: "PEL", amount: 1700, recipient: "GMINA" },
        { code: "DR", amount: 1, recipient: "POWIAT" },
      ],
    });
    const tx = await until(
      () => settlement.calls.find((c) => c.path === "/transactions" && c.body["transactionId"] === paymentId),
      "the settlement transaction",
    );
    expect(tx.body["total"]).toBe(1800);
    expect(tx.body["splits"]).toContainEqual({
      recipient: "OPER",
      nrb: makeNrb("10501445", "1000009012345678"),
      component: "FEE",
      amount: 99,
    });
  });
});

describe("POST /api/basket refusals (SPEC §4: 200 or 422)", () => {
  it("answers 422 VALIDATION problem+json for a basket no office could take, whatever is wrong in it", async () => {
    const baskets = [
      { items: [] },
      { items: [{ code: "GEO_MAP", quantity: 0 }] },
      { items: [{ code: "GEO_MAP", quantity: -1 }] },
      { items: [{ code: "TAX_LOCAL", amount: -500, reference: "D/1" }] },
      { items: [{ code: "TAX_LOCAL", amount: 12.5, reference: "D/1" }] },
      { items: [{ quantity: 1 }] },
      { items: [{ code: "GEO_MAP", colour: "red" }] },
      { items: [{ code: "NOPE" }] },
    ];
    for (const basket of baskets) {
      const r = await post("/api/basket", basket);
      expect(r.status, JSON.stringify(basket)).toBe(422);
      expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(await r.json()).toMatchObject({ code: "VALIDATION", status: 422 });
    }
    expect(((await (await fetch(`${url()}/api/session`)).json()) as { state: string }).state).not.toBe(
      "summary",
    );
  });

  it("keeps 400 for a body that is not a basket at all", async () => {
    expect((await post("/api/basket", { goods: [] })).status).toBe(400);
    expect((await post("/api/basket", [1, 2])).status).toBe(400);
  });
});
