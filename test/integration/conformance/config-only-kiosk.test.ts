/**
 * SPEC §2 and §5 for a kiosk started as `oplatomat start --config FILE`, without `--data`: the
 * daemon then keeps its state (database, generated receipt key) in the directory of `storage.path`,
 * and "every command that reads the configuration or the database takes --config FILE and --data
 * DIR as start does", so the same `--config` alone must find them: `keys export-receipt-key` prints
 * the key the daemon signs with, `receipt verify --config` checks a code against it, and
 * `config check` takes `--config FILE` (or OPLATOMAT_CONFIG) like any other command.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createPrivateKey, createPublicKey } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signReceiptCode } from "../../../kiosk/domain/receipt-code.ts";
import { BIN, oplatomat, payDemoSlip, writeConfig } from "../../helpers/cli-daemon.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";

const keys = testKeys();
let dir = "";
let stateDir = "";
let configFile = "";
let daemon: ChildProcess | undefined;
let paymentId = "";
const noEnv = { OPLATOMAT_CONFIG: "" };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-conf-config-only-"));
  stateDir = path.join(dir, "var", "lib", "kiosk");
  configFile = writeConfig(dir, testConfig(keys, { storage: { path: path.join(stateDir, "kiosk.db") } }));
  const proc = spawn(process.execPath, [BIN, "start", "--config", configFile, "--port", "0"], {
    env: { ...process.env, OPLATOMAT_CONFIG: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  daemon = proc;
  let out = "";
  proc.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`daemon did not start:\n${out}`)), 30_000);
    proc.stdout.on("data", () => {
      const m = /oplatomat listening on (\S+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    proc.on("exit", (code) => reject(new Error(`daemon exited with ${code}:\n${out}`)));
  });
  paymentId = await payDemoSlip(url, issueSlip(keys));
}, 60_000);

afterAll(async () => {
  if (daemon && daemon.exitCode === null && daemon.signalCode === null) {
    const stopped = new Promise((r) => daemon?.once("exit", r));
    daemon.kill("SIGTERM");
    await stopped;
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("a kiosk started with --config only", () => {
  it("keeps its receipt key where storage.path points (the daemon's own choice)", () => {
    expect(fs.existsSync(path.join(stateDir, "receipt-signing-key.pem"))).toBe(true);
  });

  it("keys export-receipt-key --config prints the public half of the key the daemon signs with", async () => {
    const r = await oplatomat(["keys", "export-receipt-key", "--config", configFile], noEnv);
    expect(r.code, r.stderr).toBe(0);
    const signing = createPrivateKey(fs.readFileSync(path.join(stateDir, "receipt-signing-key.pem")));
    const expected = createPublicKey(signing).export({ type: "spki", format: "pem" });
    expect(r.stdout.toString()).toBe(expected);
  });

  it("receipt verify --config checks a code against that key: genuine passes, another key's fails", async () => {
    const signing = createPrivateKey(fs.readFileSync(path.join(stateDir, "receipt-signing-key.pem")));
    const fields = {
      kiosk: "K01",
      payment: paymentId,
      office: "PZ1465",
      slip: "S/2026/1",
      total: 16000,
      paidAt: "20261206120000",
      kid: "K01",
    };
    const genuine = signReceiptCode(fields, signing);
    const forged = signReceiptCode(fields, keys.slipKey);
    const [good, bad] = await Promise.all([
      oplatomat(["receipt", "verify", "--config", configFile, genuine], noEnv),
      oplatomat(["receipt", "verify", "--config", configFile, forged], noEnv),
    ]);
    expect(good.code, `${good.stdout.toString()}${good.stderr}`).toBe(0);
    expect(JSON.parse(good.stdout.toString())).toMatchObject({ payment: paymentId, total: 16000 });
    expect(bad.code).toBe(1);
    expect(bad.stdout.toString()).toBe("RECEIPT_SIGNATURE_INVALID\n");
  });

  it("outbox list and export payments find the database with --config alone", async () => {
    const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Warsaw" }).format(new Date());
    const [list, csv] = await Promise.all([
      oplatomat(["outbox", "list", "--config", configFile], noEnv),
      oplatomat(["export", "payments", "--from", day, "--to", day, "--config", configFile], noEnv),
    ]);
    expect(list.code, list.stderr).toBe(0);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.toString()).toContain(`${paymentId},`);
  });
});

describe("config check", () => {
  it("takes --config FILE (and --data) as start does, and OPLATOMAT_CONFIG", async () => {
    const [flag, withData, fromEnv, both] = await Promise.all([
      oplatomat(["config", "check", "--config", configFile], noEnv),
      oplatomat(["config", "check", "--config", configFile, "--data", stateDir], noEnv),
      oplatomat(["config", "check"], { OPLATOMAT_CONFIG: configFile }),
      oplatomat(["config", "check", configFile, "--config", configFile], noEnv),
    ]);
    for (const r of [flag, withData, fromEnv]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.toString()).toBe("ok\n");
    }
    expect(both.code).toBe(2);
  });

  it("names the broken rule of a configuration given by --config", async () => {
    const broken = path.join(dir, "broken.yaml");
    const config = testConfig(keys, { server: { host: "0.0.0.0", port: 0 } });
    fs.writeFileSync(broken, JSON.stringify(config));
    const r = await oplatomat(["config", "check", "--config", broken], noEnv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("server/host");
  });

  it("without a file anywhere is a usage error", async () => {
    const r = await oplatomat(["config", "check"], noEnv);
    expect(r.code).toBe(2);
  });
});
