/**
 * Frees the page buffers a long report has already written. Each page the database writes reaches
 * JavaScript as a Buffer whose bytes live outside V8's heap; V8 frees them only when it collects the
 * young generation, and it collects that when JavaScript allocates — which a report passing pages
 * through hardly does. Left alone, tens of megabytes of spent pages pile up (issue 17: the report's
 * peak memory). A young-generation collection of a nearly empty heap takes a fraction of a
 * millisecond, so one every few megabytes written costs nothing measurable.
 *
 * The collector is V8's `gc`, reached without a command-line flag (the CLI and the daemon run as
 * plain `node`): the flag is set at run time and the function taken from a fresh context. Where the
 * runtime refuses, reports work as before, with more memory.
 */
import { type Collect, exposeGc } from "../ops/exposed-gc.ts";

let collect: Collect | null | undefined;

function collector(): Collect | null {
  if (collect !== undefined) return collect;
  try {
    collect = exposeGc() ?? null;
  } catch {
    collect = null;
  }
  return collect;
}

/** Collects the young generation, where written pages die; a no-op where the runtime has no collector. */
export function releaseSpentBuffers(): void {
  collector()?.({ type: "minor" });
}
