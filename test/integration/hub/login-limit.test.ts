/**
 * The hub's staff login is limited per account name as well as per client address (security pass
 * audit-sec, "noticed"): wrong passwords for one login sent from many addresses are refused 429
 * after five, for a short, growing time; the right password is taken once the lock has passed; other
 * logins are not affected; an unknown name is answered exactly as a known one. Against the real
 * PostgreSQL of the harness, with the hub in process and its clock moved by the test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHub, type Hub } from "../../../hub/main.ts";
import { type HubHarness, STAFF_PASSWORD, startHubHarness } from "../../helpers/hub-harness.ts";

let h: HubHarness;
let hub: Hub;
let now = Date.parse("2026-12-07T08:00:00Z");
let address = 0;

beforeAll(async () => {
  h = await startHubHarness({ name: "login_limit" });
  hub = await createHub(h.config, { loginLimit: { now: () => now } });
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await h?.stop();
});

/** One login from an address never used before (so the per-address limit never bites). */
async function login(name: string, password: string) {
  address += 1;
  const res = await hub.app.inject({
    method: "POST",
    url: "/api/login",
    remoteAddress: `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`,
    headers: { "content-type": "application/json" },
    payload: JSON.stringify({ login: name, password }),
  });
  return {
    status: res.statusCode,
    type: String(res.headers["content-type"] ?? ""),
    retryAfter: Number(res.headers["retry-after"] ?? Number.NaN),
    body: res.json() as Record<string, unknown>,
  };
}

const wrong = (name: string) => login(name, "not-the-password");

describe("the staff login's limit per account", () => {
  it("refuses one login's guesses from many addresses after five, takes its right password once the lock has passed, and leaves other logins alone", async () => {
    for (let i = 0; i < 5; i++) expect((await wrong("anna")).status).toBe(401);
    const limited = await wrong("anna");
    expect(limited.status).toBe(429);
    expect(limited.type).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, code: "RATE_LIMITED" });
    expect(limited.retryAfter).toBeGreaterThan(0);
    expect(limited.retryAfter).toBeLessThanOrEqual(30);
    // During the lock even the right password is refused: a guess cannot be confirmed.
    expect((await login("anna", STAFF_PASSWORD)).status).toBe(429);
    // Another login is not affected, right or wrong.
    expect((await wrong("wanda")).status).toBe(401);
    expect((await login("wanda", STAFF_PASSWORD)).status).toBe(200);

    // Once the lock has passed, the right password is taken and forgives the failures.
    now += limited.retryAfter * 1000;
    const ok = await login("anna", STAFF_PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ login: "anna" });
    for (let i = 0; i < 5; i++) expect((await wrong("anna")).status).toBe(401);
    expect((await wrong("anna")).status).toBe(429);
  });

  it("makes each further lock longer, never beyond five minutes", async () => {
    for (let i = 0; i < 5; i++) expect((await wrong("wanda")).status).toBe(401);
    const locks: number[] = [];
    for (let i = 0; i < 6; i++) {
      const refused = await wrong("wanda");
      expect(refused.status).toBe(429);
      locks.push(refused.retryAfter);
      now += refused.retryAfter * 1000;
      expect((await wrong("wanda")).status).toBe(401); // one guess per lock
    }
    expect(locks).toEqual([30, 60, 120, 240, 300, 300]);
    now += 300_000;
    expect((await login("wanda", STAFF_PASSWORD)).status).toBe(200);
  });

  it("answers an unknown name exactly as a known one: 401 five times, then the same 429", async () => {
    const known: Array<[number, unknown]> = [];
    const unknown: Array<[number, unknown]> = [];
    for (let i = 0; i < 6; i++) {
      const a = await wrong("wanda");
      const b = await wrong("nobody-at-all");
      known.push([a.status, { ...a.body, retryAfter: a.retryAfter }]);
      unknown.push([b.status, { ...b.body, retryAfter: b.retryAfter }]);
    }
    expect(unknown).toEqual(known);
    expect(known.map(([status]) => status)).toEqual([401, 401, 401, 401, 401, 429]);
  });
});
