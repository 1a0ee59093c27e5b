/**
 * A full database (disk full, or the page ceiling) must put the kiosk out of order rather than fail
 * visitors with a 500: these tell that error apart and probe whether space is back.
 */
import type { Db } from "./db.ts";

/** True for SQLite's "database or disk is full" (SQLITE_FULL), however better-sqlite3 wraps it. */
export function isDatabaseFull(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  return code === "SQLITE_FULL" || /database or disk is full/i.test(error.message);
}

/**
 * Whether the database can grow by about one session's worth of pages: writes a blob in a
 * transaction that is always rolled back, so it leaves nothing behind.
 */
export function hasRoomToWrite(db: Db, bytes = 32 * 1024): boolean {
  try {
    db.transaction(() => {
      db.prepare("INSERT INTO kv (key, value) VALUES ('space-probe', hex(randomblob(?)))").run(bytes / 2);
      throw new RollbackProbe();
    })();
  } catch (e) {
    if (e instanceof RollbackProbe) return true;
    if (isDatabaseFull(e)) return false;
    throw e;
  }
  return true;
}

class RollbackProbe extends Error {}
