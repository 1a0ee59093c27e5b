/**
 * A collection of V8's young generation at the end of each visit, so the next payment starts with
 * an empty nursery: a payment allocates less than the young generation holds (the unit gives it
 * 2 MB halves), so its steps rarely stop for a scavenge, which otherwise fell inside six payments
 * in ten on the bench (docs/benchmarks.md, "the tail"). Possible only when the runtime lets the
 * daemon ask for a collection (`node --expose-gc`, as the systemd unit starts it); else nothing.
 */
import { afterEachVisit, isQuiet, type QuietSource } from "./quiet-moments.ts";

type Collect = (options: { type: "minor" | "major" }) => void;

/** Starts collecting the young generation at quiet moments, when `collect` exists; returns the stop. */
export function collectYoungWhenQuiet(
  flow: QuietSource,
  collect: Collect | undefined = (globalThis as { gc?: Collect }).gc,
): () => void {
  if (typeof collect !== "function") return () => undefined;
  return afterEachVisit(flow, () => {
    if (isQuiet(flow)) collect({ type: "minor" });
  });
}
