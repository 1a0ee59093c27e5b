/**
 * Office systems at an IP address written in the URL (SPEC §3, §6): `http://[::1]:PORT`, the IPv6
 * loopback SPEC §3 names and the configuration accepts for a token, and `https://` to an IPv4 or
 * IPv6 address with mutual TLS. The URL parser keeps an IPv6 literal's brackets; before, the client
 * looked the bracketed text up as a host name (ENOTFOUND `[::1]`), so every slip check was
 * SLIP_CHECK_UNAVAILABLE and every message was retried for ever.
 */
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../../../kiosk/integrations/http-client.ts";
import { payDemoSlip, startCliDaemon, until, writeConfig } from "../../helpers/cli-daemon.ts";
import { testCertificateAuthority } from "../../helpers/self-signed.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";

interface Heard {
  method: string;
  path: string;
  host: string;
  key: string;
  client: string | null;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** Records each request; slip checks are open, payments 201. */
function recorder(heard: Heard[]): Handler {
  return (req, res) => {
    req.resume();
    req.on("end", () => {
      const socket = req.socket as Partial<TLSSocket>;
      const peer = socket.getPeerCertificate?.();
      heard.push({
        method: req.method ?? "",
        path: req.url ?? "",
        host: req.headers.host ?? "",
        key: String(req.headers["idempotency-key"] ?? ""),
        client: peer?.subject ? String(peer.subject.CN) : null,
      });
      res.writeHead(req.method === "GET" ? 200 : 201, { "content-type": "application/json" });
      res.end(JSON.stringify(req.method === "GET" ? { status: "open" } : {}));
    });
  };
}

async function listen(server: http.Server | https.Server, host: string): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

/** A machine with IPv6 turned off has no `::1` to listen on; the IPv6 cases are skipped there. */
const hasIpv6Loopback = Object.values(os.networkInterfaces()).some((list) =>
  (list ?? []).some((a) => a.address === "::1"),
);

const close = (server: http.Server | https.Server) => new Promise<void>((r) => server.close(() => r()));

let dir = "";
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-receiver-addr-"));
  testCertificateAuthority(dir, [
    { name: "server", ext: "subjectAltName=IP:127.0.0.1,IP:::1" },
    { name: "elsewhere", ext: "subjectAltName=IP:10.9.8.7" },
    { name: "kiosk", ext: "extendedKeyUsage=clientAuth" },
  ]);
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const read = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");

describe("the HTTP client, to a receiver at an IP address", () => {
  it.skipIf(!hasIpv6Loopback)(
    "reaches http://[::1]:PORT under its base path, with the bracketed Host header",
    async () => {
      const heard: Heard[] = [];
      const server = http.createServer(recorder(heard));
      const port = await listen(server, "::1");
      const client = createHttpClient({ url: `http://[::1]:${port}/pik/v1/` });
      try {
        const res = await client.request({ method: "GET", path: "/slips/PZ1/S%2F1", timeoutMs: 3000 });
        expect(res.status).toBe(200);
        expect(heard).toMatchObject([{ path: "/pik/v1/slips/PZ1/S%2F1", host: `[::1]:${port}` }]);
      } finally {
        client.close();
        await close(server);
      }
    },
  );

  for (const [address, inUrl] of [
    ["127.0.0.1", "127.0.0.1"],
    ["::1", "[::1]"],
  ] as const) {
    it.skipIf(address === "::1" && !hasIpv6Loopback)(
      `speaks mutual TLS to https://${inUrl}, verifying the server's certificate by that address`,
      async () => {
        const heard: Heard[] = [];
        const tls = { cert: read("kiosk.pem"), key: read("kiosk.key"), ca: read("ca.pem") };
        const server = https.createServer(
          { cert: read("server.pem"), key: read("server.key"), ca: read("ca.pem"), requestCert: true },
          recorder(heard),
        );
        const port = await listen(server, address);
        const client = createHttpClient({ url: `https://${inUrl}:${port}/api`, tls });
        try {
          const res = await client.request({
            method: "POST",
            path: "/transactions",
            headers: { "idempotency-key": "k1" },
            body: "{}",
            timeoutMs: 3000,
          });
          expect(res.status).toBe(201);
          expect(heard).toMatchObject([{ path: "/api/transactions", key: "k1", client: "kiosk" }]);
        } finally {
          client.close();
          await close(server);
        }
        // Still verified: a certificate for another address is refused.
        const impostor = https.createServer(
          { cert: read("elsewhere.pem"), key: read("elsewhere.key") },
          recorder(heard),
        );
        const otherPort = await listen(impostor, address);
        const wary = createHttpClient({ url: `https://${inUrl}:${otherPort}/api`, tls });
        try {
          await expect(
            wary.request({ method: "GET", path: "/slips/A/B", timeoutMs: 3000 }),
          ).rejects.toMatchObject({ kind: "connection" });
        } finally {
          wary.close();
          await close(impostor);
        }
      },
    );
  }
});

describe.skipIf(!hasIpv6Loopback)(
  "a kiosk whose office systems are at http://[::1] (SPEC §3 accepts the address)",
  () => {
    it("asks PiK about the slip and delivers the payment there, and the transaction to settlement", async () => {
      const keys = testKeys();
      const pikHeard: Heard[] = [];
      const settlementHeard: Heard[] = [];
      const pik = http.createServer(recorder(pikHeard));
      const settlement = http.createServer(recorder(settlementHeard));
      const [pikPort, settlementPort] = [await listen(pik, "::1"), await listen(settlement, "::1")];
      const data = path.join(dir, "kiosk-data");
      fs.mkdirSync(data, { recursive: true });
      const configFile = writeConfig(
        dir,
        testConfig(keys, {
          integrations: {
            pik: { url: `http://[::1]:${pikPort}/pik`, reporting: "direct" },
            settlement: { url: `http://[::1]:${settlementPort}` },
          },
        }),
      );
      const daemon = await startCliDaemon(configFile, data);
      try {
        const paymentId = await payDemoSlip(daemon.url, issueSlip(keys, { slip: "S/V6/1" }));
        expect(pikHeard[0]).toMatchObject({ method: "GET", path: "/pik/slips/PZ1465/S%2FV6%2F1" });
        await until(() => (pikHeard.some((h) => h.path === "/pik/payments") ? true : undefined), "PiK");
        await until(
          () => (settlementHeard.some((h) => h.path === "/transactions") ? true : undefined),
          "settlement",
        );
        expect(pikHeard.find((h) => h.path === "/pik/payments")?.key).toBe(`pik.payment.${paymentId}`);
      } finally {
        await daemon.stop();
        await close(pik);
        await close(settlement);
      }
    }, 60_000);
  },
);
