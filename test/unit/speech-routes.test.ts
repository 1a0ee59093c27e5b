import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { speechRoutes } from "../../kiosk/http/routes/speech.ts";

const apps: FastifyInstance[] = [];
const dirs: string[] = [];

async function build(options: { enabled?: boolean; command?: string } = {}) {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), "speech-"));
  dirs.push(cacheDir);
  const app = Fastify();
  apps.push(app);
  await app.register(speechRoutes, { cacheDir, enabled: options.enabled ?? true, command: options.command });
  await app.ready();
  return { app, cacheDir };
}

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("GET /api/speech", () => {
  it.each(["pl", "en", "uk"])("speaks %s as a WAV file", async (lang) => {
    const { app } = await build();
    const text = { pl: "Zeskanuj blankiet", en: "Scan your slip", uk: "Відскануйте бланк" }[lang]!;
    const res = await app.inject({ url: `/api/speech?lang=${lang}&text=${encodeURIComponent(text)}` });
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
    const { app, cacheDir } = await build();
    const url = `/api/speech?lang=pl&text=${encodeURIComponent("Do zapłaty 160,00 zł")}`;
    const first = await app.inject({ url });
    const second = await app.inject({ url });
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    const files = readdirSync(cacheDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.wav$/);
  });

  it("treats text that looks like an option as words, never as an espeak-ng argument", async () => {
    const { app, cacheDir } = await build();
    const res = await app.inject({ url: `/api/speech?lang=en&text=${encodeURIComponent("-w /tmp/x.wav")}` });
    expect(res.statusCode).toBe(200);
    expect(readdirSync(cacheDir)).toHaveLength(1);
  });

  it.each([
    ["an unknown language", "lang=de&text=Hallo"],
    ["empty text", "lang=pl&text="],
    ["text over 500 characters", `lang=pl&text=${"a".repeat(501)}`],
    ["a missing language", "text=hello"],
  ])("refuses %s with a problem document", async (_name, query) => {
    const { app, cacheDir } = await build();
    const res = await app.inject({ url: `/api/speech?${query}` });
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.json()).toMatchObject({ status: 400, code: "VALIDATION" });
    expect(readdirSync(cacheDir)).toHaveLength(0);
  });

  it("answers 503 problem+json when espeak-ng is missing", async () => {
    const { app } = await build({ command: "/nonexistent/espeak-ng" });
    const res = await app.inject({ url: "/api/speech?lang=pl&text=test" });
    expect(res.statusCode).toBe(503);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.json()).toMatchObject({ status: 503, code: "DEVICE_UNAVAILABLE" });
  });

  it("answers 503 when no executable of that name is on the PATH", async () => {
    const { app } = await build({ command: "espeak-ng-not-installed-here" });
    const res = await app.inject({ url: "/api/speech?lang=pl&text=test" });
    expect(res.statusCode).toBe(503);
  });

  it("answers 503 when speech is disabled in the configuration", async () => {
    const { app } = await build({ enabled: false });
    const res = await app.inject({ url: "/api/speech?lang=pl&text=test" });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: "DEVICE_UNAVAILABLE" });
  });
});
