/**
 * SPEC §9: a device may authenticate by its client certificate instead of a token
 * (`devices: [ { …, clientCertSha256 } ]`, the server under `tls` with the CA that signs them).
 * Over real TLS against a real PostgreSQL server: the registered certificate books as its device,
 * no certificate or another certificate from the same CA is refused (401), and the certificate's
 * device still may not send for another device (403). Certificates are made with openssl.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseHubConfig } from "../../../hub/config/load.ts";
import { createHub, type Hub } from "../../../hub/main.ts";
import { type HubHarness, startHubHarness, transaction } from "../../helpers/hub-harness.ts";
import { testCertificateAuthority } from "../../helpers/self-signed.ts";

let h: HubHarness;
let hub: Hub;
let url: string;
let dir: string;
const pem = (name: string) => fs.readFileSync(path.join(dir, name));

/** `AB:CD:…`, as `openssl x509 -fingerprint -sha256` prints it and an operator pastes it. */
function fingerprint(name: string): string {
  const out = execFileSync(
    "openssl",
    ["x509", "-in", path.join(dir, name), "-noout", "-fingerprint", "-sha256"],
    {
      encoding: "utf8",
    },
  );
  return out.trim().split("=")[1] as string;
}

beforeAll(async () => {
  h = await startHubHarness();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "oplatomat-hub-tls-"));
  testCertificateAuthority(dir, [
    { name: "server", ext: "subjectAltName=IP:127.0.0.1" },
    { name: "desk", ext: "extendedKeyUsage=clientAuth" },
    { name: "stranger", ext: "extendedKeyUsage=clientAuth" },
  ]);
  const raw = JSON.parse(fs.readFileSync(h.configFile, "utf8"));
  raw.server.tls = {
    cert: path.join(dir, "server.pem"),
    key: path.join(dir, "server.key"),
    ca: path.join(dir, "ca.pem"),
  };
  raw.devices.push({ id: "C01", office: "PZ1465", kind: "desk", clientCertSha256: fingerprint("desk.pem") });
  // Registered, but expired yesterday (signed by the CA), or never signed by the CA (self-signed).
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  const p256 = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  ssl("req", ...p256, "-keyout", "expired.key", "-out", "expired.csr", "-subj", "/CN=expired");
  ssl(
    ...["x509", "-req", "-in", "expired.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial"],
    ...["-out", "expired.pem", "-days", "-1", "-extfile", "desk.ext"],
  );
  ssl(
    "req",
    "-x509",
    ...p256,
    "-keyout",
    "selfmade.key",
    "-out",
    "selfmade.pem",
    "-days",
    "2",
    "-subj",
    "/CN=selfmade",
  );
  raw.devices.push({
    id: "C02",
    office: "PZ1465",
    kind: "desk",
    clientCertSha256: fingerprint("expired.pem"),
  });
  raw.devices.push({
    id: "C03",
    office: "PZ1465",
    kind: "desk",
    clientCertSha256: fingerprint("selfmade.pem"),
  });
  hub = await createHub(parseHubConfig(JSON.stringify(raw), h.dir));
  url = await hub.listen(0);
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await h?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function postOverTls(body: unknown, client?: "desk" | "stranger" | "expired" | "selfmade"): Promise<number> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${url}/transactions`,
      {
        method: "POST",
        ca: pem("ca.pem"),
        ...(client ? { cert: pem(`${client}.pem`), key: pem(`${client}.key`) } : {}),
        headers: {
          "content-type": "application/json",
          "idempotency-key": `key-${Math.random().toString(36).slice(2)}`,
        },
        agent: false,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}

describe("device login by client certificate", () => {
  it("books a transaction from the registered certificate as its device", async () => {
    expect(await postOverTls(transaction({ kiosk: "C01", cashier: "kasjer-01" }), "desk")).toBe(201);
  });

  it("refuses a request without a certificate, or with another certificate of the same CA (401)", async () => {
    expect(await postOverTls(transaction({ kiosk: "C01" }))).toBe(401);
    expect(await postOverTls(transaction({ kiosk: "C01" }), "stranger")).toBe(401);
  });

  it("refuses a registered certificate the CA of server.tls.ca does not vouch for: expired, or not signed by it (401)", async () => {
    // The configuration names the CA that signs the devices' certificates: the fingerprint picks the
    // device, the CA and the certificate's dates say it may still speak for it.
    expect(await postOverTls(transaction({ kiosk: "C02" }), "expired")).toBe(401);
    expect(await postOverTls(transaction({ kiosk: "C03" }), "selfmade")).toBe(401);
  });

  it("refuses the certificate's device sending as another device (403)", async () => {
    expect(await postOverTls(transaction({ kiosk: "K01" }), "desk")).toBe(403);
  });
});
