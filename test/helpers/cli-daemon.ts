/**
 * The real daemon and the real command line, as an office runs them: `bin/oplatomat.mjs start
 * --config FILE --data DIR` in a child process (fake terminal and printer, so no card is needed),
 * commands run against the same files, and a scriptable stand-in for an office system that records
 * every request in arrival order.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export const BIN = path.resolve("bin/oplatomat.mjs");

export interface CliResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs one `oplatomat` command to its end. */
export function oplatomat(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    let err = "";
    proc.stdout.on("data", (d: Buffer) => out.push(d));
    proc.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    proc.on("error", reject);
    proc.on("close", (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr: err }));
  });
}

export interface CliDaemon {
  url: string;
  /** The management listener (operations, admin API), when the configuration has one. */
  managementUrl: string | undefined;
  proc: ChildProcess;
  output(): string;
  /** SIGTERM and wait for the exit (the daemon closes its database cleanly). */
  stop(): Promise<void>;
}

export async function startCliDaemon(
  configFile: string,
  dataDir: string,
  management = false,
  timeoutMs = 30_000,
): Promise<CliDaemon> {
  const proc = spawn(
    process.execPath,
    [BIN, "start", "--config", configFile, "--data", dataDir, "--port", "0"],
    {
      env: { ...process.env, OPLATOMAT_OUTBOX_BACKOFF_MS: "20,100" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`daemon did not start:\n${out}`)), timeoutMs);
    const check = () => {
      // The management line follows the listening line when a management listener is configured.
      const m = /oplatomat listening on (\S+)\n(?:oplatomat management on \S+\n)?/.exec(out);
      if (m && (!management || /oplatomat management on \S+\n/.test(out))) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    };
    proc.stdout?.on("data", check);
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`daemon exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    managementUrl: /oplatomat management on (\S+)/.exec(out)?.[1],
    proc,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
      }),
  };
}

export interface ReceivedCall {
  method: string;
  path: string;
  key: string;
  body: Record<string, unknown>;
  status: number;
}

/** An office system stand-in: `answer` decides each status; every call is recorded in order. */
export class ScriptedReceiver {
  readonly calls: ReceivedCall[] = [];
  /** The paths of PiK's slip checks (SPEC §6 `GET /slips/...`), as they arrived. */
  readonly slipChecks: string[] = [];
  answer: (call: Omit<ReceivedCall, "status">) => number = () => 201;
  private server: http.Server | undefined;
  url = "";

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
        } catch {
          body = {};
        }
        const call = {
          method: req.method ?? "",
          path: req.url ?? "",
          key: String(req.headers["idempotency-key"] ?? ""),
          body,
        };
        if (call.method === "GET" && call.path.startsWith("/slips/")) {
          // PiK's slip check (SPEC §6): every slip is open.
          this.slipChecks.push(call.path);
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ status: "open" }));
          return;
        }
        const status = this.answer(call);
        this.calls.push({ ...call, status });
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(status === 409 ? { code: "SLIP_ALREADY_PAID" } : { ok: status < 300 }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

export async function until<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Writes a configuration file (JSON is YAML) and returns its path. */
export function writeConfig(dir: string, config: object): string {
  const file = path.join(dir, "oplatomat.yaml");
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** A visitor's card payment of one slip through the visitor API; resolves with the payment id. */
export async function payDemoSlip(url: string, payload: string): Promise<string> {
  const post = (p: string, body?: object) =>
    fetch(`${url}${p}`, {
      method: "POST",
      headers: body ? { "content-type": "application/json" } : {},
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const scan = await post("/api/scan", { payload });
  if (scan.status !== 200) throw new Error(`scan answered ${scan.status}: ${await scan.text()}`);
  const pay = await post("/api/session/pay");
  if (pay.status !== 202) throw new Error(`pay answered ${pay.status}: ${await pay.text()}`);
  return until(async () => {
    const s = (await (await fetch(`${url}/api/session`)).json()) as {
      state: string;
      payment?: { id: string } | null;
    };
    return (s.state === "done" || s.state === "idle") && s.payment?.id ? s.payment.id : undefined;
  }, "the payment to finish");
}
