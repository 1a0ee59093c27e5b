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
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
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
  if (!options.readonly) migrate(db);
  return db;
}

/** Runs `fn` in one IMMEDIATE transaction: the write lock is taken first, so no reader-upgrade races. */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}
