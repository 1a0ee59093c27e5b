/**
 * Opens the kiosk database. WAL with synchronous=FULL on every open: better-sqlite3 leaves WAL
 * databases at NORMAL, which can lose the last commits on power loss — and the last commit may be
 * an approved payment.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { migrate } from "./migrations.ts";

export type Db = Database.Database;

export interface OpenOptions {
  /** Refuses to grow beyond this many pages (fault injection: "database full"). */
  maxPageCount?: number;
  readonly?: boolean;
  /**
   * Keeps SQLite's temporary storage in memory (`temp_store = MEMORY`): above all the statement journal
   * of a nested transaction (a SAVEPOINT), which otherwise spills to a file in /var/tmp once it holds
   * 64 KiB of pages, about every fifth payment of the daemon, inside the commit (created, written and
   * deleted on the kiosk's flash; docs/benchmarks.md, "What to do next"). The journal only serves to
   * roll a statement or savepoint back, never crash recovery, so memory loses nothing. For the daemon;
   * a report process leaves its sorts free to spill to disk.
   */
  temporaryInMemory?: boolean;
}

/**
 * Where the database file is: an absolute `storage.path` as it is, else its file name inside the
 * data directory (`--data`).
 */
export function databaseFile(config: { storage: { path: string } }, dataDir: string): string {
  const file = config.storage.path;
  return path.isAbsolute(file) ? file : path.join(dataDir, path.basename(file));
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ":memory:" && !options.readonly) createPrivately(file);
  const db = new Database(file, { readonly: options.readonly ?? false });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  // SQLite's own default page cache (2 MB), not better-sqlite3's 16 MB: the OS caches the file anyway,
  // and a report over a million payments would otherwise fill 16 MB of the kiosk's resident memory
  // with pages it reads once (and let its sorts grow as large before spilling to a temporary file).
  db.pragma("cache_size = -2000");
  if (options.maxPageCount) db.pragma(`max_page_count = ${Math.floor(options.maxPageCount)}`);
  if (options.temporaryInMemory) db.pragma("temp_store = MEMORY");
  if (!options.readonly) migrate(db);
  return db;
}

/**
 * The database holds every payment, session and audit row: a new file is made 0640 and a new
 * directory 0750 whatever the umask of the shell that ran `oplatomat start` or `demo` (022 gives
 * 0644, readable by every local user); SQLite gives its -wal and -shm files the database's mode. The
 * unit's UMask=0027 and install.sh's /var/lib/oplatomat (0750) already did this under systemd.
 * Existing files and directories keep the mode an administrator gave them.
 */
function createPrivately(file: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o750 });
  try {
    fs.closeSync(
      fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o640),
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/** Sets the connection's page cache to `kib` KiB (a process running one long report asks for less). */
export function setPageCacheKib(db: Db, kib: number): void {
  db.pragma(`cache_size = -${Math.floor(kib)}`);
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/** `?, ?, ?` for an `IN (…)` list of these values (the lists come from kiosk/flow/states.ts). */
export function marks(values: readonly unknown[]): string {
  return values.map(() => "?").join(", ");
}

/**
 * The statement for `sql` on this connection, compiled once and kept: compiling is most of the cost
 * of a small query, and a payment runs the same few dozen statements every time. Only for
 * statements run with `get`/`all`/`run` (an `iterate` in progress would make a shared one busy) and
 * never with `pluck`/`raw`/`expand`, which would change it for every other caller.
 */
export function statement(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}

/** Connections now inside readTogether's read transaction. */
const reading = new WeakSet<Db>();

/**
 * Runs `fn`'s reads in one read transaction. In WAL mode every statement outside a transaction takes
 * and gives back a read lock on the log's index (two `fcntl` calls, most of a small query's cost);
 * reads run together take it once, and see one snapshot. Only for reads: `fn` must not write (its
 * writes would commit with the read, or roll back when `fn` throws). Inside a transaction already
 * open, `fn` just runs in it.
 */
export function readTogether<T>(db: Db, fn: () => T): T {
  if (db.inTransaction) return fn();
  statement(db, "BEGIN").run();
  reading.add(db);
  let done = false;
  try {
    const result = fn();
    done = true;
    return result;
  } finally {
    reading.delete(db);
    if (db.inTransaction) statement(db, done ? "COMMIT" : "ROLLBACK").run();
  }
}

/**
 * Runs the asynchronous `fn` in one read transaction, for a process that runs one report on a
 * connection of its own (`oplatomat report …`, `export …`): every read sees the database as its first
 * read found it, while the daemon goes on committing payments. A report reads its totals, then its
 * payments page by page, awaiting the output in between; read one by one, a payment committed
 * meanwhile was listed but not counted. Never on a connection the payment flow shares: its writes
 * would land in this transaction.
 */
export async function readSnapshot<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  if (db.inTransaction) return fn();
  statement(db, "BEGIN").run();
  reading.add(db);
  try {
    return await fn();
  } finally {
    reading.delete(db);
    if (db.inTransaction) statement(db, "COMMIT").run();
  }
}

/** Whether `db` is inside readTogether's read transaction (not one opened to write). */
export function inReadTogether(db: Db): boolean {
  return reading.has(db);
}

/** Runs `fn` in one IMMEDIATE transaction: the write lock is taken first, so no reader-upgrade races. */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/**
 * Runs `fn`'s writes without waiting for the disk: `synchronous = NORMAL` for them, FULL again after.
 * In WAL mode such a commit is in the log at once (a killed process loses nothing) and becomes
 * durable with the next FULL commit, which syncs the whole log it follows in: a power cut can lose
 * it only together with everything after it, never out of order. Only for a fact whose loss on a
 * power cut changes no decision (see the one caller). Inside a transaction the pragma may not change,
 * so there it runs at the transaction's own setting.
 */
export function withoutSync<T>(db: Db, fn: () => T): T {
  if (db.inTransaction) return fn();
  statement(db, "PRAGMA synchronous = NORMAL").run();
  try {
    return fn();
  } finally {
    statement(db, "PRAGMA synchronous = FULL").run();
  }
}

/**
 * Whether the database takes writes now: takes the write lock and gives it back (readiness). A full
 * disk, a read-only file or a lock held too long shows here before a payment would need it.
 */
export function writeProbe(db: Db): { ok: true } | { ok: false; error: string } {
  try {
    db.prepare("BEGIN IMMEDIATE").run();
    db.prepare("ROLLBACK").run();
    return { ok: true };
  } catch (e) {
    return { ok: false, error: String(e) };
  }
}

/**
 * Makes a fresh backup copy one self-contained file (a copy of a WAL database is in WAL mode too) and
 * checks it with `PRAGMA quick_check`; throws when the copy is not sound.
 */
export function sealBackupCopy(file: string): void {
  const copy = new Database(file, { fileMustExist: true });
  try {
    copy.pragma("journal_mode = DELETE");
    const result = copy.pragma("quick_check", { simple: true });
    if (result !== "ok") throw new Error(`backup failed quick_check: ${String(result)}`);
  } finally {
    copy.close();
  }
}
