/**
 * Issue 19 items 5 and 6 through the real daemon and command line: the first backup is written at
 * start into the data directory (relative `storage.backup.directory`), with no `-wal`/`-shm`
 * leftovers; a failing backup shows on /ready and /metrics; `backup restore` refuses while the
 * daemon runs and a bad copy always, and restores end to end; an end-of-day whose terminal totals
 * differ from the kiosk's is logged, audited, counted and warns on /ready until acknowledged.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPin } from "../../../kiosk/auth/pin-hash.ts";
import {
  type CliDaemon,
  oplatomat,
  payDemoSlip,
  startCliDaemon,
  until,
  writeConfig,
} from "../../helpers/cli-daemon.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";

const PIN = "739164";
const keys = testKeys();
let dir = "";
let dataDir = "";
let configFile = "";
let running: CliDaemon | undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-backup-restore-"));
  dataDir = path.join(dir, "data");
  fs.mkdirSync(dataDir);
  configFile = writeConfig(dir, {
    ...testConfig(keys, {}),
    storage: { path: "oplatomat.db", backup: { directory: "backups", intervalMinutes: 600, keep: 5 } },
    service: { pinHash: await hashPin(PIN, { N: 1024, r: 8, p: 1 }) },
  });
}, 30_000);

afterAll(async () => {
  await running?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => oplatomat([...args, "--config", configFile, "--data", dataDir]);
const readyOf = async (url: string) =>
  (await (await fetch(`${url}/ready`)).json()) as {
    checks: Record<string, Array<{ status: string; output?: string }>>;
  };
const paymentsIn = (file: string): string[] => {
  const db = new Database(file, { readonly: true });
  try {
    return (
      db.prepare("SELECT id FROM sessions WHERE payment_status = 'approved'").all() as Array<{ id: string }>
    ).map((r) => r.id);
  } finally {
    db.close();
  }
};
async function serviceLogin(url: string): Promise<(p: string, init?: RequestInit) => Promise<Response>> {
  const res = await fetch(`${url}/api/service/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ pin: PIN }),
  });
  const { token } = (await res.json()) as { token: string };
  return (p, init = {}) =>
    fetch(`${url}/api/service${p}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
}

describe("backups, restore and end-of-day mismatches through the daemon", () => {
  let firstCopy = "";
  let paid = "";

  it("writes the first copy at start inside the data directory, one self-contained file", async () => {
    running = await startCliDaemon(configFile, dataDir);
    const backups = path.join(dataDir, "backups");
    firstCopy = await until(
      () => {
        const files = fs.existsSync(backups) ? fs.readdirSync(backups).filter((f) => f.endsWith(".db")) : [];
        return files[0] ? path.join(backups, files[0]) : undefined;
      },
      "the first backup",
      10_000,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(fs.readdirSync(backups)).toEqual([path.basename(firstCopy)]);
    expect(fs.existsSync(path.join(process.cwd(), "backups"))).toBe(false);
    expect((await readyOf(running.url)).checks["backup:last_run"]?.[0]?.status).toBe("pass");
    paid = await payDemoSlip(running.url, issueSlip(keys));
  }, 60_000);

  it("refuses to restore while the daemon runs, and leaves the database as it was", async () => {
    const refused = await cli("backup", "restore", firstCopy);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/daemon is running/);
    expect(paymentsIn(path.join(dataDir, "oplatomat.db"))).toContain(paid);
  }, 30_000);

  it("raises the end_of_day_mismatch alarm when the terminal's totals differ from the kiosk's", async () => {
    // A restarted daemon's fake terminal has an empty batch: it closes 0 payments, the kiosk holds 1.
    await running?.stop();
    running = await startCliDaemon(configFile, dataDir);
    const url = running.url;
    const service = await serviceLogin(url);
    expect((await readyOf(url)).checks["end_of_day_mismatch"]?.[0]?.status).toBe("pass");
    expect((await service("/terminal/end-of-day", { method: "POST", body: "{}" })).status).toBe(200);
    const check = (await readyOf(url)).checks["end_of_day_mismatch"]?.[0];
    expect(check?.status).toBe("warn");
    expect(check?.output).toContain("the kiosk recorded 1");
    await until(async () => {
      const t = await (await fetch(`${url}/metrics`)).text();
      return /^oplatomat_end_of_day_mismatches_total 1$/m.test(t) ? true : undefined;
    }, "the mismatch counter");
    expect(running.output()).toContain("end-of-day mismatch");
    const alarms = (await (await service("/alarms")).json()) as { open: Array<{ id: number; kind: string }> };
    const alarm = alarms.open.find((a) => a.kind === "end_of_day_mismatch");
    expect((await service(`/alarms/${alarm?.id}/acknowledge`, { method: "POST", body: "{}" })).status).toBe(
      200,
    );
    expect((await readyOf(url)).checks["end_of_day_mismatch"]?.[0]?.status).toBe("pass");
  }, 60_000);

  it("refuses a copy that is not a sound database, and restores a good one end to end", async () => {
    await running?.stop();
    running = undefined;
    const junk = path.join(dir, "junk.db");
    fs.writeFileSync(junk, "SQLite format 3\0 but not really a database".padEnd(4096, "x"));
    const bad = await cli("backup", "restore", junk);
    expect(bad.code).toBe(1);
    expect(paymentsIn(path.join(dataDir, "oplatomat.db"))).toContain(paid);

    const restored = await cli("backup", "restore", firstCopy);
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    expect(paymentsIn(path.join(dataDir, "oplatomat.db"))).toEqual([]);
    const kept = fs.readdirSync(dataDir).find((f) => f.startsWith("oplatomat.db.replaced-"));
    expect(kept && paymentsIn(path.join(dataDir, kept))).toContain(paid);

    running = await startCliDaemon(configFile, dataDir);
    const ready = await fetch(`${running.url}/ready`);
    expect(ready.status).toBe(200);
    const again = await payDemoSlip(running.url, issueSlip(keys));
    expect(paymentsIn(path.join(dataDir, "oplatomat.db"))).toEqual([again]);
  }, 60_000);

  it("shows a failing backup on /ready and /metrics", async () => {
    await running?.stop();
    const otherData = path.join(dir, "other");
    fs.mkdirSync(otherData);
    fs.writeFileSync(path.join(otherData, "blocked"), "a file where the backup directory should be");
    const otherConfig = path.join(dir, "other.yaml");
    fs.writeFileSync(
      otherConfig,
      JSON.stringify({
        ...testConfig(keys, {}),
        storage: { path: "oplatomat.db", backup: { directory: "blocked", intervalMinutes: 600, keep: 5 } },
      }),
    );
    running = await startCliDaemon(otherConfig, otherData);
    const url = running.url;
    const check = await until(async () => {
      const c = (await readyOf(url)).checks["backup:last_run"]?.[0];
      return c?.status === "warn" ? c : undefined;
    }, "the backup warning");
    expect(check.output).toContain("backup failed");
    const metrics = await until(async () => {
      const t = await (await fetch(`${url}/metrics`)).text();
      return /^oplatomat_backup_failures_total 1$/m.test(t) ? t : undefined;
    }, "the backup failure counter");
    expect(metrics).toMatch(/^oplatomat_backup_failing 1$/m);
  }, 60_000);
});
