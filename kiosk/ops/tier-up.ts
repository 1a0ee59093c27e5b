/**
 * Optimises the payment's code sooner on V8 12 and later (Node 22, 24). There V8 compiles a function
 * with TurboFan after 3 000 calls (Maglev, which would come earlier, is off in the unit). Much of a
 * payment's code runs once or a few times a payment, so on the bench it was still being optimised
 * after 1 000 payments (the daemon's main thread: 6.4 ms a payment over the first 100, 5.0 over the
 * last 300), and a kiosk restarted every night would spend its days warming up. After 500 calls the
 * main thread takes 0.4-0.6 ms less inside each payment once past the first hundred; on the bench
 * the p50 fell 0.4-0.7 ms and the p95 0.2-1.3 ms over 1 000 payments (more compiling falls into the
 * first hundred, less after), for 1-2 MB more resident memory (docs/benchmarks.md, "Payment
 * overhead, fourth pass"). The threshold is V8's own flag, set from the daemon rather than in the
 * unit's ExecStart: Node 20's V8 11 does not know it and Node refuses to start with a flag its V8
 * does not know. Node 20 keeps its tiering: a quarter of its interrupt budget moved its slow
 * payments into the first hundred for 3 MB more.
 */
import v8 from "node:v8";

/** Calls of a function before V8 optimises it with TurboFan (V8's default: 3 000). */
export const TURBOFAN_AFTER_CALLS = 500;

/** The running V8's flag for the lower threshold; undefined where it is left as it is. */
export function tierUpFlag(v8Version: string = process.versions.v8): string | undefined {
  return Number(v8Version.split(".")[0]) >= 12
    ? `--invocation-count-for-turbofan=${TURBOFAN_AFTER_CALLS}`
    : undefined;
}

/** Sets the lower threshold when the running V8 takes it; true when it did. */
export function optimiseSooner(
  v8Version: string = process.versions.v8,
  setFlags: (flags: string) => void = v8.setFlagsFromString,
): boolean {
  const flag = tierUpFlag(v8Version);
  if (flag === undefined) return false;
  setFlags(flag);
  return true;
}
