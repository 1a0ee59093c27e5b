/** A file written complete or not at all, and a device or FIFO written as it is (the payout file's --out too). */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { completeFile } from "../../../kiosk/reports/complete-file.ts";

let dir = "";
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("completeFile", () => {
  it("writes beside a regular file and renames it over when whole, removes it when not", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "complete-file-"));
    const file = path.join(dir, "payouts.txt");
    const done = completeFile(file);
    expect(done.path).toBe(`${file}.partial`);
    fs.writeFileSync(done.path, "whole");
    done.commit();
    expect(fs.readFileSync(file, "utf8")).toBe("whole");
    const failed = completeFile(file);
    fs.writeFileSync(failed.path, "half");
    failed.discard();
    expect(fs.readdirSync(dir)).toEqual(["payouts.txt"]);
    expect(fs.readFileSync(file, "utf8")).toBe("whole");
  });

  it("never writes through a link planted at file.partial, nor through one put back after it was removed", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "complete-file-"));
    const victim = path.join(dir, "victim");
    fs.writeFileSync(victim, "keep");
    const file = path.join(dir, "report.csv");
    fs.symlinkSync(victim, `${file}.partial`);
    const target = completeFile(file);
    fs.writeFileSync(target.path, "report", { flag: target.flags });
    target.commit();
    expect(fs.readFileSync(victim, "utf8")).toBe("keep");
    expect(fs.lstatSync(file).isFile()).toBe(true);
    expect(fs.readFileSync(file, "utf8")).toBe("report");
    const raced = completeFile(file);
    fs.symlinkSync(victim, raced.path);
    expect(() => fs.writeFileSync(raced.path, "report", { flag: raced.flags })).toThrow(/EEXIST/);
    expect(fs.readFileSync(victim, "utf8")).toBe("keep");
  });

  it("writes a FIFO as it is and leaves it a FIFO", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "complete-file-"));
    const fifo = path.join(dir, "out");
    execFileSync("mkfifo", [fifo]);
    const target = completeFile(fifo);
    expect(target.path).toBe(fifo);
    target.commit();
    target.discard();
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
  });
});
