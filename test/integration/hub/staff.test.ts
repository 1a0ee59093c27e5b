/**
 * The hub's staff API (SPEC §9) over HTTP against a real PostgreSQL server: logins and sessions with
 * CSRF, office restrictions, the settlement report in its three formats, payouts as Elixir-O, MT940
 * statement matching (and its import errors changing nothing), every download audited.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hub } from "../../../hub/main.ts";
import {
  get,
  type HubHarness,
  ledgerSnapshot,
  NRB,
  post,
  STAFF_PASSWORD,
  startHubHarness,
  startInProcessHub,
  TOKENS,
  transaction,
} from "../../helpers/hub-harness.ts";

let h: HubHarness;
let hub: Hub;
let url: string;

beforeAll(async () => {
  h = await startHubHarness();
  ({ hub, url } = await startInProcessHub(h));
  // 2026-11-20: two payments and one reversed; 2026-11-17: one payment nobody settles.
  const a = transaction({ paidAt: "2026-11-20T09:00:00Z", total: 16_000 });
  const b = transaction({ paidAt: "2026-11-20T10:00:00Z", total: 5_000, kiosk: "K02" });
  const c = transaction({ paidAt: "2026-11-20T11:00:00Z", total: 9_900 });
  const d = transaction({ paidAt: "2026-11-17T11:00:00Z", total: 1_000 });
  for (const [tx, token] of [
    [a, TOKENS.K01],
    [b, TOKENS.K02],
    [c, TOKENS.K01],
    [d, TOKENS.K01],
  ] as const)
    expect((await post(`${url}/transactions`, tx, { token })).status).toBe(201);
  const reversal = {
    transactionId: c.transactionId,
    office: "PZ1465",
    kiosk: "K01",
    total: 9_900,
    reversedAt: "2026-11-20T11:01:00Z",
    reason: "void",
  };
  expect(
    (await post(`${url}/transactions/${c.transactionId}/reversal`, reversal, { token: TOKENS.K01 })).status,
  ).toBe(201);
});

afterAll(async () => {
  await hub?.close();
  await h?.stop();
});

async function login(name: string, password = STAFF_PASSWORD) {
  const res = await fetch(`${url}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login: name, password }),
  });
  const cookie = res.headers.get("set-cookie") ?? "";
  return {
    status: res.status,
    cookie,
    session: cookie.split(";")[0] ?? "",
    body: (await res.json()) as Record<string, unknown>,
  };
}

async function auditActions(
  office: string,
): Promise<Array<{ actor: string; action: string; detail: Record<string, unknown> }>> {
  return (
    (await get(`${url}/api/offices/${office}/audit`)).body as {
      entries: Array<{ actor: string; action: string; detail: Record<string, unknown> }>;
    }
  ).entries;
}

describe("staff login", () => {
  it("refuses a wrong password and an unknown login alike (401)", async () => {
    expect((await login("anna", "wrong-password")).status).toBe(401);
    expect((await login("nobody")).status).toBe(401);
  });

  it("sets an HttpOnly, SameSite=Strict session cookie and gives the CSRF token", async () => {
    const s = await login("anna");
    expect(s.status).toBe(200);
    expect(s.cookie).toMatch(/^hub_session=[^;]{20,};/);
    expect(s.cookie).toMatch(/HttpOnly/);
    expect(s.cookie).toMatch(/SameSite=Strict/);
    expect(s.body).toMatchObject({
      login: "anna",
      offices: [{ id: "PZ1465" }],
      csrfToken: expect.any(String),
    });
    const session = await fetch(`${url}/api/session`, { headers: { cookie: s.session } });
    expect(await session.json()).toMatchObject({ login: "anna", csrfToken: s.body["csrfToken"] });
  });

  it("refuses a state-changing request with the cookie but without its CSRF token (403), accepts it with", async () => {
    const s = await login("anna");
    const without = await fetch(`${url}/api/offices/PZ1465/statements`, {
      method: "POST",
      headers: { cookie: s.session, "content-type": "text/plain" },
      body: ":20:X\n",
    });
    expect(without.status).toBe(403);
    expect(((await without.json()) as { code: string }).code).toBe("CSRF");
    const withToken = await fetch(`${url}/api/offices/PZ1465/statements`, {
      method: "POST",
      headers: {
        cookie: s.session,
        "content-type": "text/plain",
        "x-csrf-token": String(s.body["csrfToken"]),
      },
      body: ":20:X\n",
    });
    expect(withToken.status).toBe(422);
  });

  it("ends the session at logout", async () => {
    const s = await login("anna");
    const out = await fetch(`${url}/api/logout`, {
      method: "POST",
      headers: { cookie: s.session, "x-csrf-token": String(s.body["csrfToken"]) },
    });
    expect(out.status).toBe(204);
    // The ended session opens nothing: every staff route refuses its cookie.
    const offices = await fetch(`${url}/api/offices`, { headers: { cookie: s.session } });
    expect(offices.status).toBe(401);
    expect(((await offices.json()) as { code: string }).code).toBe("UNAUTHORIZED");
    // The page's probe says "nobody signed in" (204, no body) and drops the dead cookie.
    const probe = await fetch(`${url}/api/session`, { headers: { cookie: s.session } });
    expect(probe.status).toBe(204);
    expect(await probe.text()).toBe("");
    expect(probe.headers.get("set-cookie")).toMatch(/^hub_session=; .*Max-Age=0/);
  });

  it("answers the page's sign-in probe 204 without a session, 401 to an unknown bearer token", async () => {
    // A browser that never signed in: no cookie, no token. Not a refusal, so not a failed load.
    const none = await fetch(`${url}/api/session`);
    expect(none.status).toBe(204);
    expect(none.headers.get("set-cookie")).toBeNull();
    // A system's bearer token is checked as on every staff route.
    const wrong = await fetch(`${url}/api/session`, { headers: { authorization: "Bearer not-a-token" } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { code: string }).code).toBe("UNAUTHORIZED");
    const known = await fetch(`${url}/api/session`, {
      headers: { authorization: `Bearer ${TOKENS.staffSystem}` },
    });
    expect(known.status).toBe(200);
    expect(await known.json()).toMatchObject({ login: "system" });
    // Every other staff route still answers 401 to a browser without a session.
    for (const route of ["/api/offices", "/api/fleet", "/api/offices/PZ1465/settlement?date=2026-11-20"])
      expect((await fetch(`${url}${route}`)).status, route).toBe(401);
    const logout = await fetch(`${url}/api/logout`, { method: "POST" });
    expect(logout.status).toBe(401);
  });

  it("shows a login only its offices: 403 for another office, 401 without a session", async () => {
    const w = await login("wanda");
    const res = await fetch(`${url}/api/offices/PZ1465/settlement?date=2026-11-20`, {
      headers: { cookie: w.session },
    });
    expect(res.status).toBe(403);
    expect((await fetch(`${url}/api/offices/PZ1465/settlement?date=2026-11-20`)).status).toBe(401);
    const fleet = (await (await fetch(`${url}/api/fleet`, { headers: { cookie: w.session } })).json()) as {
      devices: Array<{ office: string }>;
    };
    expect(fleet.devices.length).toBeGreaterThan(0);
    expect(fleet.devices.every((d) => d.office === "WA0001")).toBe(true);
  });
});

describe("settlement report", () => {
  it("answers the SPEC's JSON shape with reversals netted, per recipient, component and device", async () => {
    const s = await login("anna");
    const res = await fetch(`${url}/api/offices/PZ1465/settlement?date=2026-11-20&format=json`, {
      headers: { cookie: s.session },
    });
    expect(res.status).toBe(200);
    const r = (await res.json()) as Record<string, unknown>;
    expect(r).toMatchObject({
      office: "PZ1465",
      date: "2026-11-20",
      count: 2,
      total: 21_000,
      recipients: [
        { code: "GMINA", name: expect.any(String), nrb: NRB.GMINA, count: 2, total: 3_400 },
        { code: "POWIAT", name: expect.any(String), nrb: NRB.POWIAT, count: 2, total: 17_600 },
      ],
      devices: [
        { id: "K01", count: 1, total: 16_000 },
        { id: "K02", count: 1, total: 5_000 },
      ],
    });
    const txs = r["transactions"] as Array<Record<string, unknown>>;
    expect(txs).toHaveLength(3);
    expect(txs[0]).toMatchObject({
      case: "KOM/123/2026",
      slips: [],
      slip: "S/2026/000123",
      device: "K01",
      card: { maskedPan: "************1234" },
    });
    expect(txs.filter((t) => t["status"] === "reversed")).toHaveLength(1);
    expect((r["reversals"] as unknown[]).length).toBe(1);
  });

  it("exports CSV (one row per split, PLN amounts) and PDF, each download audited with the login", async () => {
    const csv = await get(`${url}/api/offices/PZ1465/settlement?date=2026-11-20&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toMatch(/^transaction_id,paid_at,/);
    expect(lines).toHaveLength(1 + 6);
    expect(lines[1]).toMatch(/,143\.00,PLN,/);
    const pdf = await fetch(`${url}/api/offices/PZ1465/settlement?date=2026-11-20&format=pdf`, {
      headers: { authorization: `Bearer ${TOKENS.staffSystem}` },
    });
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    const downloads = (await auditActions("PZ1465")).filter((e) => e.action === "download");
    expect(downloads.some((e) => e.actor === "staff:system" && e.detail["format"] === "csv")).toBe(true);
    expect(downloads.some((e) => e.detail["format"] === "pdf")).toBe(true);
  });

  it("refuses a missing or impossible date (400)", async () => {
    expect((await get(`${url}/api/offices/PZ1465/settlement`)).status).toBe(400);
    expect((await get(`${url}/api/offices/PZ1465/settlement?date=2026-02-30`)).status).toBe(400);
    expect((await get(`${url}/api/offices/NOPE/settlement?date=2026-11-20`)).status).toBe(404);
  });
});

describe("payouts", () => {
  it("gives one Elixir-O type-110 transfer per recipient account for the day's net amount, titled with office and date", async () => {
    const json = (await get(`${url}/api/offices/PZ1465/payouts?date=2026-11-20&format=json`)).body as {
      transfers: Array<{ recipient: string; nrb: string; amount: number; reference: string }>;
      total: number;
    };
    expect(json.transfers.map((t) => [t.recipient, t.nrb, t.amount])).toEqual([
      ["GMINA", NRB.GMINA, 3_400],
      ["POWIAT", NRB.POWIAT, 17_600],
    ]);
    expect(json.total).toBe(21_000);
    const file = await get(`${url}/api/offices/PZ1465/payouts?date=2026-11-20&format=elixir`);
    const lines = file.text.split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(2);
    const fields = lines[1]!.split(",");
    // 2026-11-20 is a Friday: executed on Monday, the next banking day (before: Saturday the 21st).
    expect(fields.slice(0, 3)).toEqual(["110", "20261123", "17600"]);
    expect((json as unknown as { executionDate: string }).executionDate).toBe("2026-11-23");
    expect(fields[5]).toBe(`"${NRB.OPERATOR}"`);
    expect(fields[6]).toBe(`"${NRB.POWIAT}"`);
    expect(lines[1]).toContain("ROZLICZENIE 2026-11-20");
    expect(lines[1]).toContain("PZ1465");
    expect(
      (await auditActions("PZ1465")).some((e) => e.action === "download" && e.detail["what"] === "payouts"),
    ).toBe(true);
  });

  it("refuses (CONFLICT) a file whose recipient name four sub-lines of 35 cannot hold, instead of cutting it", async () => {
    const gmina = h.config.offices["PZ1465"]!.recipients["GMINA"]!;
    const name = gmina.name;
    (gmina as { name: string }).name = `Urząd Miasta ${"bardzo długa nazwa ".repeat(8)}`;
    try {
      const file = await get(`${url}/api/offices/PZ1465/payouts?date=2026-11-20&format=elixir`);
      expect(file.status).toBe(409);
      expect(file.body).toMatchObject({
        code: "CONFLICT",
        title: expect.stringMatching(/recipient name does not fit/),
      });
      // The JSON names it whole.
      const json = await get(`${url}/api/offices/PZ1465/payouts?date=2026-11-20&format=json`);
      expect(json.status).toBe(200);
    } finally {
      (gmina as { name: string }).name = name;
    }
  });
});

const statement = (lines: string[]) =>
  [":20:ST/2026/11/21", ":25:/PL10109010140000000146519999", ":28C:00042/1", ...lines].join("\r\n");

async function upload(text: string, token = TOKENS.staffSystem) {
  const res = await fetch(`${url}/api/offices/PZ1465/statements`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "text/plain" },
    body: text,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("MT940 statements", () => {
  it("matches the acquirer's credit and the payouts, lists what is different to the grosz, missing and extra", async () => {
    const res = await upload(
      statement([
        ":60F:C261118PLN1000,00",
        ":61:2611211121C210,00NTRFNONREF//ACQ1",
        ":86:ROZLICZENIE TERMINALI 2026-11-20",
        ":61:2611211121D34,00NTRFNONREF",
        ":86:PZ1465/20261120/001 GMINA",
        ":61:2611211121D175,99NTRFNONREF",
        ":86:PZ1465/20261120/002 POWIAT",
        ":61:2611211121C5,00NTRFNONREF",
        ":86:ODSETKI",
        ":62F:C261121PLN1005,01",
      ]),
    );
    expect(res.status).toBe(200);
    const [r] = res.body["statements"] as Array<{
      matched: Array<{ expected: { kind: string; day: string } }>;
      different: Array<{ expected: { kind: string; reference: string }; difference: number }>;
      missing: Array<{ kind: string; day: string; amount: number }>;
      extra: Array<{ amount: number }>;
    }>;
    expect(r!.matched.map((m) => `${m.expected.kind} ${m.expected.day}`).sort()).toEqual([
      "acquirer_credit 2026-11-20",
      "payout 2026-11-20",
    ]);
    expect(r!.different).toEqual([
      expect.objectContaining({
        expected: expect.objectContaining({ reference: "PZ1465/20261120/002" }),
        difference: -1,
      }),
    ]);
    expect(r!.extra.map((e) => e.amount)).toEqual([500]);
    expect(r!.missing.map((m) => `${m.kind} ${m.day} ${m.amount}`).sort()).toEqual([
      "acquirer_credit 2026-11-17 1000",
      "payout 2026-11-17 1",
      "payout 2026-11-17 999",
    ]);
    expect((await auditActions("PZ1465")).some((e) => e.action === "statement_import")).toBe(true);
  });

  it("takes a NUL character (U+0000) in a statement or a typed login name as any other text, never a 500", async () => {
    // PostgreSQL cannot hold U+0000, and both are kept in the audit (the statement's reference, the
    // name of a failed sign-in): they answered 500.
    const res = await upload(
      statement([
        ":60F:C261118PLN0,00",
        ":61:2611181118C1,00NTRFNONREF",
        ":86:a\u0000b",
        ":62F:C261118PLN1,00",
      ]).replace(":20:ST/2026/11/21", ":20:ST/NUL\u0000"),
    );
    expect(res.status).toBe(200);
    expect(
      (res.body["statements"] as Array<{ statement: { reference: string } }>)[0]!.statement.reference,
    ).toBe("ST/NUL\ufffd");
    expect((await login("an\u0000na")).status).toBe(401);
  });

  it("lists a broken field as an import error (422) and stores nothing", async () => {
    const before = await ledgerSnapshot(h.dbUrl);
    const res = await upload(
      statement([":60F:C261118PLN1000,00", ":61:26113XC210,00NTRFNONREF", ":86:x", ":62F:C261121PLN1210,00"]),
    );
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: "STATEMENT_INVALID",
      errors: [expect.objectContaining({ field: "61", line: 5 })],
    });
    expect(await ledgerSnapshot(h.dbUrl)).toEqual(before);
  });

  it("refuses a statement in a foreign currency (422, listed) and stores nothing", async () => {
    const before = await ledgerSnapshot(h.dbUrl);
    const res = await upload(
      statement([":60F:C261118EUR1000,00", ":61:2611211121C210,00NTRFNONREF", ":62F:C261121EUR1210,00"]),
    );
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body["errors"])).toContain("foreign currency EUR");
    expect(await ledgerSnapshot(h.dbUrl)).toEqual(before);
  });

  it("refuses a statement whose balances do not add up", async () => {
    const res = await upload(
      statement([":60F:C261118PLN1000,00", ":61:2611211121C210,00NTRFNONREF", ":62F:C261121PLN1210,01"]),
    );
    expect(res.status).toBe(422);
  });

  it("matches Good Friday's card takings credited on the Tuesday after Easter Monday, and payouts executed that Tuesday", async () => {
    // Before: the credit was due Saturday to Easter Monday (calendar days), so Tuesday's credit was
    // extra money and the day's credit missing; the payouts were dated Saturday.
    const friday = transaction({ paidAt: "2026-04-03T10:00:00Z", total: 20_000 });
    expect((await post(`${url}/transactions`, friday, { token: TOKENS.K01 })).status).toBe(201);
    const payouts = (await get(`${url}/api/offices/PZ1465/payouts?date=2026-04-03&format=json`)).body;
    expect(payouts["executionDate"]).toBe("2026-04-07");
    const res = await upload(
      [
        ":20:ST/2026/04/07",
        ":25:/PL10109010140000000146519999",
        ":28C:00019/1",
        ":60F:C260402PLN1000,00",
        // The acquirer's credit names no day: matched by amount within its window of banking days.
        ":61:2604070407C200,00NTRFNONREF",
        ":86:UZNANIE ZBIORCZE AGENT ROZLICZENIOWY",
        ":61:2604070407D17,00NTRFNONREF",
        ":86:PZ1465/20260403/001 GMINA",
        // A payout the bank booked without its reference: matched by amount, account and window.
        ":61:2604070407D183,00NTRFNONREF",
        `:86:PRZELEW ${NRB.POWIAT}`,
        ":62F:C260407PLN1000,00",
      ].join("\r\n"),
    );
    expect(res.status).toBe(200);
    const [r] = res.body["statements"] as Array<{
      matched: Array<{ expected: { kind: string; day: string; dueTo: string } }>;
      missing: unknown[];
      extra: unknown[];
      different: unknown[];
    }>;
    expect(r!.matched.map((m) => `${m.expected.kind} ${m.expected.day} ${m.expected.dueTo}`).sort()).toEqual([
      "acquirer_credit 2026-04-03 2026-04-09",
      "payout 2026-04-03 2026-04-09",
      "payout 2026-04-03 2026-04-09",
    ]);
    expect([r!.missing, r!.extra, r!.different]).toEqual([[], [], []]);
  });

  it("says when and by whom a statement was imported before, and still matches it", async () => {
    const text = statement([
      ":60F:C261118PLN1000,00",
      ":61:2611211121C210,00NTRFNONREF//ACQ1",
      ":86:ROZLICZENIE TERMINALI 2026-11-20",
      ":62F:C261121PLN1210,00",
    ]).replace(":20:ST/2026/11/21", ":20:ST/2026/11/21-R");
    const first = await upload(text);
    expect(first.status).toBe(200);
    type Result = { previousImport: { at: string; login: string } | null; matched: unknown[] };
    const [once] = first.body["statements"] as Result[];
    expect(once!.previousImport).toBeNull();
    const imported = (await auditActions("PZ1465")).find((e) => e.action === "statement_import")!;
    const anna = await login("anna");
    const again = await fetch(`${url}/api/offices/PZ1465/statements`, {
      method: "POST",
      headers: {
        cookie: anna.session,
        "x-csrf-token": String(anna.body["csrfToken"]),
        "content-type": "text/plain",
      },
      body: text,
    });
    expect(again.status).toBe(200);
    const [twice] = ((await again.json()) as { statements: Result[] }).statements;
    // The first import's time and login, not the second's; the lines matched as the first time.
    expect(twice!.previousImport).toEqual({
      at: (imported as unknown as { at: string }).at,
      login: "system",
    });
    expect(twice!.matched).toEqual(once!.matched);
    // Another statement number of the same account and reference is not the same statement.
    const other = await upload(text.replace(":28C:00042/1", ":28C:00043/1"));
    expect((other.body["statements"] as Result[])[0]!.previousImport).toBeNull();
  });
});
