/**
 * The real daemon (`oplatomat start` in a child process) for attack tests: a configuration on fake
 * devices with a loopback listener on 127.0.0.1 and a TLS management listener on 127.0.0.2, which
 * plays the office-network (LAN) address; tests never send traffic to the machine's real network.
 * Plus a raw HTTP(S) client that sets any `Host`, `Origin` or `Sec-Fetch-Site` a browser would.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { selfSignedCertificate } from "../../helpers/self-signed.ts";
import { type TestKeys, testConfig, testKeys } from "../../helpers/test-config.ts";

export const LAN_ADDRESS = "127.0.0.2";
export const ADMIN_TOKEN = "office-admin-token-for-attack-tests-0123456789";

export interface AttackedDaemon {
  keys: TestKeys;
  /** http://127.0.0.1:PORT */
  loopback: URL;
  /** https://127.0.0.2:PORT */
  management: URL;
  /** The management listener's self-signed certificate (the client's CA). */
  ca: string;
  dir: string;
  output(): string;
  stop(): Promise<void>;
}

/** The demo office's configuration on fake devices, with the given `server` section. */
export function kioskYaml(dir: string, keys: TestKeys, server: Record<string, unknown>): string {
  const doc = parse(fs.readFileSync(path.resolve("config/demo.yaml"), "utf8")) as Record<string, unknown>;
  fs.writeFileSync(path.join(dir, "slip.pub.pem"), keys.slipPublicPem);
  fs.writeFileSync(path.join(dir, "admin-token"), `${ADMIN_TOKEN}\n`, { mode: 0o600 });
  const service = doc["service"] as Record<string, unknown>;
  const config = {
    ...doc,
    slips: { trustedKeys: [{ kid: "pik2026", publicKeyFile: "slip.pub.pem" }], offlinePolicy: "accept" },
    // The in-memory terminal and printer, the keyboard-wedge reader and simulated GPIO of the tests.
    devices: testConfig(keys).devices,
    integrations: {},
    storage: { path: "oplatomat.db" },
    server,
    service: { pinHash: service["pinHash"], adminTokenFile: "admin-token" },
    logging: { level: "info" },
  };
  delete (config as Record<string, unknown>)["endOfDay"];
  const file = path.join(dir, "kiosk.yaml");
  fs.writeFileSync(file, stringify(config));
  return file;
}

export async function startAttackedDaemon(): Promise<AttackedDaemon> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-attack-"));
  const keys = testKeys();
  const tls = selfSignedCertificate(dir, LAN_ADDRESS);
  const file = kioskYaml(dir, keys, {
    host: "127.0.0.1",
    port: 0,
    management: { host: LAN_ADDRESS, port: 0, tls },
  });
  const proc = spawn(
    process.execPath,
    [path.resolve("bin/oplatomat.mjs"), "start", "--config", file, "--data", path.join(dir, "data")],
    { env: { ...process.env, OPLATOMAT_CONFIG: "" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const urls = await new Promise<[string, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the daemon did not start:\n${out}`)), 30_000);
    proc.stdout?.on("data", () => {
      const loop = /listening on (\S+)/.exec(out)?.[1];
      const mgmt = /management on (\S+)/.exec(out)?.[1];
      if (loop && mgmt) {
        clearTimeout(timer);
        resolve([loop, mgmt]);
      }
    });
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the daemon exited with ${code}:\n${out}`));
    });
  });
  return {
    keys,
    loopback: new URL(urls[0]),
    management: new URL(urls[1]),
    ca: fs.readFileSync(tls.cert, "utf8"),
    dir,
    output: () => out,
    stop: async () => {
      await stopChild(proc);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function stopChild(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once("exit", () => resolve());
    proc.kill("SIGTERM");
  });
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request with exactly the headers given (Node's fetch would not let a test forge `Host`).
 * For `text/event-stream` answers only the head is read.
 */
export function raw(
  url: URL | string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown; ca?: string } = {},
): Promise<RawAnswer> {
  const target = new URL(url);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(body));
  }
  const send = target.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      { method: options.method ?? "GET", headers, ...(options.ca ? { ca: options.ca } : {}), agent: false },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
        if (String(res.headers["content-type"]).startsWith("text/event-stream")) {
          done();
          res.destroy();
          return;
        }
        res.on("data", (c: string) => {
          text += c;
        });
        res.on("end", done);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
