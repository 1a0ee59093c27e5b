import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

let proc: ChildProcess | undefined;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-demo-test-"));
afterAll(async () => {
  if (proc && proc.exitCode === null) {
    const exited = new Promise((r) => proc?.once("exit", r));
    proc.kill("SIGTERM");
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Polls `probe` until it returns something, or fails after `ms`. */
async function eventually<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  for (const until = Date.now() + ms; ; ) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("oplatomat demo", () => {
  it("starts with its settlement hub, becomes ready, a sample slip is paid and the hub's staff API shows the payment", async () => {
    proc = spawn(process.execPath, ["bin/oplatomat.mjs", "demo", "--port", "0", "--data", dataDir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    proc.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    proc.stderr?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    // The demo gives its hub 90 s to start (kiosk/demo-hub.ts); at load 15 one start took over 60 s.
    const deadline = Date.now() + 100_000;
    while (!/Try: curl/.test(out)) {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`demo did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = /UI: +(http:\/\/\S+?)\/\n/.exec(out)?.[1] as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const pngs = [...out.matchAll(/QR: (\S+\.png)/g)].map((m) => m[1] as string);
    expect(pngs).toHaveLength(3);
    for (const png of pngs) expect(fs.readFileSync(png).subarray(1, 4).toString()).toBe("PNG");

    // Ready within 5 s of announcing itself (devices registered, recovery done).
    let ready = 0;
    for (const until = Date.now() + 5_000; Date.now() < until; ) {
      ready = (await fetch(`${url}/ready`)).status;
      if (ready === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready).toBe(200);

    const payload = /\n {2}(OPL1\|\S+)/.exec(out)?.[1] as string;
    const res = await fetch(`${url}/api/scan`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ payload }),
    });
    expect(res.status).toBe(200);
    const view = (await res.json()) as {
      state: string;
      lines: Array<{ code: string; amount: number }>;
      total: number;
      handlingFee: { amount: number } | null;
    };
    expect(view.state).toBe("summary");
    expect(view.lines.map((l) => `${l.code}:${l.amount}`)).toEqual([
      "DR:5400",
      "TAB:8000",
      "NAL:1250",
      "PC:1350",
    ]);
    expect(view.total).toBe(16000 + (view.handlingFee?.amount ?? 0));

    // The whole system: pay, and the settlement hub beside the kiosk books it within seconds.
    const hubUrl = /back office \(settlement hub\): (http:\/\/\S+?)\/\n/.exec(out)?.[1] as string;
    const [, login, password] = /back-office login \(demo only\): (\S+) \/ (\S+)\n/.exec(out) ?? [];
    expect(hubUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${hubUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain('<div id="app">');
    expect((await fetch(`${url}/api/session/pay`, { method: "POST" })).status).toBe(202);
    const paid = await eventually("the payment", 30_000, async () => {
      const session = await json<{ state: string; payment: { id: string } | null }>(
        await fetch(`${url}/api/session`),
      );
      return session.payment?.id && ["printing", "done", "idle"].includes(session.state)
        ? session.payment.id
        : undefined;
    });

    const signIn = await fetch(`${hubUrl}/api/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login, password }),
    });
    expect(signIn.status).toBe(200);
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const today = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Warsaw" }).format(new Date());
    const slip = payload.split("|")[2];
    const booked = await eventually("the payment on the hub", 15_000, async () => {
      const report = await json<{
        total: number;
        transactions: Array<{ transactionId: string; total: number; slip: string; device: string }>;
      }>(await fetch(`${hubUrl}/api/offices/PZ1465/settlement?date=${today}`, { headers: { cookie } }));
      return report.transactions.find((t) => t.slip === slip);
    });
    expect(booked).toMatchObject({ transactionId: paid, total: view.total, device: "K01" });

    // Both daemons log in one style, told apart by `service` (docs/operations.md, "Logs"): the kiosk's
    // log file and the hub's beside it (`oplatomat hub demo`'s standard error), one line per request.
    const logLines = (file: string) =>
      fs
        .readFileSync(path.join(dataDir, file), "utf8")
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(logLines("oplatomat-demo.log").find((l) => l["url"] === "/api/session/pay")).toMatchObject({
      service: "oplatomat",
      time: iso,
      msg: "request",
      status: 202,
    });
    expect(logLines("oplatomat-demo.log.hub").find((l) => l["url"] === "/transactions")).toMatchObject({
      service: "oplatomat-hub",
      time: iso,
      msg: "request",
      method: "POST",
      status: 201,
      reqId: expect.any(String),
    });

    // The kiosk's heartbeat reaches the hub's fleet view, with its outbox and last payment.
    const k01 = await eventually("the heartbeat on the hub", 15_000, async () => {
      const fleet = await json<{
        devices: Array<{
          id: string;
          lastSeen: string | null;
          lastPaymentAt: string | null;
          outbox: unknown;
        }>;
      }>(await fetch(`${hubUrl}/api/fleet`, { headers: { cookie } }));
      const device = fleet.devices.find((d) => d.id === "K01");
      return device?.lastSeen && device.outbox && device.lastPaymentAt ? device : undefined;
    });
    expect(k01.outbox).toMatchObject({ failed: 0 });

    // A slip of one's own, signed as the demo prints how, is payable: the demo's office system takes
    // the slips its key signs as open (it answered 404, "no answer", before).
    const hint = /\n {2}oplatomat slip issue (.+)\n/.exec(out)?.[1] as string;
    expect(hint).toContain("--key config/demo-keys/pik-demo.pem");
    const issued = await new Promise<string>((resolve, reject) => {
      const args = ["bin/oplatomat.mjs", "slip", "issue", ...hint.split(" ").filter((a) => a !== "")];
      const cli = spawn(
        process.execPath,
        args.filter((a) => !a.endsWith(".png") && a !== "--png"),
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      let printed = "";
      cli.stdout?.on("data", (d: Buffer) => {
        printed += d.toString();
      });
      cli.once("exit", (code) => (code === 0 ? resolve(printed.trim()) : reject(new Error(`exit ${code}`))));
    });
    const own = await fetch(`${url}/api/scan`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ payload: issued }),
    });
    const ownView = (await own.json()) as {
      state: string;
      slip: { id: string };
      lines: Array<{ amount: number }>;
    };
    expect(own.status, JSON.stringify(ownView)).toBe(200);
    expect(ownView.state).toBe("summary");
    expect(ownView.slip.id).toBe("S/2026/900001");
    expect(ownView.lines.map((l) => l.amount)).toEqual([5400]);
  }, 200_000);
});
