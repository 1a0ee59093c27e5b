/**
 * Issue 7 acceptance on the running demo daemon (real ZVT terminal and ESC/POS printer simulators
 * over TCP): a payment is counted on /metrics, paper out shows on /metrics and makes /ready fail,
 * a technician's service actions reach the audit log, and the daemon's log holds no card number
 * or token.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Demo, startDemo } from "../../../kiosk/demo.ts";
import { scanText } from "../../../scripts/scan-logs.ts";
import { sample } from "../../helpers/metrics-text.ts";
import { until } from "../../helpers/cli-daemon.ts";

const LOG_DIR = path.resolve("test-results/logs");
const LOG_FILE = path.join(LOG_DIR, `ops-acceptance-${process.pid}.log`);
let demo: Demo | undefined;
let dataDir = "";

beforeAll(async () => {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-ops-acceptance-"));
  demo = await startDemo({ port: 0, dataDir, quiet: true, terminalDelayMs: 0, logFile: LOG_FILE });
});

afterAll(async () => {
  await demo?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const metricsText = async (): Promise<string> => (await fetch(`${demo?.url}/metrics`)).text();

describe("operations acceptance (demo daemon)", () => {
  it("counts a demo payment on /metrics, and promtool accepts the page", async () => {
    const url = demo?.url as string;
    await until(async () => ((await fetch(`${url}/ready`)).status === 200 ? true : undefined), "ready");
    const payload = demo?.sampleSlips[0]?.payload as string;
    const scan = await fetch(`${url}/api/scan`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ payload }),
    });
    expect(scan.status).toBe(200);
    const { total } = (await scan.json()) as { total: number };
    expect((await fetch(`${url}/api/session/pay`, { method: "POST" })).status).toBe(202);
    const text = await until(async () => {
      const t = await metricsText();
      return sample(t, 'oplatomat_payments_total{outcome="approved"}') === 1 ? t : undefined;
    }, "the payment on /metrics");
    expect(sample(text, "oplatomat_payment_amount_grosze_total")).toBe(total);
    expect(sample(text, "oplatomat_last_payment_timestamp_seconds")).toBeGreaterThan(Date.now() / 1000 - 120);
    expect(sample(text, "oplatomat_session_duration_seconds_count")).toBe(1);
    const check = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(`${check.stdout}${check.stderr}`.trim()).toBe("");
    expect(check.status).toBe(0);
  });

  it("shows paper out on /metrics and fails /ready while the printer simulator has no paper", async () => {
    const url = demo?.url as string;
    demo?.sims.printer.set({ paper: "out" });
    const text = await until(async () => {
      const t = await metricsText();
      return sample(t, 'oplatomat_printer_paper{state="out"}') === 1 ? t : undefined;
    }, "paper out on /metrics");
    expect(sample(text, 'oplatomat_printer_paper{state="ok"}')).toBe(0);
    const ready = await until(async () => {
      const r = await fetch(`${url}/ready`);
      return r.status === 503 ? r : undefined;
    }, "/ready 503");
    expect(ready.headers.get("content-type")).toContain("application/health+json");
    demo?.sims.printer.set({ paper: "ok" });
    await until(async () => ((await fetch(`${url}/ready`)).status === 200 ? true : undefined), "ready again");
  });

  it("lets a technician log in with the demo PIN, switch out of order, and audits every action", async () => {
    const url = demo?.url as string;
    const login = await fetch(`${url}/api/service/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pin: "246810" }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const call = (method: string, route: string, body?: object) =>
      fetch(`${url}/api/service${route}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { "content-type": "application/json" } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    expect((await call("GET", "/devices")).status).toBe(200);
    expect((await call("PUT", "/out-of-order", { on: true, reason: "acceptance test" })).status).toBe(200);
    const status = (await (await call("GET", "/devices")).json()) as { outOfOrder: { on: boolean } };
    expect(status.outOfOrder.on).toBe(true);
    // A visitor cannot start a payment while it lasts.
    const scan = await fetch(`${url}/api/scan`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ payload: demo?.sampleSlips[1]?.payload }),
    });
    expect(scan.status).toBe(503);
    const refusal = (await scan.json()) as { code: string; title: string };
    expect(refusal.code).toBe("DEVICE_UNAVAILABLE");
    expect(refusal.title).toContain("acceptance test");
    expect((await call("PUT", "/out-of-order", { on: false })).status).toBe(200);
    const day = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Warsaw" }).format(new Date());
    const payments = (await (await call("GET", `/payments?day=${day}`)).json()) as { payments: unknown[] };
    expect(payments.payments.length).toBeGreaterThanOrEqual(1);
    expect((await call("POST", "/logout")).status).toBe(204);

    const db = new Database(path.join(dataDir, "oplatomat.db"), { readonly: true });
    try {
      const actions = (
        db.prepare("SELECT action FROM audit ORDER BY id").all() as Array<{ action: string }>
      ).map((r) => r.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          "service.login",
          "service.devices.view",
          "service.out_of_order.on",
          "service.out_of_order.off",
          "service.payments.view",
          "service.logout",
        ]),
      );
      expect(JSON.stringify(db.prepare("SELECT * FROM audit").all())).not.toContain(token);
    } finally {
      db.close();
    }
  });

  it("wrote a log without card numbers or tokens", () => {
    const findings = scanText(fs.readFileSync(LOG_FILE, "utf8"), LOG_FILE);
    expect(findings).toEqual([]);
    expect(fs.statSync(LOG_FILE).size).toBeGreaterThan(0);
  });
});
