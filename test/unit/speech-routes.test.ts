import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { speechRoutes } from "../../kiosk/http/routes/speech.ts";

/** As kiosk/http/app.ts configures it: extra properties fail validation instead of being dropped. */
const AJV_AS_IN_APP = {
  removeAdditional: false,
  coerceTypes: false,
  allErrors: true,
  useDefaults: false,
} as const;

const apps: FastifyInstance[] = [];
const dirs: string[] = [];

async function build(options: { enabled?: boolean; command?: string; perMinute?: number } = {}) {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), "speech-"));
  dirs.push(cacheDir);
  const app = Fastify({ ajv: { customOptions: AJV_AS_IN_APP } });
  apps.push(app);
  await app.register(speechRoutes, {
    cacheDir,
    enabled: options.enabled ?? true,
    ...(options.command ? { command: options.command } : {}),
    ...(options.perMinute ? { perMinute: options.perMinute } : {}),
  });
  await app.ready();
  const speak = (body: unknown) =>
    app.inject({ method: "POST", url: "/api/speech", payload: body as object });
  return { app, cacheDir, speak };
}

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("POST /api/speech", () => {
  it.each(["pl", "en", "uk"])("speaks a catalogue sentence in %s as a WAV file", async (language) => {
    const { speak } = await build();
    const res = await speak({ id: "summary", language, params: { count: 2, total: 16000 } });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("audio/wav");
    const body = res.rawPayload;
    expect(body.subarray(0, 4).toString("ascii")).toBe("RIFF");
    expect(body.subarray(8, 12).toString("ascii")).toBe("WAVE");
    // A proper file written with -w, not a stream: the RIFF length matches the bytes received.
    expect(body.readUInt32LE(4)).toBe(body.length - 8);
    expect(body.length).toBeGreaterThan(1000);
  });

  it("synthesises a sentence once and serves it from the cache afterwards", async () => {
    const { speak, cacheDir } = await build();
    const first = await speak({ id: "welcome", language: "pl" });
    const second = await speak({ id: "welcome", language: "pl" });
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    const files = readdirSync(cacheDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.wav$/);
  });

  it.each([
    ["free text", { id: "welcome", language: "pl", text: "Przelej pieniądze na konto 123" }],
    ["free text as a parameter", { id: "error", language: "pl", params: { code: "Hello world" } }],
    ["an id the catalogue does not hold", { id: "anything", language: "pl" }],
    ["the old text query's shape", { lang: "pl", text: "hello" }],
    ["an unknown language", { id: "welcome", language: "de" }],
    ["a fractional amount", { id: "authorizing", language: "pl", params: { total: 12.5 } }],
    ["a negative amount", { id: "authorizing", language: "pl", params: { total: -100 } }],
    ["an amount as text", { id: "authorizing", language: "pl", params: { total: "100 zł" } }],
    ["a missing amount", { id: "authorizing", language: "pl" }],
    ["a parameter the sentence does not take", { id: "welcome", language: "pl", params: { total: 100 } }],
  ])("refuses %s with a problem document and synthesises nothing", async (_name, body) => {
    const { speak, cacheDir } = await build();
    const res = await speak(body);
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.json()).toMatchObject({ status: 400, code: "VALIDATION" });
    expect(readdirSync(cacheDir)).toHaveLength(0);
  });

  it("has no route that takes text any more", async () => {
    const { app } = await build();
    const res = await app.inject({ url: "/api/speech?lang=pl&text=hello" });
    expect(res.statusCode).toBe(404);
  });

  it("answers 503 problem+json when espeak-ng is missing", async () => {
    const { speak } = await build({ command: "/nonexistent/espeak-ng" });
    const res = await speak({ id: "welcome", language: "pl" });
    expect(res.statusCode).toBe(503);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.json()).toMatchObject({ status: 503, code: "DEVICE_UNAVAILABLE" });
  });

  it("answers 503 when speech is disabled in the configuration", async () => {
    const { speak } = await build({ enabled: false });
    const res = await speak({ id: "welcome", language: "pl" });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: "DEVICE_UNAVAILABLE" });
  });

  it("rate-limits new sentences with 429 problem+json, but not ones already synthesised", async () => {
    const { speak } = await build({ perMinute: 3 });
    const codes = [];
    for (let i = 0; i < 5; i++) {
      codes.push((await speak({ id: "authorizing", language: "en", params: { total: 100 + i } })).statusCode);
    }
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    // A visitor moving focus back and forth hears the same sentences again: those cost no synthesis.
    const again = [];
    for (let i = 0; i < 5; i++) {
      again.push((await speak({ id: "authorizing", language: "en", params: { total: 100 } })).statusCode);
    }
    expect(again).toEqual([200, 200, 200, 200, 200]);
  });

  it("says amounts in words and reads labels from the daemon's state, never from the request", async () => {
    const { speak } = await build();
    const focus = await speak({
      id: "focus",
      language: "pl",
      params: { control: "basket.continue", total: 16250 },
    });
    expect(focus.statusCode).toBe(200);
    const label = await speak({
      id: "focus",
      language: "pl",
      params: { control: "basket.increase", item: "TAX_DOG", label: "Przelej 500 zł" },
    });
    expect(label.statusCode).toBe(400);
    const text = await speak({
      id: "focus",
      language: "pl",
      params: { control: "keypad.input", chars: "zł 500" },
    });
    expect(text.statusCode).toBe(400);
    const pin = await speak({ id: "key", language: "pl", params: { key: "*" } });
    expect(pin.statusCode).toBe(400);
  });

  it("keeps at most one synthesiser running and refuses what does not fit in the queue", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "fake-espeak-"));
    dirs.push(dir);
    const fake = path.join(dir, "espeak-ng");
    // Records overlapping runs: mkdir is atomic, so a second run while one holds the lock notices.
    writeFileSync(
      fake,
      `#!/bin/sh
mkdir "${dir}/running" 2>/dev/null || touch "${dir}/overlap"
sleep 0.05
while [ "$1" != "-w" ]; do shift; done
head -c 2000 /dev/zero > "$2"
rmdir "${dir}/running" 2>/dev/null
`,
    );
    chmodSync(fake, 0o755);
    const { speak } = await build({ command: fake, perMinute: 1000 });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        speak({ id: "authorizing", language: "pl", params: { total: 100 + i } }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(5);
    expect(codes.filter((c) => c === 503)).toHaveLength(7);
    expect(readdirSync(dir)).not.toContain("overlap");
  });
});
