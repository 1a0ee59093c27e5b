/**
 * Checkpoints the daemon's write-ahead log at quiet moments, so no payment step pays for it
 * (kiosk/store/wal.ts says what a checkpoint costs and why SQLite's own stays only as the cap):
 * - after every `everyVisits`-th visit that ended (its receipt printed, or cancelled), on the turn of
 *   the event loop after the one that ended it, so the payment's reports leave for the office first;
 * - every `idleMs` while no visit is in progress, for visits ended since the last checkpoint.
 * Skipped while a visit is in progress (a new scan may have come in the meantime): the next quiet
 * moment does it, and the cap bounds the log if none ever comes.
 */
import type { Db } from "../store/db.ts";
import { capWal, checkpointWal, WAL_CAP_PAGES } from "../store/wal.ts";
import { afterEachVisit, isQuiet, type QuietSource } from "./quiet-moments.ts";

export interface QuietCheckpointOptions {
  /** Checkpoint after this many ended visits (8: about 450 pages of log, 1.8 MiB). */
  everyVisits?: number;
  /** While nothing happens, look this often (ms) for visits not yet checkpointed. */
  idleMs?: number;
  /** SQLite's own checkpoint past this many pages of log (the cap). */
  capPages?: number;
  now?: () => Date;
  log: { warn(obj: object, msg?: string): void };
}

/** Starts checkpointing at quiet moments; returns the stop. */
export function checkpointWhenQuiet(db: Db, flow: QuietSource, options: QuietCheckpointOptions): () => void {
  capWal(db, options.capPages ?? WAL_CAP_PAGES);
  const everyVisits = options.everyVisits ?? 8;
  const now = options.now ?? (() => new Date());
  let ended = 0;
  const run = () => {
    if (!db.open || !isQuiet(flow)) return;
    try {
      const outcome = checkpointWal(db, now());
      if (outcome && !outcome.busy) ended = 0;
    } catch (e) {
      options.log.warn({ err: String(e) }, "checkpoint of the database log failed; SQLite's own will do it");
    }
  };
  const stopVisits = afterEachVisit(flow, () => {
    ended += 1;
    if (ended >= everyVisits) run();
  });
  const timer = setInterval(() => {
    if (ended > 0) run();
  }, options.idleMs ?? 60_000);
  timer.unref();
  return () => {
    clearInterval(timer);
    stopVisits();
  };
}
