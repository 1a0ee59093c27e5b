/**
 * The outbox's retention rule: a delivered message is deleted once its delivery is older than
 * OUTBOX_RETENTION_DAYS. The receivers hold it from its delivery on (the hub is the ledger of record);
 * without the rule the kiosk kept every message, about 2.6 KB a payment with its indexes (docs/benchmarks.md,
 * "Outbox retention"), for the life of the kiosk. Pending and parked (failed) messages are never
 * deleted, whatever their age: they are not delivered yet.
 *
 * Why a deleted message is never sent again: each message is enqueued by the move of its fact (the
 * payment's `commit`, approved to printing; the void's `reverse`, which leaves the payment reversed;
 * a closing, whose id carries its own terminal_days row), in that move's transaction, and none of
 * these moves can happen twice to one session or closing. The rule also keeps every message of a
 * session not yet in a final state, so a path that re-derives a visit's reports while the visit is
 * still open would find them there (the insert ignores an id already present) rather than gone.
 */
import { FINAL_STATES } from "../flow/states.ts";
import { type Db, statement, withoutSync } from "./db.ts";

/**
 * How long a delivered message is kept, from its delivery. Offices reconcile by month and by quarter,
 * and close a quarter in the month after it: the longest quarter (92 days) and that month (31 days)
 * keep each message of a quarter, with its delivery time, at hand on the kiosk until the quarter is
 * closed (`oplatomat outbox`, a support engineer asking what was sent when). The kiosk never sends a
 * delivered message again, so no receiver's idempotency-key retention is involved. A constant, not a
 * setting: the configuration (SPEC §4) is a contract.
 */
export const OUTBOX_RETENTION_DAYS = 92 + 31;

/** Rows deleted per transaction: the write lock is held for one small batch at a time. */
export const OUTBOX_PRUNE_BATCH = 500;

const DAY_MS = 86_400_000;

/** The delivery time before which a delivered message may go: the period before `now`. */
export function retentionCutoff(now: Date, days = OUTBOX_RETENTION_DAYS): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

const FINAL = FINAL_STATES.map((s) => `'${s}'`).join(", ");

/**
 * Deletes up to `limit` delivered messages delivered strictly before `deliveredBefore` (a message
 * delivered exactly at the cutoff stays), oldest delivery first, in one transaction; returns how many.
 * A message of a session not yet in a final state stays. Without waiting for the disk: a prune lost to
 * a power cut only brings back delivered messages, which the next prune deletes again.
 */
export function pruneDeliveredOutbox(db: Db, deliveredBefore: Date, limit = OUTBOX_PRUNE_BATCH): number {
  const n = Math.max(0, Math.floor(limit));
  if (n === 0) return 0;
  // delivered_at is always written by markOutboxDelivered as toISOString() (UTC, milliseconds), so
  // the text comparison is the time comparison. The partial index outbox_delivered (migration 10)
  // gives the oldest deliveries first and stops at the limit.
  return withoutSync(
    db,
    () =>
      statement(
        db,
        `DELETE FROM outbox WHERE seq IN (
           SELECT o.seq FROM outbox o
            WHERE o.status = 'delivered' AND o.delivered_at < ?
              AND (o.session_id IS NULL OR EXISTS (
                    SELECT 1 FROM sessions s WHERE s.id = o.session_id AND s.state IN (${FINAL})))
            ORDER BY o.delivered_at LIMIT ?)`,
      ).run(deliveredBefore.toISOString(), n).changes,
  );
}
