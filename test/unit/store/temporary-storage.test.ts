/**
 * The daemon's connection keeps SQLite's statement journal in memory: a nested transaction (a
 * SAVEPOINT) that changes more than 64 KiB of existing pages otherwise opens a temporary file
 * (`etilqs_*`, deleted at once but held open until the transaction ends), inside a payment's commit.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";

/** SQLite's temporary files this process holds open (Linux names them in /proc/self/fd, "(deleted)"). */
function openTemporaryFiles(): string[] {
  return fs
    .readdirSync("/proc/self/fd")
    .map((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return "";
      }
    })
    .filter((target) => target.includes("etilqs_"));
}

/** Rewrites 40 rows of 4 KB each (40 existing pages) inside a SAVEPOINT; returns the files open then. */
function rewriteInSavepoint(db: Db): string[] {
  db.exec("CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, data BLOB)");
  const insert = db.prepare("INSERT INTO filler (data) VALUES (randomblob(4000))");
  db.transaction(() => {
    for (let i = 0; i < 40; i++) insert.run();
  })();
  let seen: string[] = [];
  db.transaction(() => {
    db.transaction(() => {
      db.prepare("UPDATE filler SET data = randomblob(4000)").run();
      seen = openTemporaryFiles();
    })();
  })();
  return seen;
}

describe("temporary storage of the daemon's connection", () => {
  const dirs: string[] = [];
  const dbs: Db[] = [];
  afterEach(() => {
    for (const db of dbs.splice(0)) db.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const open = (temporaryInMemory: boolean): Db => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-temp-store-"));
    dirs.push(dir);
    const db = openDatabase(path.join(dir, "k.db"), { temporaryInMemory });
    dbs.push(db);
    return db;
  };

  it.runIf(process.platform === "linux")("spills a large savepoint's journal to a file by default", () => {
    // The case the option exists for: without it SQLite opens a temporary file.
    expect(rewriteInSavepoint(open(false)).length).toBeGreaterThan(0);
  });

  it.runIf(process.platform === "linux")(
    "keeps it in memory with temporaryInMemory, and commits the same",
    () => {
      const db = open(true);
      expect(db.pragma("temp_store", { simple: true })).toBe(2);
      expect(rewriteInSavepoint(db)).toEqual([]);
      expect(db.prepare("SELECT count(*) AS n, sum(length(data)) AS bytes FROM filler").get()).toEqual({
        n: 40,
        bytes: 160_000,
      });
    },
  );
});
