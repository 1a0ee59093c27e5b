/**
 * Issue 13.4 on the real demo daemon: a flood of PIN guesses at the service login locks it, the lock
 * holds for the right PIN too, is counted on /metrics and in the audit log, and is still there after
 * the daemon restarts over the same data directory.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimKioskIo } from "../../../devices/gpio/sim.ts";
import { type Demo, startDemo } from "../../../kiosk/demo.ts";
import { sample } from "../../helpers/metrics-text.ts";

const DEMO_PIN = "246810";
const LOG_DIR = path.resolve("test-results/logs");
let demo: Demo | undefined;
let dataDir = "";

async function start(): Promise<Demo> {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  return startDemo({
    port: 0,
    dataDir,
    quiet: true,
    terminalDelayMs: 0,
    logFile: path.join(LOG_DIR, `pin-lockout-${process.pid}.log`),
  });
}

async function login(pin: string): Promise<Response> {
  return fetch(`${demo?.url}/api/service/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ pin }),
  });
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-pin-lockout-"));
  demo = await start();
}, 60_000);

afterAll(async () => {
  await demo?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("service PIN flood", () => {
  it("locks PIN login after five wrong PINs, even for the right PIN, and counts every refusal", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await login(String(100000 + i))).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const right = await login(DEMO_PIN);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(200);
    const metrics = await (await fetch(`${demo?.url}/metrics`)).text();
    expect(sample(metrics, 'oplatomat_service_login_failures_total{reason="wrong_pin"}')).toBe(5);
    expect(sample(metrics, 'oplatomat_service_login_failures_total{reason="locked"}')).toBe(4);
  }, 60_000);

  it("is still locked after the daemon restarts over the same data directory", async () => {
    await demo?.close();
    demo = await start();
    const right = await login(DEMO_PIN);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(200);
    const db = new Database(path.join(dataDir, "oplatomat.db"), { readonly: true });
    try {
      const actions = db
        .prepare("SELECT action, details FROM audit WHERE action LIKE 'service.login%' ORDER BY id")
        .all() as Array<{ action: string; details: string }>;
      expect(actions.filter((a) => a.action === "service.login.failed")).toHaveLength(5);
      expect(actions.some((a) => a.action === "service.login")).toBe(false);
    } finally {
      db.close();
    }
  }, 60_000);
});

describe("service key login", () => {
  it("ends with the key: turned back and turned again, the old token stays dead", async () => {
    const gpio = demo?.daemon.kiosk.devices.gpio as SimKioskIo;
    gpio.setServiceKey(true);
    const keyLogin = await fetch(`${demo?.url}/api/service/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ method: "key" }),
    });
    expect(keyLogin.status).toBe(200);
    const { token } = (await keyLogin.json()) as { token: string };
    const devices = () =>
      fetch(`${demo?.url}/api/service/devices`, { headers: { authorization: `Bearer ${token}` } });
    expect((await devices()).status).toBe(200);
    gpio.setServiceKey(false);
    gpio.setServiceKey(true);
    expect((await devices()).status).toBe(401);
    gpio.setServiceKey(false);
  }, 60_000);
});
