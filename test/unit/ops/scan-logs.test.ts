import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../kiosk/ops/logger.ts";
import { scanDirectory, scanText } from "../../../scripts/scan-logs.ts";

const PAN = "4111111111111111";
const TOKEN = "opl_s_Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy";

let dir = "";
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = "";
});

describe("log scan", () => {
  it("finds card numbers in any common spelling, and tokens, and never prints them", () => {
    const text = [
      `{"msg":"card ${PAN}"}`,
      `{"msg":"card 5500-0000-0000-0004"}`,
      `{"msg":"card 3782 822463 10005"}`,
      `{"msg":"card 41 11 11 11 11 11 11 11"}`,
      `{"msg":"card 4111  1111  1111  1111"}`,
      `{"msg":"card 4111.1111.1111.1111"}`,
      `{"authorization":"Bearer ${TOKEN}"}`,
      `{"note":"Bearer abcdefgh12345678"}`,
      `{"key":"-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEI\\n-----END PRIVATE KEY-----"}`,
    ].join("\n");
    const findings = scanText(text, "x.log");
    expect(findings.map((f) => [f.line, f.kind])).toEqual([
      [1, "card_number"],
      [2, "card_number"],
      [3, "card_number"],
      [4, "card_number"],
      [5, "card_number"],
      [6, "card_number"],
      [7, "token"],
      [7, "token"],
      [8, "token"],
      [9, "token"],
    ]);
    const printed = JSON.stringify(findings);
    for (const secret of [PAN, TOKEN, "abcdefgh12345678", "MC4CAQAwBQYDK2VwBCIEI"])
      expect(printed).not.toContain(secret);
  });

  it("accepts what the logger writes: masked numbers, redacted tokens, ordinary ids and amounts", () => {
    const text = [
      `{"msg":"card 411111******1111","maskedPan":"************1111"}`,
      `{"authorization":"[redacted]","msg":"Bearer [redacted]","token":"opl_[redacted]"}`,
      `{"payment":"8f14e45f-ceea-467f-a9b6-1234567890ab","amount":16000,"trace":"000123","time":"2026-11-25T10:00:00.000Z"}`,
      `{"reference":"4111111111111112","slip":"S/2026/000123"}`,
    ].join("\n");
    expect(scanText(text)).toEqual([]);
  });

  it("passes the logger's own output even when code logged a PAN and a token by mistake", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-scan-"));
    const log = createLogger({ destination: path.join(dir, "nested", "daemon.log") });
    log.error({ detail: `terminal echoed ${PAN}`, header: `Bearer ${TOKEN}` }, `oops ${TOKEN}`);
    expect(scanDirectory(dir)).toEqual({ files: 1, findings: [] });
  });

  it("as a command, exits 1 and names the file and line when a log holds a card number", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-scan-"));
    fs.mkdirSync(path.join(dir, "a"));
    fs.writeFileSync(path.join(dir, "a", "ok.log"), '{"msg":"fine"}\n');
    fs.writeFileSync(path.join(dir, "bad.log"), `{"msg":"fine"}\n{"raw":"${PAN}"}\n`);
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/scan-logs.ts", dir], {
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${path.join(dir, "bad.log")}:2: card_number`);
    expect(run.stderr).not.toContain(PAN);
    fs.rmSync(path.join(dir, "bad.log"));
    const clean = spawnSync(process.execPath, ["--import", "tsx", "scripts/scan-logs.ts", dir], {
      encoding: "utf8",
    });
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain("1 file(s), 0 finding(s)");
  });
});
