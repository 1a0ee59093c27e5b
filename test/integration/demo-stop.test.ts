/**
 * `oplatomat demo` stopped by a signal takes its settlement hub (`oplatomat hub demo`, a child process
 * with the embedded database in it) with it, also while that hub is still starting. Before, a SIGTERM
 * during start-up killed the demo outright (no handler yet, so no `exit` event either) and left the hub
 * running on its own (found by hublog, 2026-12-07).
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
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
  return hubPort(dataDir) !== undefined;
}

/** The port the hub's log says it listens on. */
function hubPort(dataDir: string): number | undefined {
  const log = path.join(dataDir, "oplatomat-demo.log.hub");
  if (!fs.existsSync(log)) return undefined;
  const port = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(fs.readFileSync(log, "utf8"))?.[1];
  return port === undefined ? undefined : Number(port);
}

/** Whether this machine lets a new listener take `port` on the loopback address (nothing holds it). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

describe("oplatomat demo stopped by a signal", () => {
  // SIGKILL runs no handler in the demo: the hub notices by itself that the process that started it
  // is gone (its IPC channel closes) and stops, freeing its port and its embedded database's directory
  // for the next demo. Before, it ran on for good.
  it("SIGKILL once its hub listens: the hub stops by itself and its port is free", async () => {
    const dataDir = path.join(root, "killed");
    const hubData = path.join(dataDir, "hub");
    const demo = spawn(process.execPath, ["bin/oplatomat.mjs", "demo", "--port", "0", "--data", dataDir], {
      stdio: ["ignore", "ignore", "ignore"],
    });
    demos.push(demo);
    const exited = new Promise<string | null>((resolve) =>
      demo.once("exit", (_code, signal) => resolve(signal)),
    );
    await until("the hub's start", 100_000, () => hubPids(hubData).length > 0 && hubListens(dataDir));
    const [hub] = hubPids(hubData);
    const port = hubPort(dataDir)!;
    expect(await portFree(port)).toBe(false);
    demo.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    await until(`the end of the hub (pid ${hub})`, 30_000, () => !hubPids(hubData).includes(hub!));
    expect(await portFree(port)).toBe(true);
    // It stopped by its own path (listener and database closed, as on SIGTERM), and says why.
    expect(fs.readFileSync(path.join(dataDir, "oplatomat-demo.log.hub"), "utf8")).toMatch(
      /"reason":"the parent process is gone".*"msg":"stopping"/,
    );
  }, 150_000);

  // The case hublog met: the hub up, the demo's kiosk still starting. Before, the hub ran on for good
  // (while it starts it wrote its announcement into a closed pipe and died of that, by chance).
  it("SIGTERM once its hub listens, before the demo is ready, stops the hub too", async () => {
    await stopDemoWhen("listening", "SIGTERM", hubListens);
  }, 150_000);

  it("SIGINT alone (not the terminal's whole process group) while its hub starts stops the hub", async () => {
    await stopDemoWhen("starting", "SIGINT", () => true);
  }, 150_000);
});
