/**
 * Optimises the payment's code sooner. V8 (Node 22 and later, without Maglev as the unit runs it)
 * compiles a function with TurboFan after 3 000 calls; much of a payment's code runs once or a few
 * times a payment, so on the bench it was still being optimised after 1 000 payments (the daemon's
 * main thread took 6.4 ms a payment over the first 100 and 5.0 over the last 300) and a kiosk
 * restarted every night would spend its mornings warming up. After 500 calls it takes 0.6-1.0 ms
 * less a payment over the first 1 000, with the same resident memory (docs/benchmarks.md,
 * "Payment overhead, fourth pass"). The threshold is V8's own flag, set from the daemon rather
 * than in the unit's ExecStart because Node 20 (V8 11) has no such flag and refuses to start with
 * one it does not know; there its tiering is left as it is.
 */
import v8 from "node:v8";

/** Calls of a function before V8 optimises it with TurboFan (V8's default: 3 000). */
export const TURBOFAN_AFTER_CALLS = 500;

/** Sets the threshold when the running V8 has it (12 and later); true when it did. */
export function optimiseSooner(
  v8Version: string = process.versions.v8,
  setFlags: (flags: string) => void = v8.setFlagsFromString,
): boolean {
  if (Number(v8Version.split(".")[0]) < 12) return false;
  setFlags(`--invocation-count-for-turbofan=${TURBOFAN_AFTER_CALLS}`);
  return true;
}
