import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { BackupScheduler, backupOnce, listBackups } from "../../../kiosk/ops/backup.ts";

let dir = "";
let db: Database.Database | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = "";
});

function openLiveDb(): Database.Database {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-backup-"));
  const live = new Database(path.join(dir, "live.db"));
  live.pragma("journal_mode = WAL");
  live.pragma("synchronous = FULL");
  live.exec("CREATE TABLE payments (id INTEGER PRIMARY KEY, total INTEGER NOT NULL)");
  db = live;
  return live;
}

const count = (file: string): number => {
  const copy = new Database(file, { readonly: true });
  try {
    return (copy.prepare("SELECT count(*) AS n FROM payments").get() as { n: number }).n;
  } finally {
    copy.close();
  }
};

describe("database backup", () => {
  it("copies committed rows (still in the WAL) into a readable file while the database stays open", async () => {
    const live = openLiveDb();
    const insert = live.prepare("INSERT INTO payments (total) VALUES (?)");
    for (let i = 1; i <= 100; i++) insert.run(i * 100);
    const file = await backupOnce(live, path.join(dir, "backups"), 3, new Date("2026-11-25T10:00:00.000Z"));
    expect(path.basename(file)).toBe("oplatomat-20261125T100000000Z.db");
    expect(count(file)).toBe(100);
    insert.run(1);
    expect(count(path.join(dir, "live.db"))).toBe(101);
  });

  it("keeps only the newest N and never leaves a partial file behind", async () => {
    const live = openLiveDb();
    const backups = path.join(dir, "backups");
    for (let minute = 0; minute < 5; minute++) {
      live.prepare("INSERT INTO payments (total) VALUES (?)").run(minute + 1);
      await backupOnce(live, backups, 2, new Date(Date.UTC(2026, 10, 25, 10, minute)));
    }
    expect(listBackups(backups).map((f) => path.basename(f))).toEqual([
      "oplatomat-20261125T100300000Z.db",
      "oplatomat-20261125T100400000Z.db",
    ]);
    expect(fs.readdirSync(backups).filter((f) => f.endsWith(".partial"))).toEqual([]);
    expect(count(listBackups(backups)[1] ?? "")).toBe(5);
  });

  it("a scheduler run that fails is reported, not thrown, and the next run works again", async () => {
    const live = openLiveDb();
    const backups = path.join(dir, "backups");
    fs.writeFileSync(backups, "a file where the directory should be");
    const errors: object[] = [];
    const scheduler = new BackupScheduler({
      db: live,
      directory: backups,
      keep: 3,
      intervalMs: 3_600_000,
      logger: { info() {}, error: (o) => errors.push(o) },
    });
    expect(await scheduler.runNow()).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(scheduler.lastError).toBeInstanceOf(Error);
    fs.rmSync(backups);
    expect(await scheduler.runNow()).toMatch(/oplatomat-.*\.db$/);
    expect(scheduler.lastError).toBeUndefined();
    await scheduler.stop();
  });

  it("refuses a keep count below one", async () => {
    const live = openLiveDb();
    await expect(backupOnce(live, path.join(dir, "b"), 0)).rejects.toThrow(RangeError);
  });
});
