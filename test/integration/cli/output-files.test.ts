/**
 * What the commands that write a file (`--out`, `--png`) do when the file cannot be written, as an
 * operator meets it: one line on standard error naming the file and why, exit 2 (a usage error, as
 * for a --data without a database), nothing on standard output, nothing left behind.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runOplatomat } from "../../helpers/oplatomat-cli.ts";
import { openDatabase } from "../../../kiosk/store/db.ts";
import { DAY, reportingConfig, seedFixedDay } from "../reporting/fixture-day.ts";

const DEMO = path.resolve("config/demo.yaml");

/** Without a configuration named by the environment. */
const oplatomat = (args: string[]) => runOplatomat(args, { ...process.env, OPLATOMAT_CONFIG: "" }, 60_000);

let dir: string;
let data: string;
let out: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-cli-out-"));
  data = path.join(dir, "data");
  const db = openDatabase(path.join(data, "oplatomat.db"));
  seedFixedDay(db, reportingConfig());
  db.close();
  out = path.join(dir, "out");
  fs.mkdirSync(out);
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const kiosk = () => ["--config", DEMO, "--data", data];

describe("an --out FILE that cannot be written", () => {
  const commands: Array<[string, string[]]> = [
    ["report settlement (json)", ["report", "settlement", "--date", DAY]],
    ["report settlement --format csv", ["report", "settlement", "--date", DAY, "--format", "csv"]],
    // The PDF's stream failed to open with no one listening: an unhandled 'error' event, exit 1.
    ["report settlement --format pdf", ["report", "settlement", "--date", DAY, "--format", "pdf"]],
    ["report payouts", ["report", "payouts", "--date", DAY]],
  ];

  it.each(commands)(
    "%s: one line naming the file and why, exit 2, nothing left behind",
    async (_, args) => {
      const missing = path.join(out, "no-such-directory", "file");
      const [inMissing, onDirectory, unnamed] = await Promise.all([
        oplatomat([...args, "--out", missing, ...kiosk()]),
        oplatomat([...args, "--out", out, ...kiosk()]),
        oplatomat([...args, "--out", "", ...kiosk()]),
      ]);
      expect(inMissing).toEqual({
        code: 2,
        stdout: "",
        stderr: `cannot write ${missing}: its directory does not exist\n`,
      });
      expect(onDirectory).toEqual({
        code: 2,
        stdout: "",
        stderr: `cannot write ${out}: it is a directory\n`,
      });
      // An empty name is not standard output.
      expect(unnamed.code).toBe(2);
      expect(unnamed.stdout).toBe("");
      expect(unnamed.stderr.split("\n")[0]).toBe("--out needs a file name");
      expect(fs.readdirSync(out)).toEqual([]);
      expect(fs.readdirSync(dir).sort()).toEqual(["data", "out"]);
    },
    120_000,
  );

  it("slip issue --png: the same, and no payload printed as if all went well", async () => {
    const keys = await oplatomat(["keys", "generate", "--out", path.join(dir, "keys")]);
    expect(keys.code).toBe(0);
    const png = path.join(out, "no-such-directory", "slip.png");
    const issued = await oplatomat([
      "slip",
      "issue",
      ...["--key", path.join(dir, "keys", "ed25519.pem"), "--kid", "k1", "--office", "PZ1465"],
      ...["--slip", "S/1", "--line", "DR:5400", "--png", png],
    ]);
    fs.rmSync(path.join(dir, "keys"), { recursive: true });
    expect(issued).toEqual({
      code: 2,
      stdout: "",
      stderr: `cannot write ${png}: its directory does not exist\n`,
    });
    expect(fs.readdirSync(out)).toEqual([]);
  }, 60_000);
});
