/**
 * Issue 13, finding 1, tried against the real daemon: a client on the office network (the
 * management address) cannot reach the visitor or service API or watch sessions; a DNS-rebinding
 * page gets 421; a page of another site cannot change the visitor's basket (403); operations and
 * the admin API answer on the management listener over TLS, and the admin API nowhere else.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueSlip, testKeys } from "../../helpers/test-config.ts";
import {
  ADMIN_TOKEN,
  type AttackedDaemon,
  kioskYaml,
  raw,
  startAttackedDaemon,
} from "./daemon-under-attack.ts";

let d: AttackedDaemon;
beforeAll(async () => {
  d = await startAttackedDaemon();
}, 60_000);
afterAll(async () => {
  await d?.stop();
});

const onLan = (pathname: string, options: Parameters<typeof raw>[1] = {}) =>
  raw(new URL(pathname, d.management), { ...options, ca: d.ca });
const onLoopback = (pathname: string, options: Parameters<typeof raw>[1] = {}) =>
  raw(new URL(pathname, d.loopback), options);

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

describe("a client on the office network (the management address)", () => {
  it("finds no visitor listener on that address at all", async () => {
    expect(d.loopback.hostname).toBe("127.0.0.1");
    expect(await connects(d.management.hostname, Number(d.loopback.port))).toBe(false);
    expect(await connects(d.loopback.hostname, Number(d.loopback.port))).toBe(true);
  });

  it("cannot watch sessions, scan, build a basket, cancel or log in as a technician there", async () => {
    const slip = issueSlip(d.keys);
    const attempts = [
      onLan("/api/events"),
      onLan("/api/session"),
      onLan("/api/scan", { method: "POST", body: { payload: slip } }),
      onLan("/api/basket", { method: "POST", body: { items: [{ code: "GEO_MAP", quantity: 1 }] } }),
      onLan("/api/session/cancel", { method: "POST", body: {} }),
      onLan("/api/service/login", { method: "POST", body: { pin: "246810" } }),
      onLan("/"),
    ];
    for (const answer of await Promise.all(attempts)) expect(answer.status).toBe(404);
    const session = JSON.parse((await onLoopback("/api/session")).body) as { state: string };
    expect(session.state).toBe("idle");
  });

  it("gets health, readiness, metrics, the API docs and (with the token) the admin API, over TLS only", async () => {
    expect(d.management.protocol).toBe("https:");
    expect((await onLan("/health")).status).toBe(200);
    expect([200, 503]).toContain((await onLan("/ready")).status);
    expect((await onLan("/metrics")).body).toContain("oplatomat_");
    const docs = JSON.parse((await onLan("/api/docs/json")).body) as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(["/api/scan", "/api/admin/payments"]));
    expect((await onLan("/api/admin/payments")).status).toBe(401);
    const admin = await onLan("/api/admin/payments", { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(admin.status).toBe(200);
    const plain = new URL(d.management);
    plain.protocol = "http:";
    await expect(raw(new URL("/health", plain))).rejects.toThrow();
  });
});

describe("the loopback listener", () => {
  it("serves operations but neither the admin API nor the API docs", async () => {
    expect((await onLoopback("/health")).status).toBe(200);
    expect((await onLoopback("/metrics")).status).toBe(200);
    const admin = await onLoopback("/api/admin/payments", {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(admin.status).toBe(404);
    expect((await onLoopback("/api/docs")).status).toBe(404);
  });

  it("answers 421 to a DNS-rebinding Host and serves its own address and localhost", async () => {
    const port = d.loopback.port;
    for (const host of [`attacker.example:${port}`, "attacker.example", `127.0.0.1:${Number(port) + 1}`]) {
      const answer = await onLoopback("/api/session", { headers: { host } });
      expect(answer.status, host).toBe(421);
      expect(answer.headers["content-type"]).toContain("application/problem+json");
      // SPEC §4: a problem's code is one of the listed ones.
      expect(JSON.parse(answer.body).code).toBe("VALIDATION");
    }
    const rebound = await onLoopback("/api/scan", {
      method: "POST",
      headers: { host: `attacker.example:${port}`, origin: `http://attacker.example:${port}` },
      body: { payload: issueSlip(d.keys) },
    });
    expect(rebound.status).toBe(421);
    // A hand-written request may leave the port out: the name is what rebinding forges.
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LOCALHOST:${port}`,
      "localhost",
      "127.0.0.1",
    ]) {
      expect((await onLoopback("/api/session", { headers: { host } })).status, host).toBe(200);
    }
  });

  it("still refuses a state change from a page on another port of localhost", async () => {
    const port = Number(d.loopback.port);
    const answer = await onLoopback("/api/scan", {
      method: "POST",
      headers: { host: "localhost", origin: `http://localhost:${port + 1}` },
      body: { payload: issueSlip(d.keys) },
    });
    expect(answer.status).toBe(403);
  });

  it("refuses a cross-site POST with 403 and keeps the visitor's basket", async () => {
    const own = d.loopback.origin;
    const scanned = await onLoopback("/api/scan", {
      method: "POST",
      headers: { origin: own, "sec-fetch-site": "same-origin" },
      body: { payload: issueSlip(d.keys) },
    });
    expect(scanned.status).toBe(200);
    const before = JSON.parse(scanned.body) as { id: string; total: number; state: string };
    expect(before.state).toBe("summary");

    const forged = { items: [{ code: "TAX_LOCAL", amount: 1_000_000, reference: "X" }] };
    const attempts: Array<Record<string, string>> = [
      { origin: "http://attacker.example" },
      { origin: "null" },
      { origin: `http://127.0.0.1:${Number(d.loopback.port) + 1}` },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
    ];
    for (const headers of attempts) {
      for (const [pathname, body] of [
        ["/api/basket", forged],
        ["/api/session/cancel", {}],
      ] as const) {
        const answer = await onLoopback(pathname, { method: "POST", headers, body });
        expect(answer.status, `${pathname} ${JSON.stringify(headers)}`).toBe(403);
        expect(JSON.parse(answer.body)).toMatchObject({ status: 403, code: "UNAUTHORIZED" });
      }
    }
    const after = JSON.parse((await onLoopback("/api/session")).body) as typeof before;
    expect(after).toMatchObject({ id: before.id, total: before.total, state: "summary" });
    // The kiosk's own page (same origin, or localhost) and non-browser clients still may.
    const cancel = await onLoopback("/api/session/cancel", {
      method: "POST",
      headers: { origin: `http://localhost:${d.loopback.port}`, host: `localhost:${d.loopback.port}` },
      body: {},
    });
    expect(cancel.status).toBe(200);
  });

  it("sends a content security policy, nosniff and no framing with the UI and the API", async () => {
    for (const pathname of ["/", "/api/session"]) {
      const headers = (await onLoopback(pathname)).headers;
      const csp = String(headers["content-security-policy"]);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["x-frame-options"]).toBe("DENY");
    }
    expect((await onLan("/health")).headers["x-content-type-options"]).toBe("nosniff");
  });
});

describe("a configuration that would put the kiosk on the network", () => {
  it("stops `oplatomat start` and fails `config check`, naming the path", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-exposed-"));
    try {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ host: "0.0.0.0", port: 0 }, "/server/host: must be a loopback address"],
        [
          { host: "127.0.0.1", port: 0, management: { host: "0.0.0.0", port: 0 } },
          "/server/management/tls: is required",
        ],
      ];
      for (const [server, expected] of cases) {
        const file = kioskYaml(dir, testKeys(), server);
        for (const args of [
          ["start", "--config", file, "--data", dir],
          ["config", "check", file],
        ]) {
          const run = spawnSync(process.execPath, [path.resolve("bin/oplatomat.mjs"), ...args], {
            encoding: "utf8",
            env: { ...process.env, OPLATOMAT_CONFIG: "" },
            timeout: 30_000,
          });
          expect(run.status, args[0]).not.toBe(0);
          expect(run.stderr + run.stdout, args[0]).toContain(expected);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
