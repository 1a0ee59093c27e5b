/** The kiosk database for commands that read or change it (kept apart so other commands skip the SQLite binding). */
import fs from "node:fs";
import path from "node:path";
import type { KioskConfig } from "../config/types.ts";
import { FILE_SYSTEM_WHY } from "../reports/complete-file.ts";
import { type Db, openDatabase } from "../store/db.ts";
import { CliExit, databasePath, EXIT_USAGE } from "./cli-kit.ts";

const WHY: Record<string, string> = {
  ...FILE_SYSTEM_WHY,
  EACCES: "permission denied (run the command as the daemon's user or a member of its group)",
  EEXIST: "a file that is not a directory is in its place",
};

/**
 * Why the database (or the data directory around it) cannot be used, in a sentence, for an error
 * from opening it: SQLite's own ("file is not a database", "unable to open database file": a
 * directory it may not write, with a log to recover) or the file system's. Undefined for any other
 * error, which stays a program error.
 */
export function storageProblem(error: unknown, dataDir: string): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === "SqliteError")
    return (error as NodeJS.ErrnoException).code === "SQLITE_CANTOPEN"
      ? `${error.message} (this user must be able to write the data directory)`
      : error.message;
  const e = error as NodeJS.ErrnoException;
  if (!e.syscall || typeof e.path !== "string") return undefined;
  const inside = path.relative(path.resolve(dataDir), path.resolve(e.path));
  if (inside.startsWith("..") || path.isAbsolute(inside)) return undefined;
  return `cannot ${e.syscall === "mkdir" ? "create" : "write"} ${e.path}: ${WHY[e.code ?? ""] ?? e.code}`;
}

/** Opens the kiosk's existing database (never creates an empty one by a typo in --data). */
export function openExistingDatabase(config: KioskConfig, dataDir: string | undefined): Db {
  const file = databasePath(config, dataDir);
  try {
    fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new CliExit(EXIT_USAGE, `no database at ${file} (check --data)`);
    throw new CliExit(EXIT_USAGE, `cannot read the database ${file}: ${WHY[code ?? ""] ?? code}`);
  }
  try {
    return openDatabase(file);
  } catch (error) {
    const why = storageProblem(error, path.dirname(file));
    if (why === undefined) throw error;
    throw new CliExit(EXIT_USAGE, `cannot read the database ${file}: ${why}`);
  }
}
