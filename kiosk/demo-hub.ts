/**
 * The demo's settlement hub: `oplatomat hub demo` (an embedded PostgreSQL, the demo office, a staff
 * login) run as a child process, as the hub runs beside kiosks in an office — kiosk/ never imports
 * hub/, they meet over HTTP. The kiosk's settlement messages and heartbeat go to it with the demo
 * kiosk's token, which `hub demo` writes into its data directory.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "../contracts/install-layout.ts";

export interface DemoHub {
  /** Base URL: the back-office page is at `${url}/`. */
  url: string;
  login: string;
  password: string;
  /** The demo kiosk's bearer token for the hub's ingest. */
  deviceToken: string;
  close(): Promise<void>;
}

const BIN = path.join(ROOT, "bin", "oplatomat.mjs");
const STARTUP_MS = 90_000;

/** What `oplatomat hub demo` prints once it listens. */
function announced(output: string): { url: string; login: string; password: string } | undefined {
  const url = /hub demo on (https?:\/\/\S+)/.exec(output)?.[1];
  const login = /staff login: (\S+) \/ (\S+)/.exec(output);
  return url && login ? { url, login: login[1]!, password: login[2]! } : undefined;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** The command line of `oplatomat hub demo` for these options (the demo's device kind included). */
export function demoHubArgs(options: { dataDir: string; port?: number; kind?: "kiosk" | "desk" }): string[] {
  return [
    BIN,
    "hub",
    "demo",
    "--port",
    String(options.port ?? 0),
    "--data",
    options.dataDir,
    "--kind",
    options.kind ?? "kiosk",
  ];
}

export async function startDemoHub(options: {
  dataDir: string;
  port?: number;
  logFile?: string;
  /** `desk` for the attended demo: the hub's fleet view then calls the demo's device a cash desk. */
  kind?: "kiosk" | "desk";
}): Promise<DemoHub> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const log = options.logFile ? fs.openSync(options.logFile, "a") : "ignore";
  // The IPC channel carries no message: the hub stops when it closes, which is when this process
  // ends, SIGKILL included (hub/cli.ts). A pipe on its standard input would do as well, but would make
  // a hub started by hand in a terminal stop at Ctrl-D; the channel exists only when a parent opens it.
  const child = spawn(process.execPath, demoHubArgs(options), { stdio: ["ignore", "pipe", log, "ipc"] });
  // The parent's exit (Ctrl-C, an error) takes the hub with it.
  const onExit = () => child.kill("SIGTERM");
  process.once("exit", onExit);
  let output = "";
  try {
    const started = await new Promise<{ url: string; login: string; password: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the demo hub did not start:\n${output}`)), STARTUP_MS);
      child.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const found = announced(output);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the demo hub exited (${code ?? signal}):\n${output}`));
      });
    });
    const deviceToken = fs.readFileSync(path.join(options.dataDir, "kiosk.token"), "utf8").trim();
    return {
      ...started,
      deviceToken,
      async close() {
        process.off("exit", onExit);
        await stop(child);
        if (typeof log === "number") fs.closeSync(log);
      },
    };
  } catch (error) {
    process.off("exit", onExit);
    await stop(child);
    if (typeof log === "number") fs.closeSync(log);
    throw error;
  }
}
