/**
 * When the write-ahead log is copied back into the database file (a checkpoint). Left to itself,
 * SQLite checkpoints inside the commit that takes the log past `wal_autocheckpoint` pages (1 000 by
 * default): that commit then syncs the log again, writes the changed pages into the database file
 * and syncs it, and the next commit syncs the log's new header — three more fsyncs inside whichever
 * payment step happened to cross the line, one payment in 17 on the bench (docs/benchmarks.md, "the
 * tail"). The daemon checkpoints at quiet moments instead (kiosk/ops/quiet-checkpoints.ts) and keeps
 * SQLite's own checkpoint only as a cap, so a kiosk that never has a quiet moment still cannot grow
 * its log without bound. Durability does not depend on either: every commit is synced in the log
 * before it returns, and a checkpoint only copies what is already durable there.
 */
import { type Db, statement, withoutSync } from "./db.ts";

/** The log's ceiling (pages of 4 KiB, about 16 MiB): past it, SQLite checkpoints inside a commit. */
export const WAL_CAP_PAGES = 4_000;

/** Leaves SQLite's own checkpoint to the cap: the commit that takes the log past `pages` checkpoints. */
export function capWal(db: Db, pages: number = WAL_CAP_PAGES): void {
  db.pragma(`wal_autocheckpoint = ${Math.max(1, Math.floor(pages))}`);
}

export interface CheckpointOutcome {
  /** Pages (frames) in the log. */
  frames: number;
  /** Of them, copied into the database file by now. */
  copied: number;
  /** A reader or writer held it back (the rest goes at the next checkpoint or at the cap). */
  busy: boolean;
}

/**
 * Copies the log into the database file without waiting for anyone (PASSIVE; nothing happens when
 * everything is copied already), then, when all of it was copied, starts the log afresh with a small
 * write of its own (the time of this checkpoint): the first commit into a restarted log also syncs
 * the log's new header, and that sync belongs here, at the quiet moment, not in the next visitor's
 * first step. That write need not wait for the disk (withoutSync): losing it changes nothing.
 * Not inside a transaction (SQLite refuses it there): then null.
 */
export function checkpointWal(db: Db, now: Date): CheckpointOutcome | null {
  if (db.inTransaction) return null;
  const row = statement(db, "PRAGMA wal_checkpoint(PASSIVE)").get() as {
    busy: number;
    log: number;
    checkpointed: number;
  };
  const outcome = { frames: row.log, copied: row.checkpointed, busy: row.busy !== 0 };
  if (!outcome.busy && outcome.frames > 0 && outcome.copied === outcome.frames) {
    withoutSync(db, () =>
      statement(
        db,
        "INSERT INTO kv (key, value) VALUES ('wal-checkpointed-at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      ).run(now.toISOString()),
    );
  }
  return outcome;
}
