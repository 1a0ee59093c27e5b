/**
 * `oplatomat backup restore FILE [--config FILE] [--data DIR]`: puts a backup copy in place of the
 * kiosk database. Refuses while the daemon runs (it holds the database open; see
 * kiosk/store/restore.ts), verifies the copy before anything changes, and keeps the replaced
 * database beside it as `<db>.replaced-<time>` so a wrong restore can be undone.
 */
import fs from "node:fs";
import path from "node:path";
import { RestoreError, verifyDatabaseCopy, withDatabaseStopped } from "../store/restore.ts";
import {
  CliExit,
  type CliIo,
  CONFIG_OPTIONS,
  databasePath,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  parseCommandArgs,
  requireConfig,
  usageError,
} from "./cli-kit.ts";

export const BACKUP_USAGE = `Usage: oplatomat backup restore FILE [--config FILE] [--data DIR]

Replaces the kiosk database with the backup copy FILE (one of storage.backup.directory's
oplatomat-*.db files). Stop the daemon first (systemctl stop oplatomat): the restore refuses while
it runs. The copy is verified first (integrity_check, an oplatomat schema this version knows);
nothing changes when it fails. The replaced database is kept beside it as <db>.replaced-<time>.
Payments taken after the copy was made are not in it: compare with the terminal's journal and the
office systems before reopening the kiosk.

Options:
  -c, --config FILE   kiosk configuration (OPLATOMAT_CONFIG if absent)
  --data DIR          directory of the database
  -h, --help          this help`;

export async function runBackupCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") {
    (sub === undefined ? io.err : io.out)(`${BACKUP_USAGE}\n`);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (sub !== "restore") throw usageError(`unknown backup command ${sub}`, BACKUP_USAGE);
  const { values, positionals } = parseCommandArgs(rest, { ...CONFIG_OPTIONS }, BACKUP_USAGE);
  if (values.help) {
    io.out(`${BACKUP_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw usageError("backup restore needs exactly one FILE", BACKUP_USAGE);
  const copy = path.resolve(positionals[0] as string);
  const { config } = requireConfig(values.config, io, BACKUP_USAGE);
  const live = databasePath(config, values.data);
  if (copy === path.resolve(live)) throw usageError("FILE is the live database itself", BACKUP_USAGE);
  try {
    const facts = verifyDatabaseCopy(copy);
    const stamp = io.now().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "Z");
    const staged = `${live}.restoring`;
    fs.mkdirSync(path.dirname(live), { recursive: true });
    fs.copyFileSync(copy, staged);
    let aside: string | null = null;
    withDatabaseStopped(live, () => {
      if (fs.existsSync(live)) {
        aside = `${live}.replaced-${stamp}`;
        fs.copyFileSync(live, aside);
      }
      for (const suffix of ["-wal", "-shm", "-journal"]) fs.rmSync(`${live}${suffix}`, { force: true });
      fs.renameSync(staged, live);
    });
    io.out(
      `restored ${live} from ${copy} (schema ${facts.schemaVersion}, ${facts.payments} payment(s))\n` +
        (aside ? `the replaced database is kept as ${aside}\n` : ""),
    );
    return EXIT_OK;
  } catch (error) {
    fs.rmSync(`${live}.restoring`, { force: true });
    if (error instanceof RestoreError)
      throw new CliExit(EXIT_FAILED, `oplatomat backup restore: ${error.message}`);
    throw error;
  }
}
