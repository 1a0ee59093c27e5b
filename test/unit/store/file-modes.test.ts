/**
 * The kiosk's database holds every payment, session and audit row: under a shell's umask 022 (an
 * `oplatomat start` or `demo` run by hand, not the unit's UMask=0027) its new directory is 0750 and
 * its files 0640, never readable by every local user.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../../kiosk/store/db.ts";

const mode = (file: string) => fs.statSync(file).mode & 0o777;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("database file modes", () => {
  it("creates the data directory 0750 and the database, its -wal and -shm 0640 under umask 022", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "opl-modes-"));
    dirs.push(root);
    const file = path.join(root, "data", "oplatomat.db");
    const old = process.umask(0o022);
    try {
      const db = openDatabase(file);
      db.prepare("INSERT INTO kv (key, value) VALUES ('a', 'b')").run();
      expect(mode(path.dirname(file))).toBe(0o750);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f), f).toBe(0o640);
      db.close();
      // An existing database keeps the mode its administrator gave it.
      fs.chmodSync(file, 0o600);
      openDatabase(file).close();
      expect(mode(file)).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });
});
