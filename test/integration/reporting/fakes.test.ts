import fs from "node:fs";
import { once } from "node:events";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakePik } from "../../../kiosk/integrations/fake-pik.ts";
import { FakeSettlement } from "../../../kiosk/integrations/fake-settlement.ts";
import { createHttpClient, HttpTransportError } from "../../../kiosk/integrations/http-client.ts";
import { PikClient } from "../../../kiosk/integrations/pik-client.ts";
import { SettlementClient } from "../../../kiosk/integrations/settlement-client.ts";
import { ed25519PublicKey } from "../../../kiosk/domain/signature.ts";
import { verifySlip } from "../../../kiosk/domain/slip.ts";
import { testCertificateAuthority } from "../../helpers/self-signed.ts";

async function post(
  url: string,
  key: string | null,
  body: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const tx = (id: string, total = 1000) => ({
  transactionId: id,
  office: "PZ1465",
  kiosk: "K01",
  paidAt: "2026-11-25T10:00:00+01:00",
  total,
  splits: [{ recipient: "POWIAT", nrb: "x", component: "DR", amount: total }],
});

describe("fake settlement", () => {
  let s: FakeSettlement;
  beforeEach(async () => {
    s = await FakeSettlement.start();
  });
  afterEach(() => s.close());

  it("answers a replay with the first answer and refuses a reused key with another body", async () => {
    const first = await post(`${s.url}/transactions`, "k1", tx("t1"));
    expect(first.status).toBe(201);
    expect(await post(`${s.url}/transactions`, "k1", tx("t1"))).toEqual(first);
    expect((await post(`${s.url}/transactions`, "k1", tx("t1", 2000))).status).toBe(422);
    expect((await post(`${s.url}/transactions`, null, tx("t2"))).status).toBe(400);
    expect((await post(`${s.url}/transactions`, "k2", tx("t1"))).status).toBe(409);
    expect(s.transactions()).toHaveLength(1);
    expect(s.countByKey()).toEqual(new Map([["k1", 1]]));
    expect(s.totalsPerRecipient()).toEqual({ POWIAT: 1000 });
  });

  it("totals a day for the settlement client, reversals excluded", async () => {
    await post(`${s.url}/transactions`, "k1", tx("t1", 1000));
    await post(`${s.url}/transactions`, "k2", tx("t2", 500));
    await post(`${s.url}/transactions/t2/reversal`, "k3", { transactionId: "t2" });
    const client = new SettlementClient({ url: s.url });
    expect(await client.dayTotals("PZ1465", "K01", "2026-11-25")).toEqual({
      date: "2026-11-25",
      count: 1,
      total: 1000,
      perRecipient: { POWIAT: 1000 },
    });
    client.close();
  });

  it("refuses splits that do not add up to the total", async () => {
    const bad = { ...tx("t3", 1000), splits: [{ recipient: "POWIAT", amount: 999 }] };
    expect((await post(`${s.url}/transactions`, "k3", bad)).status).toBe(400);
  });
});

describe("fake PiK and the slip check", () => {
  let pik: FakePik;
  let client: PikClient;
  beforeEach(async () => {
    pik = await FakePik.start({ office: "PZ1465", kid: "pik2026" });
    client = new PikClient({ url: pik.url }, { slipCheckTimeoutMs: 200 });
  });
  afterEach(async () => {
    client.close();
    await pik.close();
  });

  it("issues slips that verify under its public key", () => {
    const payload = pik.issueSlip({
      slip: "S/2026/000123",
      caseRef: "KOM/123/2026",
      lines: [{ code: "DR", amount: 5400 }],
    });
    const result = verifySlip(payload, {
      officeId: "PZ1465",
      trustedKeys: new Map([["pik2026", ed25519PublicKey(pik.publicKeyPem)]]),
      today: payload.split("|")[4]!.slice(0, 8),
      components: new Set(["DR"]),
    });
    expect(result.ok).toBe(true);
  });

  it("answers open, paid, cancelled and a changed total; encodes the slip id", async () => {
    pik.issueSlip({ slip: "S/2026/000123", caseRef: "KOM/123/2026", lines: [{ code: "DR", amount: 5400 }] });
    pik.issueSlip({ slip: "S/2026/000124", lines: [{ code: "DR", amount: 5400 }] });
    expect(await client.checkSlip("PZ1465", "S/2026/000123")).toEqual({
      status: "open",
      total: 5400,
      case: "KOM/123/2026",
    });
    expect(pik.received().at(-1)?.path).toBe("/slips/PZ1465/S%2F2026%2F000123");
    pik.changeTotal("S/2026/000123", 6000);
    expect(await client.checkSlip("PZ1465", "S/2026/000123")).toMatchObject({ status: "open", total: 6000 });
    pik.cancelSlip("S/2026/000124");
    expect(await client.checkSlip("PZ1465", "S/2026/000124")).toMatchObject({ status: "cancelled" });
    const pay = (id: string, key: string) =>
      post(`${pik.url}/payments`, key, { paymentId: id, slip: "S/2026/000123", total: 6000 });
    expect((await pay("p1", "k1")).status).toBe(201);
    expect(await client.checkSlip("PZ1465", "S/2026/000123")).toMatchObject({ status: "paid" });
    expect((await pay("p2", "k2")).status).toBe(409);
    expect(pik.payments().map((p) => p.paymentId)).toEqual(["p1"]);
  });

  it("is unavailable when the office system does not answer in time, or does not know the slip", async () => {
    pik.issueSlip({ slip: "S1", lines: [{ code: "DR", amount: 100 }] });
    pik.setFaults({ hangRate: 1 });
    expect(await client.checkSlip("PZ1465", "S1")).toEqual({
      status: "unavailable",
      reason: "the office system could not be asked: no answer within 200 ms",
    });
    pik.setFaults({ dropRate: 1 });
    expect(await client.checkSlip("PZ1465", "S1")).toMatchObject({
      status: "unavailable",
      reason: expect.stringMatching(/^the office system could not be asked: /),
    });
    pik.setFaults({});
    expect(await client.checkSlip("PZ1465", "UNKNOWN")).toEqual({
      status: "unavailable",
      reason: "the office system answered 404: it does not know the slip, or integrations.pik.url is wrong",
    });
  });

  it("says why an answer is no answer: a refused token, a body that is not the documented shape", async () => {
    const answers: Array<[number, string]> = [
      [401, '{"code":"UNAUTHORIZED"}'],
      [200, "<html>maintenance</html>"],
      [200, '{"status":"OPEN"}'],
      [200, '{"status":"open","total":54.5}'],
    ];
    const server = http.createServer((_req, res) => {
      const [status, body] = answers.shift() ?? [500, ""];
      res.writeHead(status, { "content-type": "application/json" }).end(body);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    const office = new PikClient({ url: `http://127.0.0.1:${port}` }, { slipCheckTimeoutMs: 2_000 });
    try {
      const reasons: string[] = [];
      for (let i = 0; i < 4; i++) {
        const answer = await office.checkSlip("PZ1465", "S1");
        reasons.push(answer.status === "unavailable" ? answer.reason : answer.status);
      }
      expect(reasons).toEqual([
        "the office system answered 401: check integrations.pik's token or client certificate",
        "the office system's answer is not JSON",
        "the office system's answer has no status open, paid or cancelled",
        "the office system's answer has a total that is not whole grosze above 0",
      ]);
    } finally {
      office.close();
      server.close();
    }
  });
});

describe("HTTP client authentication", () => {
  let dir: string;
  let server: https.Server;
  let url: string;
  const pem = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-tls-"));
    testCertificateAuthority(dir, [
      { name: "server", ext: "subjectAltName=IP:127.0.0.1" },
      { name: "client", ext: "extendedKeyUsage=clientAuth" },
    ]);
    server = https.createServer(
      {
        key: pem("server.key"),
        cert: pem("server.pem"),
        ca: pem("ca.pem"),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: "open", auth: req.headers.authorization ?? null }));
      },
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("presents the client certificate and verifies the server's against the configured CA", async () => {
    const c = createHttpClient({
      url,
      tls: { cert: pem("client.pem"), key: pem("client.key"), ca: pem("ca.pem") },
    });
    const res = await c.request({ method: "GET", path: "/slips/A/B" });
    c.close();
    expect(res.status).toBe(200);
  });

  it("refuses a server whose certificate it cannot verify", async () => {
    const c = createHttpClient({ url, tls: { cert: pem("client.pem"), key: pem("client.key") } });
    await expect(c.request({ method: "GET", path: "/" })).rejects.toThrow(HttpTransportError);
    c.close();
  });

  it("trusts a bearer-token receiver's certificate through a configured CA alone (no client certificate)", async () => {
    const tokenOnly = https.createServer({ key: pem("server.key"), cert: pem("server.pem") }, (req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ auth: req.headers.authorization ?? null }));
    });
    await new Promise<void>((r) => tokenOnly.listen(0, "127.0.0.1", () => r()));
    const at = `https://127.0.0.1:${(tokenOnly.address() as AddressInfo).port}`;
    const trusted = createHttpClient({ url: at, token: "t".repeat(32), tls: { ca: pem("ca.pem") } });
    const untrusted = createHttpClient({ url: at, token: "t".repeat(32) });
    try {
      const res = await trusted.request({ method: "GET", path: "/slips/A/B" });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ auth: `Bearer ${"t".repeat(32)}` });
      await expect(untrusted.request({ method: "GET", path: "/" })).rejects.toThrow(HttpTransportError);
    } finally {
      trusted.close();
      untrusted.close();
      tokenOnly.closeAllConnections();
      await new Promise<void>((r) => tokenOnly.close(() => r()));
    }
  });

  it("sends the bearer token of its destination", async () => {
    const s = await FakeSettlement.start({ token: "sekret" });
    const good = createHttpClient({ url: s.url, token: "sekret" });
    const bad = createHttpClient({ url: s.url, token: "wrong" });
    expect(
      (
        await good.request({
          method: "POST",
          path: "/days",
          headers: { "idempotency-key": "d1" },
          body: '{"date":"2026-11-25"}',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await bad.request({
          method: "POST",
          path: "/days",
          headers: { "idempotency-key": "d2" },
          body: '{"date":"2026-11-25"}',
        })
      ).status,
    ).toBe(401);
    good.close();
    bad.close();
    await s.close();
  });
});
