/**
 * V8's settings for a daemon that serves payments, set by `oplatomat start` once it is ready, not on
 * node's command line. V8 stamps each code cache with a hash of the flags that differ from its defaults
 * (`v8.cachedDataVersionTag()`) and ignores a cache with another stamp. Node carries a cache of its own
 * modules, built with the defaults, in its binary: a daemon started with `--expose-gc`,
 * `--heap-growing-percent` or `--no-maglev` on its command line, or setting them before it loaded
 * fastify, compiled every one of Node's modules it loaded from source, ~40 ms of CPU of each start on
 * Node 24 (docs/benchmarks.md, "Start-up: V8's flags after ready"). Set here, after the start, they
 * change nothing that was compiled: code compiled later (a report, the PDF writer) is cached under the
 * new stamp, which the next start meets again at the same point. The young generation's size and V8's
 * worker count are not in the stamp on V8 12 and later; they stay in the unit (systemd/oplatomat.service).
 *
 * Why each flag:
 * - `--expose-gc`: the daemon collects the young generation itself when a visit ends (quiet-gc.ts),
 *   so that scavenge does not fall inside the next payment's steps.
 * - `--heap-growing-percent=20`: the old generation may grow 20 % past what the last full collection
 *   kept alive before the next one, not V8's 1.1-4x: about 9 MB less, no daemon CPU per payment measurable.
 * - `--no-maglev`: Node 22 and later add V8's Maglev compiler between Sparkplug and TurboFan (Node 20
 *   does not use it: this is its default). On Node 24 its compile jobs held up to 15 MB of malloc'd
 *   memory at once, which stayed in the C library's heap: after 1 000 payments 102-104 MB without it,
 *   110-121 MB with it, daemon CPU per payment within noise.
 * - `--invocation-count-for-turbofan=500` (V8 12 and later: Node 22, 24): V8 compiles a function with
 *   TurboFan after 3 000 calls by default. Much of a payment's code runs once or a few times a payment,
 *   so on the bench it was still being optimised after 1 000 payments (the daemon's main thread: 6.4 ms
 *   a payment over the first 100, 5.0 over the last 300), and a kiosk restarted every night would spend
 *   its days warming up. After 500 calls the main thread takes 0.4-0.6 ms less inside each payment once
 *   past the first hundred; on the bench the p50 fell 0.4-0.7 ms and the p95 0.2-1.3 ms over 1 000
 *   payments, for 1-2 MB more resident memory ("Payment overhead, fourth pass"). Node 20's V8 11 does
 *   not know the flag (it would print an error); Node 20 keeps its tiering.
 */
import v8 from "node:v8";
import { type Collect, exposeGc } from "./exposed-gc.ts";

/** Calls of a function before V8 optimises it with TurboFan (V8's default: 3 000). */
export const TURBOFAN_AFTER_CALLS = 500;

/** The running V8's flag for the lower TurboFan threshold; undefined where it is left as it is. */
export function tierUpFlag(v8Version: string = process.versions.v8): string | undefined {
  return Number(v8Version.split(".")[0]) >= 12
    ? `--invocation-count-for-turbofan=${TURBOFAN_AFTER_CALLS}`
    : undefined;
}

/** The flags a serving daemon sets on the running V8 (`--expose-gc` through exposeGc). */
export function servingFlags(v8Version: string = process.versions.v8): string[] {
  const tierUp = tierUpFlag(v8Version);
  return ["--heap-growing-percent=20", "--no-maglev", ...(tierUp ? [tierUp] : [])];
}

let collector: Collect | undefined;

/** Sets the serving flags; from then on servingCollector() gives V8's collector. */
export function tuneForServing(
  v8Version: string = process.versions.v8,
  setFlags: (flags: string) => void = v8.setFlagsFromString,
): void {
  for (const flag of servingFlags(v8Version)) setFlags(flag);
  collector = exposeGc(setFlags);
}

/** V8's collector once tuneForServing ran; undefined before (and in a daemon run in-process by tests). */
export function servingCollector(): Collect | undefined {
  return collector;
}
