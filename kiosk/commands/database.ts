/** The kiosk database for commands that read or change it (kept apart so other commands skip the SQLite binding). */
import fs from "node:fs";
import type { KioskConfig } from "../config/types.ts";
import { type Db, openDatabase } from "../store/db.ts";
import { CliExit, databasePath, EXIT_USAGE } from "./cli-kit.ts";

/** Opens the kiosk's existing database (never creates an empty one by a typo in --data). */
export function openExistingDatabase(config: KioskConfig, dataDir: string | undefined): Db {
  const file = databasePath(config, dataDir);
  if (!fs.existsSync(file)) throw new CliExit(EXIT_USAGE, `no database at ${file} (check --data)`);
  return openDatabase(file);
}
