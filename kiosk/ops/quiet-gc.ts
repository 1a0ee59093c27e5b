/**
 * A collection of V8's young generation at the end of each visit, so the next payment starts with
 * an empty nursery: a payment allocates less than the young generation holds (the unit gives it
 * 2 MB halves), so its steps rarely stop for a scavenge, which otherwise fell inside six payments
 * in ten on the bench (docs/benchmarks.md, "the tail"). Possible only once the runtime lets the
 * daemon ask for a collection: `oplatomat start` sets that up when it is ready (serving-flags.ts), so
 * the collector is looked up at each visit's end; until then, and in a daemon run in-process, nothing.
 */
import type { Collect } from "./exposed-gc.ts";
import { afterEachVisit, isQuiet, type QuietSource } from "./quiet-moments.ts";
import { servingCollector } from "./serving-flags.ts";

/** Starts collecting the young generation at quiet moments, whenever `collector` gives one; returns the stop. */
export function collectYoungWhenQuiet(
  flow: QuietSource,
  collector: () => Collect | undefined = servingCollector,
): () => void {
  return afterEachVisit(flow, () => {
    if (isQuiet(flow)) collector()?.({ type: "minor" });
  });
}
