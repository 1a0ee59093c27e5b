/**
 * V8's background compiling yields to the payment (kiosk/ops/compiler-threads.ts): the worker threads
 * Node names as V8's go to the lowest priority, every other thread of the process keeps its own.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { backgroundCompilingYields } from "../../../kiosk/ops/compiler-threads.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

function taskDir(threads: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-tasks-"));
  for (const [tid, name] of Object.entries(threads)) {
    fs.mkdirSync(path.join(dir, tid));
    fs.writeFileSync(path.join(dir, tid, "comm"), `${name}\n`);
  }
  return dir;
}

describe("V8's background threads yield to the payment", () => {
  it("lowers exactly the threads named as V8's workers, to nice 19", () => {
    const dir = taskDir({
      "100": "MainThread",
      "101": "DelayedTaskSche",
      "102": "V8Worker",
      "103": "V8 DefaultWorke",
      "104": "libuv-worker",
      "105": "node",
    });
    const set: Array<[number, number]> = [];
    try {
      expect(backgroundCompilingYields(dir, (tid, priority) => set.push([tid, priority]))).toBe(2);
      expect(set).toEqual([
        [102, 19],
        [103, 19],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("changes nothing where the threads cannot be told apart or lowered", () => {
    const dir = taskDir({ "200": "node", "201": "node" });
    try {
      expect(backgroundCompilingYields(dir, () => expect.fail("no thread is V8's here"))).toBe(0);
      expect(backgroundCompilingYields(path.join(dir, "none"))).toBe(0);
      const refused = taskDir({ "300": "V8Worker" });
      expect(
        backgroundCompilingYields(refused, () => {
          throw new Error("EACCES");
        }),
      ).toBe(0);
      fs.rmSync(refused, { recursive: true, force: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("in a real process: V8's workers at nice 19 where Node names them, every other thread as the main one", () => {
    const script = `
      const { backgroundCompilingYields } = await import(${JSON.stringify(path.join(ROOT, "kiosk/ops/compiler-threads.ts"))});
      const fs = await import("node:fs");
      const lowered = backgroundCompilingYields();
      const threads = fs.readdirSync("/proc/self/task").map((tid) => {
        const name = fs.readFileSync("/proc/self/task/" + tid + "/comm", "utf8").trim();
        const nice = Number(fs.readFileSync("/proc/self/task/" + tid + "/stat", "utf8").split(") ")[1].split(" ")[16]);
        return { tid: Number(tid), name, nice };
      });
      console.log(JSON.stringify({ lowered, pid: process.pid, threads }));`;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
    const { lowered, pid, threads } = JSON.parse(run.stdout) as {
      lowered: number;
      pid: number;
      threads: Array<{ tid: number; name: string; nice: number }>;
    };
    const v8 = threads.filter((t) => /^(V8 ?Worker|V8 DefaultWorke)/.test(t.name));
    expect(lowered).toBe(v8.length);
    const own = threads.find((t) => t.tid === pid)?.nice;
    for (const t of threads) expect(t.nice).toBe(v8.includes(t) ? 19 : own);
    // Node 22 and later name V8's workers; Node 20 names every thread "node".
    if (Number(process.versions.node.split(".")[0]) >= 22) expect(v8.length).toBeGreaterThan(0);
  });
});
