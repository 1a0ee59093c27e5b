/**
 * V8's background threads at the lowest CPU priority. V8 compiles optimised code (TurboFan) on its
 * platform worker thread (one: `--v8-pool-size=1` in the unit), and the functions called k times a
 * payment reach the threshold together, at payment ≈ 500/k (serving-flags.ts): a wave of compile jobs, tens
 * of milliseconds of that thread's CPU inside one payment, competing for the kiosk's two cores with the
 * payment's own thread and the devices' peers: up to 19 of the 50 slowest of the first 1 000 payments
 * on the bench were such. At nice 19 the compiling takes the CPU the payment leaves idle (between
 * visitors there is plenty); what is compiled and the code it makes are the same. On Node 24 at load 0.5-1.5 the
 * bench's p95 was 0.2-1.8 ms lower in four pairs of four (docs/benchmarks.md, "Payment overhead, fifth
 * pass"). The same thread marks and sweeps the heap concurrently; when it is late, V8's main thread
 * does that work itself, as it does anyway whenever the worker has not got to it.
 *
 * Node 22 and later name these threads ("V8Worker", "V8 DefaultWorke[r]"); Node 20 names every thread
 * "node", so there nothing changes (its libuv threads, which do the file and crypto work, must keep
 * their priority).
 */
import fs from "node:fs";
import os from "node:os";

/** The names Node gives V8's platform worker threads (the kernel keeps 15 characters). */
const V8_WORKER = /^(V8 ?Worker|V8 DefaultWorke)/;

/** Lowers V8's worker threads of this process to the lowest priority; returns how many it lowered. */
export function backgroundCompilingYields(
  taskDir = "/proc/self/task",
  setPriority: (tid: number, priority: number) => void = os.setPriority,
): number {
  let tids: string[];
  try {
    tids = fs.readdirSync(taskDir);
  } catch {
    return 0; // not Linux, or no /proc: nothing to do
  }
  let lowered = 0;
  for (const tid of tids) {
    let name: string;
    try {
      name = fs.readFileSync(`${taskDir}/${tid}/comm`, "utf8").trim();
    } catch {
      continue; // the thread ended meanwhile
    }
    if (!V8_WORKER.test(name)) continue;
    try {
      setPriority(Number(tid), os.constants.priority.PRIORITY_LOW);
      lowered++;
    } catch {
      // Not allowed here (a container's limits): the threads keep their priority.
    }
  }
  return lowered;
}
