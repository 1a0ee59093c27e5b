/**
 * `oplatomat demo` stopped by a signal takes its settlement hub (`oplatomat hub demo`, a child process
 * with the embedded database in it) with it, also while that hub is still starting. Before, a SIGTERM
 * during start-up killed the demo outright (no handler yet, so no `exit` event either) and left the hub
 * running on its own (found by hublog, 2026-12-07).
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "opl-demo-stop-"));
const demos: ChildProcess[] = [];

/** The pids of the processes whose command line is `… hub demo … --data <hubData> …` (Linux /proc). */
function hubPids(hubData: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
    } catch {
      continue; // gone meanwhile
    }
    const data = args.indexOf("--data");
    if (args.includes("hub") && args.includes("demo") && data >= 0 && args[data + 1] === hubData)
      pids.push(Number(entry));
  }
  return pids;
}

/** Waits until `probe` holds, polling; fails naming `what` after `ms` (a bound, not a pace). */
async function until(what: string, ms: number, probe: () => boolean): Promise<void> {
  for (const end = Date.now() + ms; !probe(); ) {
    if (Date.now() > end) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterAll(() => {
  // Whatever the outcome, nothing of this test keeps running.
  for (const demo of demos) if (demo.exitCode === null && demo.signalCode === null) demo.kill("SIGKILL");
  for (const dir of fs.readdirSync(root))
    for (const pid of hubPids(path.join(root, dir, "hub"))) process.kill(pid, "SIGKILL");
  fs.rmSync(root, { recursive: true, force: true });
});

/**
 * Starts `oplatomat demo`, waits until `ready(dataDir)` holds, sends `signal` and asserts that the demo
 * and its hub are gone.
 */
async function stopDemoWhen(name: string, signal: NodeJS.Signals, ready: (dataDir: string) => boolean) {
  const dataDir = path.join(root, name);
  const hubData = path.join(dataDir, "hub");
  const demo = spawn(process.execPath, ["bin/oplatomat.mjs", "demo", "--port", "0", "--data", dataDir], {
    stdio: ["ignore", "ignore", "ignore"],
  });
  demos.push(demo);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    demo.once("exit", (code, signal) => resolve({ code, signal })),
  );
  // The demo itself gives its hub 90 s to start (kiosk/demo-hub.ts); a loaded machine takes a minute.
  await until("the hub's start", 100_000, () => hubPids(hubData).length > 0 && ready(dataDir));
  const [hub] = hubPids(hubData);
  demo.kill(signal);
  // Stopped by its own handler (killed by the signal, before).
  expect(await exited).toEqual({ code: 0, signal: null });
  await until(`the end of the hub (pid ${hub})`, 30_000, () => !hubPids(hubData).includes(hub!));
}

/** The hub's log (`oplatomat hub demo`'s standard error) says it listens. */
function hubListens(dataDir: string): boolean {
  const log = path.join(dataDir, "oplatomat-demo.log.hub");
  return fs.existsSync(log) && fs.readFileSync(log, "utf8").includes("Server listening at");
}

describe("oplatomat demo stopped by a signal", () => {
  // The case hublog met: the hub up, the demo's kiosk still starting. Before, the hub ran on for good
  // (while it starts it wrote its announcement into a closed pipe and died of that, by chance).
  it("SIGTERM once its hub listens, before the demo is ready, stops the hub too", async () => {
    await stopDemoWhen("listening", "SIGTERM", hubListens);
  }, 150_000);

  it("SIGINT alone (not the terminal's whole process group) while its hub starts stops the hub", async () => {
    await stopDemoWhen("starting", "SIGINT", () => true);
  }, 150_000);
});
