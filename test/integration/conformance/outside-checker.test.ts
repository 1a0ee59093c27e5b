/**
 * What an outside checker's own HTTP client does that ours did not: `oplatomat start` (a child
 * process) for a municipal office unlike the demo's (other ids, English first, a 0.99 zł fee), driven
 * by a generic client that sends `Content-Type: application/json` on every POST, with no body where
 * SPEC §4 gives none (`/api/session/pay`, `/api/session/cancel`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeNrb } from "../../../kiosk/domain/nrb.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";
import { type ConformanceKiosk, startConformanceKiosk } from "./rig.ts";

const keys = testKeys();
let kiosk: ConformanceKiosk | undefined;

beforeAll(async () => {
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
  });
}, 60_000);
afterAll(async () => {
  await kiosk?.close();
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
