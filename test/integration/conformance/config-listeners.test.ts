/**
 * SPEC §3 `server` written as an outside checker or a technician writes it, through `oplatomat
 * start` in a child process: an IPv6 loopback address in URL brackets (`[::1]`, which the loopback
 * rule takes) serves the kiosk instead of stopping it with `getaddrinfo ENOTFOUND` and a stack trace
 * (exit 70) after `config check` had said ok; a listener the machine cannot open (a port in use, an
 * address of another machine) stops the daemon with the setting's path and the reason, exit 2, as
 * for any configuration error.
 */
import fs from "node:fs";
import net from "node:net";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oplatomat, startCliDaemon, writeConfig } from "../../helpers/cli-daemon.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";

const keys = testKeys();
let dir = "";
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-conf-listeners-"));
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A kiosk whose `server` is as given, in a directory of its own; returns the file and data dir. */
function kioskWith(server: object): { file: string; data: string } {
  const sub = fs.mkdtempSync(path.join(dir, "k-"));
  const data = path.join(sub, "data");
  fs.mkdirSync(data);
  return { file: writeConfig(sub, testConfig(keys, { server } as never)), data };
}

const noEnv = { OPLATOMAT_CONFIG: "" };
const hasIpv6Loopback = Object.values(os.networkInterfaces()).some((list) =>
  (list ?? []).some((a) => a.address === "::1"),
);

describe.skipIf(!hasIpv6Loopback)("an IPv6 loopback address written in brackets", () => {
  it("serves the visitor API and the management listener on ::1", async () => {
    const { file, data } = kioskWith({ host: "[::1]", port: 0, management: { host: "[::1]", port: 0 } });
    const check = await oplatomat(["config", "check", file], noEnv);
    expect(check.code, check.stderr).toBe(0);
    const daemon = await startCliDaemon(file, data, true);
    try {
      expect(daemon.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
      expect(daemon.managementUrl).toMatch(/^http:\/\/\[::1\]:\d+$/);
      const scan = await fetch(`${daemon.url}/api/scan`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ payload: issueSlip(keys) }),
      });
      expect(scan.status, await scan.clone().text()).toBe(200);
      expect(((await scan.json()) as { total: number }).total).toBe(16000);
      expect((await fetch(`${daemon.managementUrl}/health`)).status).toBe(200);
    } finally {
      await daemon.stop();
    }
  });
});

describe("a listener the machine cannot open", () => {
  let taken: net.Server;
  let takenPort = 0;
  beforeAll(async () => {
    taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
    takenPort = (taken.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => taken.close(() => r()));
  });

  it("a visitor port in use: exit 2 naming /server/port, no stack trace", async () => {
    const { file, data } = kioskWith({ host: "127.0.0.1", port: takenPort });
    const r = await oplatomat(["start", "--config", file, "--data", data], noEnv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`/server/port: cannot listen on 127.0.0.1:${takenPort}: it is in use`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("`--port` in use names --port, the setting that chose it", async () => {
    const { file, data } = kioskWith({ host: "127.0.0.1", port: 0 });
    const r = await oplatomat(
      ["start", "--config", file, "--data", data, "--port", String(takenPort)],
      noEnv,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--port: cannot listen on 127.0.0.1:${takenPort}: it is in use`);
  });

  it("a management address of another machine: exit 2 naming /server/management/host", async () => {
    // 203.0.113.0/24 is TEST-NET-3 (RFC 5737): never an address of this machine.
    const { file, data } = kioskWith({
      host: "127.0.0.1",
      port: 0,
      management: { host: "203.0.113.7", port: 0 },
    });
    const check = await oplatomat(["config", "check", file], noEnv);
    expect(check.code).toBe(0);
    const r = await oplatomat(["start", "--config", file, "--data", data], noEnv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "/server/management/host: cannot listen on 203.0.113.7: it is not an address of this machine",
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
