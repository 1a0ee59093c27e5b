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

describe("oplatomat demo", () => {
  it("starts, becomes ready, and a printed sample slip reaches the summary with its lines and total", async () => {
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
    const deadline = Date.now() + 60_000;
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
  }, 90_000);
});
