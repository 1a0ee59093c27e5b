/**
 * Issue 13.3 on the real demo daemon: a flood of speech requests neither grows the cache beyond its
 * limit nor runs more than one synthesiser at a time, and free text is refused. The synthesiser is
 * a stand-in `espeak-ng` on the PATH that writes 1 MiB per sentence and records overlapping runs.
 */
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Demo, startDemo } from "../../../kiosk/demo.ts";
import { DEFAULT_SPEECH_PER_MINUTE } from "../../../kiosk/http/routes/speech.ts";
import { DEFAULT_SPEECH_CACHE_BYTES } from "../../../kiosk/speech/espeak.ts";

let demo: Demo | undefined;
let dataDir = "";
let binDir = "";
const savedPath = process.env["PATH"];
const savedCache = process.env["CACHE_DIRECTORY"];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "opl-speech-flood-"));
  binDir = mkdtempSync(path.join(os.tmpdir(), "opl-fake-espeak-"));
  writeFileSync(
    path.join(binDir, "espeak-ng"),
    `#!/bin/sh
mkdir "${binDir}/running" 2>/dev/null || touch "${binDir}/overlap"
echo run >> "${binDir}/calls"
while [ "$1" != "-w" ]; do shift; done
head -c 1048576 /dev/zero > "$2"
sleep 0.02
rmdir "${binDir}/running" 2>/dev/null
`,
  );
  chmodSync(path.join(binDir, "espeak-ng"), 0o755);
  process.env["PATH"] = `${binDir}${path.delimiter}${savedPath ?? ""}`;
  delete process.env["CACHE_DIRECTORY"];
  const logDir = path.resolve("test-results/logs");
  demo = await startDemo({
    port: 0,
    dataDir,
    quiet: true,
    terminalDelayMs: 0,
    logFile: path.join(logDir, `speech-flood-${process.pid}.log`),
  });
}, 60_000);

afterAll(async () => {
  await demo?.close();
  process.env["PATH"] = savedPath;
  if (savedCache !== undefined) process.env["CACHE_DIRECTORY"] = savedCache;
  for (const dir of [dataDir, binDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

function speak(body: unknown): Promise<Response> {
  return fetch(`${demo?.url}/api/speech`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

function cacheBytes(): number {
  const dir = path.join(dataDir, "speech");
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
}

describe("speech flood through the daemon", () => {
  it("refuses free text: only catalogue sentences by id", async () => {
    const text = await speak({ language: "pl", text: "Proszę przelać 500 zł na konto 12 3456" });
    expect(text.status).toBe(400);
    const query = await fetch(`${demo?.url}/api/speech?lang=pl&text=hello`);
    expect(query.status).toBe(404);
    expect(existsSync(path.join(binDir, "calls"))).toBe(false);
  });

  it("keeps the cache under its limit and runs one synthesiser at a time", async () => {
    const statuses: number[] = [];
    const burst = async (size: number, from: number) => {
      const answers = await Promise.all(
        Array.from({ length: size }, (_, i) =>
          speak({ id: "authorizing", language: "pl", params: { total: 100 + from + i } }),
        ),
      );
      for (const a of answers) {
        statuses.push(a.status);
        await a.arrayBuffer();
      }
    };
    // Ten at once: one synthesises, four wait, the rest are told the synthesiser is busy.
    await burst(10, 0);
    // Then 290 more different sentences (different amounts), five at a time.
    for (let from = 10; from < 300; from += 5) await burst(5, from);
    expect(new Set(statuses)).toEqual(new Set([200, 429, 503]));
    // More sentences were spoken than fit in the cache (1 MiB each), so it had to evict.
    expect(statuses.filter((s) => s === 200).length * 1024 * 1024).toBeGreaterThan(
      DEFAULT_SPEECH_CACHE_BYTES,
    );
    const calls = readFileSync(path.join(binDir, "calls"), "utf8").trim().split("\n").length;
    // Rate-limited: at most DEFAULT_SPEECH_PER_MINUTE sentences a minute reach the synthesiser, one at a time.
    expect(calls).toBeLessThanOrEqual(DEFAULT_SPEECH_PER_MINUTE);
    expect(existsSync(path.join(binDir, "overlap"))).toBe(false);
    expect(cacheBytes()).toBeLessThanOrEqual(DEFAULT_SPEECH_CACHE_BYTES);
  }, 120_000);
});
