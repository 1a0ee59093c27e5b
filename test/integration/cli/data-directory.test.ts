/**
 * A data directory the commands cannot use, as an operator meets it: a database file that is not a
 * database (a wrong --data, a damaged copy), a --data naming a file. One line on standard error
 * naming the file and why, exit 2, nothing on standard output, the file left as it was.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runOplatomat } from "../../helpers/oplatomat-cli.ts";

const DEMO = path.resolve("config/demo.yaml");

/** Without a configuration named by the environment. */
const oplatomat = (args: string[]) => runOplatomat(args, { ...process.env, OPLATOMAT_CONFIG: "" }, 60_000);

let dir: string;
let data: string;
let database: string;
const NOT_A_DATABASE = "these bytes are no SQLite database\n".repeat(200);
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-cli-data-"));
  data = path.join(dir, "data");
  fs.mkdirSync(data);
  database = path.join(data, "oplatomat.db");
  fs.writeFileSync(database, NOT_A_DATABASE);
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("a database file that is not a database", () => {
  it("report, export, payouts and outbox list: one line naming it, exit 2, the file untouched", async () => {
    const kiosk = ["--config", DEMO, "--data", data];
    const results = await Promise.all([
      oplatomat(["report", "settlement", "--date", "2026-11-25", ...kiosk]),
      oplatomat(["export", "payments", "--from", "2026-11-01", "--to", "2026-11-30", ...kiosk]),
      oplatomat(["report", "payouts", "--date", "2026-11-25", ...kiosk]),
      oplatomat(["outbox", "list", ...kiosk]),
    ]);
    for (const r of results)
      expect(r).toEqual({
        code: 2,
        stdout: "",
        stderr: `cannot read the database ${database}: file is not a database\n`,
      });
    expect(fs.readFileSync(database, "utf8")).toBe(NOT_A_DATABASE);
    expect(fs.readdirSync(data)).toEqual(["oplatomat.db"]);
  }, 120_000);

  it("start: says so as a configuration error, exit 2, before anything listens", async () => {
    const started = await oplatomat(["start", "--config", DEMO, "--data", data, "--port", "0"]);
    expect(started.code).toBe(2);
    expect(started.stdout).toBe("");
    expect(started.stderr).toBe(
      `oplatomat: cannot start with ${DEMO}:\n  data directory ${data}: file is not a database\n`,
    );
    expect(fs.readFileSync(database, "utf8")).toBe(NOT_A_DATABASE);
  }, 60_000);

  it("start with --data naming a file: exit 2, the file untouched", async () => {
    const started = await oplatomat(["start", "--config", DEMO, "--data", database, "--port", "0"]);
    expect(started.code).toBe(2);
    expect(started.stdout).toBe("");
    expect(started.stderr).toBe(
      `oplatomat: cannot start with ${DEMO}:\n  data directory ${database}: cannot create ${database}: a file that is not a directory is in its place\n`,
    );
    expect(fs.readFileSync(database, "utf8")).toBe(NOT_A_DATABASE);
  }, 60_000);
});
