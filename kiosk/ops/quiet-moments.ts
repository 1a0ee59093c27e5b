/**
 * The kiosk's quiet moments: right after a visit ended (its receipt printed, or cancelled) the
 * visitor takes the receipt and the next one is not there yet. Housekeeping that would otherwise
 * land inside some payment step runs there: the database log's checkpoint (quiet-checkpoints.ts)
 * and a collection of V8's young generation (quiet-gc.ts).
 */
import type { ScreenChange } from "../flow/ports.ts";
import { isFinal } from "../flow/states.ts";

/** What the quiet moments watch of the flow: its screen. */
export interface QuietSource {
  on(event: "screen", listener: (change: ScreenChange) => void): unknown;
  off(event: "screen", listener: (change: ScreenChange) => void): unknown;
  current(): { state: string } | undefined;
}

/** True while no visit is under way (nothing on screen, or a visit that ended). */
export function isQuiet(flow: QuietSource): boolean {
  const row = flow.current();
  return !row || isFinal(row.state);
}

/**
 * Runs `job` once for each visit that ends, on the turn of the event loop after the one that ended
 * it (so what that turn set going, e.g. the payment's reports to the office, goes first). `job`
 * checks `isQuiet` itself: the next visitor may have scanned meanwhile. Returns the stop.
 */
export function afterEachVisit(flow: QuietSource, job: () => void): () => void {
  let lastEnded: string | null = null;
  const onScreen = (change: ScreenChange) => {
    // A visit's end is published more than once (language, reprint): counted once.
    if (!change.id || !isFinal(change.state) || change.id === lastEnded) return;
    lastEnded = change.id;
    setImmediate(job);
  };
  flow.on("screen", onScreen);
  return () => flow.off("screen", onScreen);
}
