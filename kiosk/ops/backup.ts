/**
 * Consistent online backups of the kiosk database, on a schedule, into `storage.backup.directory`,
 * keeping the newest `keep`. SQLite's backup API (better-sqlite3 `db.backup()`) copies a consistent
 * snapshot while the daemon keeps writing — copying the file (and its WAL) by hand is not safe.
 * Each copy is written under a temporary name, switched to a rollback journal (one self-contained
 * file, no `-wal`/`-shm` beside it), checked with `PRAGMA quick_check`, and only then renamed into
 * place, so a file with the final name is always a complete, readable database. Leftovers of an
 * interrupted run (`*.partial`, `*.partial-wal`, `*.partial-shm`) are removed by the next run.
 * The first copy is taken when the schedule starts, not one whole interval later.
 */
import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { sealBackupCopy } from "../store/db.ts";

export interface BackupLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const NAME = /^oplatomat-\d{8}T\d{6}(?:\d{3})?Z\.db$/;
const LEFTOVER = /^oplatomat-\d{8}T\d{6}(?:\d{3})?Z\.db(?:\.partial(?:-wal|-shm|-journal)?|-wal|-shm)$/;

/** Removes what an interrupted or older run left beside the copies (never a finished copy). */
function removeLeftovers(directory: string): void {
  for (const name of fs.readdirSync(directory)) {
    if (LEFTOVER.test(name)) fs.rmSync(path.join(directory, name), { force: true });
  }
}

function stamp(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.(\d{3})Z$/, "$1Z");
}

/** The backups in `directory`, oldest first. */
export function listBackups(directory: string): string[] {
  if (!fs.existsSync(directory)) return [];
  return fs
    .readdirSync(directory)
    .filter((name) => NAME.test(name))
    .sort()
    .map((name) => path.join(directory, name));
}

/** Takes one backup now; returns its path. Removes all but the newest `keep` afterwards. */
export async function backupOnce(
  db: Database.Database,
  directory: string,
  keep: number,
  at: Date = new Date(),
): Promise<string> {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError("keep must be a positive integer");
  fs.mkdirSync(directory, { recursive: true, mode: 0o750 });
  const final = path.join(directory, `oplatomat-${stamp(at)}.db`);
  const partial = `${final}.partial`;
  removeLeftovers(directory);
  try {
    await db.backup(partial);
    sealBackupCopy(partial);
    fs.chmodSync(partial, 0o640);
    fs.renameSync(partial, final);
  } finally {
    removeLeftovers(directory);
  }
  const all = listBackups(directory);
  for (const old of all.slice(0, Math.max(0, all.length - keep))) fs.rmSync(old, { force: true });
  return final;
}

export interface BackupSchedulerOptions {
  db: Database.Database;
  directory: string;
  keep: number;
  intervalMs: number;
  logger?: BackupLogger;
  now?: () => Date;
  /** Told of every run's outcome (metrics). */
  onResult?: (outcome: { ok: true; file: string } | { ok: false; error: Error }) => void;
}

/**
 * Runs `backupOnce` at start and then every interval; a failed run is logged, reported (readiness,
 * metrics) until a later run succeeds, and the next one tried as usual.
 */
export class BackupScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<string | undefined> | undefined;
  lastBackup: { path: string; at: Date } | undefined;
  lastError: Error | undefined;

  constructor(private readonly options: BackupSchedulerOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runNow(), this.options.intervalMs);
    this.timer.unref();
    void this.runNow();
  }

  /** One backup now (joins a running one instead of starting a second). */
  runNow(): Promise<string | undefined> {
    if (this.running) return this.running;
    const at = this.options.now?.() ?? new Date();
    this.running = backupOnce(this.options.db, this.options.directory, this.options.keep, at)
      .then((file) => {
        this.lastBackup = { path: file, at };
        this.lastError = undefined;
        this.options.logger?.info({ file }, "database backup written");
        this.options.onResult?.({ ok: true, file });
        return file;
      })
      .catch((error: unknown) => {
        this.lastError = error instanceof Error ? error : new Error(String(error));
        this.options.logger?.error({ err: this.lastError }, "database backup failed");
        this.options.onResult?.({ ok: false, error: this.lastError });
        return undefined;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Stops the schedule and waits for a running backup to finish (call before closing the db). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

/**
 * Starts the configured backups (`storage.backup`), or returns undefined when none are configured.
 * A relative directory is inside the data directory (the unit's working directory is read-only).
 */
export function startBackups(
  config: { storage: { backup?: { directory: string; intervalMinutes: number; keep: number } } },
  dataDir: string,
  db: Database.Database,
  logger: BackupLogger & { child(bindings: object): BackupLogger },
  onResult: (ok: boolean) => void,
): BackupScheduler | undefined {
  const backup = config.storage.backup;
  if (!backup) return undefined;
  const scheduler = new BackupScheduler({
    db,
    directory: path.resolve(dataDir, backup.directory),
    intervalMs: backup.intervalMinutes * 60_000,
    keep: backup.keep,
    logger: logger.child({ component: "backup" }),
    onResult: (outcome) => onResult(outcome.ok),
  });
  scheduler.start();
  return scheduler;
}
