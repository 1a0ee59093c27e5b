/**
 * `oplatomat sim terminal --pty LINK` makes its line with a socat child. Killed by SIGKILL (no handler
 * runs), the simulator left socat running, holding both ptys and LINK, until someone found it (found
 * by ops17 while checking the product's child processes after the demo's hub, 2026-12-08). socat now
 * gets SIGTERM from the kernel when its parent dies, and removes its links as on an unplug.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-sim-killed-"));
const link = path.join(dir, "terminal");

/** The pids of the processes whose command line names `link=<link>` (Linux /proc): the line's socat. */
function socatPids(): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (
        fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").includes(`pty,raw,echo=0,link=${link}`)
      )
        pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

afterAll(() => {
  for (const pid of socatPids()) process.kill(pid, "SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

it("a terminal simulator on a pty killed by SIGKILL takes its socat and its link with it", async () => {
  const sim = spawn(process.execPath, ["bin/oplatomat.mjs", "sim", "terminal", "--pty", link], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    sim.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("ZVT terminal simulator on serial")) resolve();
    });
    sim.once("exit", (code) => reject(new Error(`the simulator exited (${code}): ${output}`)));
  });
  const [socat] = socatPids();
  expect(socat).toBeDefined();
  expect(fs.existsSync(link)).toBe(true);
  const killed = new Promise((resolve) => sim.once("exit", (_code, signal) => resolve(signal)));
  sim.kill("SIGKILL");
  expect(await killed).toBe("SIGKILL");
  // A bound, not a pace: the kernel signals socat as its parent dies.
  for (const end = Date.now() + 10_000; socatPids().includes(socat!); ) {
    if (Date.now() > end) throw new Error(`socat (pid ${socat}) still runs after its simulator was killed`);
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(fs.existsSync(link)).toBe(false);
});
