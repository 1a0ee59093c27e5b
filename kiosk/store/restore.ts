/**
 * Restoring the kiosk database from a backup copy (`oplatomat backup restore`). Two guards:
 * - the copy must be sound before it replaces anything: `PRAGMA integrity_check` passes, it is an
 *   oplatomat database (its migrations table), and its schema is not newer than this program's;
 * - the daemon must not be running. Every daemon holds the database open in WAL mode, which makes
 *   an exclusive lock impossible for anyone else; so the restore takes that exclusive lock (SQLite's
 *   own file locks: no pid file that can go stale) and holds it while it keeps the current database
 *   aside. A daemon started meanwhile waits on the lock and then opens the restored file.
 */
import fs from "node:fs";
import Database from "better-sqlite3";
import { MIGRATIONS } from "./migrations.ts";

export class RestoreError extends Error {
  override readonly name = "RestoreError";
  constructor(
    readonly reason: "copy_unusable" | "daemon_running",
    message: string,
  ) {
    super(message);
  }
}

export interface CopyFacts {
  schemaVersion: number;
  payments: number;
}

/** Checks a backup copy without changing it; throws RestoreError("copy_unusable") with the reason. */
export function verifyDatabaseCopy(file: string): CopyFacts {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new RestoreError("copy_unusable", `${file} cannot be opened: ${(e as Error).message}`);
  }
  try {
    const integrity = db.pragma("integrity_check", { simple: true });
    if (integrity !== "ok")
      throw new RestoreError("copy_unusable", `${file} fails integrity_check: ${String(integrity)}`);
    const migrations = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'sessions')",
      )
      .all() as Array<{ name: string }>;
    if (migrations.length !== 2)
      throw new RestoreError("copy_unusable", `${file} is not an oplatomat database`);
    const version =
      (db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null }).v ?? 0;
    const known = Math.max(...MIGRATIONS.map((m) => m.version));
    if (version < 1 || version > known)
      throw new RestoreError(
        "copy_unusable",
        `${file} has schema version ${version}; this oplatomat knows versions 1 to ${known}`,
      );
    const payments = (
      db
        .prepare("SELECT COUNT(*) AS n FROM sessions WHERE payment_status IN ('approved', 'reversed')")
        .get() as {
        n: number;
      }
    ).n;
    return { schemaVersion: version, payments };
  } catch (e) {
    if (e instanceof RestoreError) throw e;
    throw new RestoreError("copy_unusable", `${file} is not a readable database: ${(e as Error).message}`);
  } finally {
    db.close();
  }
}

/**
 * Runs `replace` while holding an exclusive lock on the live database `file` (when it exists), after
 * folding its WAL into it (the file is then complete on its own and may be copied or renamed). Throws RestoreError("daemon_running") when another process has it open.
 */
export function withDatabaseStopped<T>(file: string, replace: () => T): T {
  if (!fs.existsSync(file)) return replace();
  const db = new Database(file, { fileMustExist: true, timeout: 200 });
  try {
    try {
      db.pragma("locking_mode = EXCLUSIVE");
      db.exec("BEGIN EXCLUSIVE");
      db.exec("COMMIT");
      // Fold the WAL in and leave rollback-journal mode: the file now stands alone, and closing this
      // connection later touches no -wal/-shm name that the restored file could own.
      db.pragma("wal_checkpoint(TRUNCATE)");
      db.pragma("journal_mode = DELETE");
    } catch (e) {
      const code = (e as { code?: string }).code ?? "";
      if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
        throw new RestoreError(
          "daemon_running",
          `${file} is in use: the daemon is running (stop it first, e.g. systemctl stop oplatomat)`,
        );
      throw e;
    }
    return replace();
  } finally {
    db.close();
  }
}
