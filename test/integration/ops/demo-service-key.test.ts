/**
 * Issue 19.8: the service-key login can be tried in the demo. `oplatomat demo` reads simulated
 * switches from its terminal: `k` turns the service key (the kiosk goes out of order for visitors
 * and the service API accepts a key login), `k` again turns it back.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, until } from "../../helpers/cli-daemon.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-demo-key-"));
const proc = spawn(process.execPath, [BIN, "demo", "--port", "0", "--data", dir], {
  stdio: ["pipe", "pipe", "pipe"],
});
let out = "";
proc.stdout.on("data", (d: Buffer) => {
  out += d.toString();
});
proc.stderr.on("data", (d: Buffer) => {
  out += d.toString();
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    if (proc.exitCode !== null) return resolve();
    proc.once("exit", () => resolve());
    proc.kill("SIGTERM");
  });
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the demo's simulated service key", () => {
  it("turns with k + Enter: out of order for visitors, a key login for the technician, and back", async () => {
    await until(
      () => (out.includes("Simulated switches") ? true : undefined),
      `the demo to start:\n${out}`,
      90_000,
    );
    const url = /UI:\s+(\S+?)\/?\n/.exec(out)?.[1] as string;
    const state = async () => ((await (await fetch(`${url}/api/session`)).json()) as { state: string }).state;
    const keyLogin = () =>
      fetch(`${url}/api/service/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ method: "key" }),
      });
    expect((await keyLogin()).status).toBe(401);

    proc.stdin.write("k\n");
    await until(async () => ((await state()) === "out_of_order" ? true : undefined), "out of order");
    expect(out).toContain("service key turned");
    expect((await keyLogin()).status).toBe(200);

    proc.stdin.write("k\n");
    await until(async () => ((await state()) !== "out_of_order" ? true : undefined), "back in service");
    expect((await keyLogin()).status).toBe(401);
  }, 120_000);
});
