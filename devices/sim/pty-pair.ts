/**
 * A connected pair of pseudo-terminals made by socat, so serial drivers run through the real
 * `serialport` binding and kernel tty without hardware. Killing socat is what an unplug looks like;
 * `replug()` starts it again with the same link names (new /dev/pts numbers behind them).
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface PtyPair {
  /** Link for the kiosk side (the driver opens this one). */
  pathA: string;
  /** Link for the device side (the simulator opens this one). */
  pathB: string;
  /** Kills socat: both ends see the line vanish, like a pulled USB adapter. */
  unplug(): Promise<void>;
  /** Starts socat again with the same link names. */
  replug(): Promise<void>;
  /** Kills socat and removes the temp dir. */
  close(): Promise<void>;
}

export interface PtyPairOptions {
  /** Directory for the links; a fresh temp dir by default (removed by close()). */
  dir?: string;
  nameA?: string;
  nameB?: string;
  /** How long to wait for socat to create both links (default 5000 ms). */
  timeoutMs?: number;
}

/**
 * socat runs under `setpriv --pdeathsig SIGTERM` (util-linux: on every Debian and Raspberry Pi OS): the
 * kernel sends it SIGTERM when the thread that started it ends, however its process ends, SIGKILL
 * included, and socat removes its links as on an unplug. Without it, a simulator or test killed
 * outright left socat running, holding both ptys and the links. (Node spawns from the main thread, so
 * that thread's end is the process's; a pair made in a worker thread would go with that thread.)
 * Where setpriv is missing (not Linux), socat runs as before.
 */
const SETPRIV = (process.env["PATH"] ?? "")
  .split(path.delimiter)
  .map((dir) => path.join(dir, "setpriv"))
  .find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

function waitForLinks(paths: string[], child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = (): void => {
      if (child.exitCode !== null) {
        reject(new Error(`socat exited with code ${child.exitCode}`));
        return;
      }
      if (paths.every((p) => fs.existsSync(p))) {
        resolve();
        return;
      }
      if (Date.now() - started > timeoutMs) {
        reject(new Error(`socat did not create ${paths.join(", ")} within ${timeoutMs} ms`));
        return;
      }
      setTimeout(check, 10);
    };
    check();
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export async function createPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "oplatomat-pty-"));
  const pathA = path.join(dir, options.nameA ?? "kiosk");
  const pathB = path.join(dir, options.nameB ?? "device");
  const timeoutMs = options.timeoutMs ?? 5000;
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const socat = ["socat", `pty,raw,echo=0,link=${pathA}`, `pty,raw,echo=0,link=${pathB}`];
    const [command, ...args] = SETPRIV ? [SETPRIV, "--pdeathsig", "SIGTERM", "--", ...socat] : socat;
    const proc = spawn(command!, args, {
      stdio: ["ignore", "ignore", "pipe"],
    });
    proc.stderr?.resume();
    proc.on("error", () => {});
    child = proc;
    await waitForLinks([pathA, pathB], proc, timeoutMs);
  };

  const unplug = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    await stop(proc);
    // socat removes its links on SIGTERM; make sure they are gone before a replug recreates them.
    for (const p of [pathA, pathB]) fs.rmSync(p, { force: true });
  };

  await start();
  return {
    pathA,
    pathB,
    unplug,
    replug: start,
    close: async () => {
      await unplug();
      if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
