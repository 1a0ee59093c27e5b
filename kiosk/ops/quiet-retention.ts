/**
 * Applies the outbox's retention rule (kiosk/store/outbox-retention.ts) at quiet moments: once a day,
 * at the first look (every `checkMs`) that finds no visit under way, it deletes the expired delivered
 * messages a batch per transaction, yielding to the event loop between batches and stopping as soon as
 * a visit starts. A run does at most `maxBatches` batches; what is left (the first run on a kiosk with
 * years of history) is taken up at the next quiet look rather than the next day. The freed pages are
 * reused by SQLite, so the file stops growing; nothing rewrites the file (no VACUUM).
 */
import type { Db } from "../store/db.ts";
import { OUTBOX_PRUNE_BATCH, pruneDeliveredOutbox, retentionCutoff } from "../store/outbox-retention.ts";
import { isQuiet, type QuietSource } from "./quiet-moments.ts";

export interface QuietRetentionOptions {
  log: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  now?: () => Date;
  /** How often to look whether a run is due and the kiosk is quiet (ms; default 10 minutes). */
  checkMs?: number;
  /** A completed run is repeated after this long (ms; default a day). */
  everyMs?: number;
  batchRows?: number;
  /** Batches per run (default 20: 10 000 messages, about 20 days of a busy kiosk). */
  maxBatches?: number;
  /** Hears each run's count of deleted messages (metrics). */
  onPruned?: (count: number) => void;
}

export interface QuietRetention {
  /**
   * Runs now if quiet, whether or not a run is due (the timer's looks run only when one is); resolves with
   * the count deleted, or null if skipped.
   */
  runNow(): Promise<number | null>;
  stop(): void;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Starts pruning the outbox at quiet moments; returns the handle (its `stop` ends it). */
export function pruneOutboxWhenQuiet(
  db: Db,
  flow: QuietSource,
  options: QuietRetentionOptions,
): QuietRetention {
  const now = options.now ?? (() => new Date());
  const everyMs = options.everyMs ?? 86_400_000;
  const batchRows = options.batchRows ?? OUTBOX_PRUNE_BATCH;
  const maxBatches = options.maxBatches ?? 20;
  let lastCompleted: number | undefined;
  let running = false;
  let stopped = false;

  const due = () => lastCompleted === undefined || now().getTime() - lastCompleted >= everyMs;

  const run = async (): Promise<number | null> => {
    if (running || stopped || !db.open || !isQuiet(flow)) return null;
    running = true;
    let deleted = 0;
    let complete = false;
    // One cutoff for the whole run: its batches agree on what has expired.
    const cutoff = retentionCutoff(now());
    try {
      for (let batch = 0; batch < maxBatches; batch++) {
        if (batch > 0) {
          await yieldToEventLoop();
          if (stopped || !db.open || !isQuiet(flow)) break;
        }
        const n = pruneDeliveredOutbox(db, cutoff, batchRows);
        deleted += n;
        if (n < batchRows) {
          complete = true;
          break;
        }
      }
    } catch (e) {
      options.log.warn({ err: String(e) }, "outbox retention failed; the next quiet moment tries again");
    } finally {
      running = false;
    }
    if (complete) lastCompleted = now().getTime();
    if (deleted > 0) {
      options.log.info(
        { deleted, deliveredBefore: cutoff.toISOString(), complete },
        "delivered outbox messages past their retention deleted",
      );
      options.onPruned?.(deleted);
    }
    return deleted;
  };

  const timer = setInterval(() => {
    if (due()) void run();
  }, options.checkMs ?? 600_000);
  timer.unref();
  return {
    runNow: run,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
