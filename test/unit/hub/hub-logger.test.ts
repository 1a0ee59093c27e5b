/**
 * The hub's logger writes the kiosk's line (contracts/logging.ts) under its own service name, with the
 * same redaction of credentials by field name and the same last-resort mask of card numbers and bearer
 * tokens in any text: before, the hub logged pino's defaults (epoch-millisecond times, pid, hostname)
 * with neither.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../kiosk/ops/logger.ts";
import { createHubLogger } from "../../../hub/ops/logger.ts";

const PAN = "4111111111111111";
const STAFF_TOKEN = "token-of-the-accounting-system-eeeeeeeee";

let dir = "";
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = "";
});

function logFile(): string {
  dir ||= fs.mkdtempSync(path.join(os.tmpdir(), "opl-hub-logger-"));
  return path.join(dir, `${Math.random().toString(36).slice(2)}.jsonl`);
}

const lines = (file: string) =>
  fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("the hub's logger", () => {
  it("writes the kiosk's line with the hub's service name", () => {
    const hubFile = logFile();
    const kioskFile = logFile();
    createHubLogger({ destination: hubFile }).info({ office: "PZ1465" }, "ingest refused");
    createLogger({ destination: kioskFile }).info({ office: "PZ1465" }, "ingest refused");
    const [hub] = lines(hubFile);
    const [kiosk] = lines(kioskFile);
    expect(hub).toEqual({ ...kiosk, service: "oplatomat-hub", time: hub?.["time"] });
    expect(kiosk?.["service"]).toBe("oplatomat");
    expect(hub?.["time"]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Object.keys(hub ?? {})).toEqual(["level", "time", "service", "office", "msg"]);
  });

  it("redacts the authorization header, cookies, the CSRF token and passwords by name", () => {
    const file = logFile();
    createHubLogger({ destination: file }).warn(
      {
        req: {
          headers: {
            authorization: `Bearer ${STAFF_TOKEN}`,
            cookie: "hub_session=c2Vzc2lvbi1vZi1hbm5h",
            "x-csrf-token": "Y3NyZi1vZi1hbm5h",
          },
        },
        res: { headers: { "set-cookie": "hub_session=bmV3LXNlc3Npb24; HttpOnly" } },
        body: { login: "anna", password: "haslo-finanse-1" },
        staff: { passwordHash: "scrypt$1024$8$1$abc$def" },
      },
      "odd",
    );
    const text = fs.readFileSync(file, "utf8");
    for (const secret of [
      STAFF_TOKEN,
      "c2Vzc2lvbi1vZi1hbm5h",
      "Y3NyZi1vZi1hbm5h",
      "bmV3LXNlc3Npb24",
      "haslo-finanse-1",
      "scrypt$",
    ])
      expect(text).not.toContain(secret);
    const [line] = lines(file);
    expect(line).toMatchObject({
      req: { headers: { authorization: "[redacted]", cookie: "[redacted]", "x-csrf-token": "[redacted]" } },
      res: { headers: { "set-cookie": "[redacted]" } },
      body: { login: "anna", password: "[redacted]" },
    });
  });

  it("masks a card number and a bearer token wherever else they are, keeping the line JSON", () => {
    const file = logFile();
    const log = createHubLogger({ destination: file });
    log.warn({ detail: `the body says PZ1465/${PAN}` }, "ingest refused");
    log.error({ err: new Error(`upstream said: Authorization: Bearer ${STAFF_TOKEN}`) }, "request failed");
    const text = fs.readFileSync(file, "utf8");
    expect(text).not.toContain(PAN);
    expect(text).not.toContain(STAFF_TOKEN);
    const [refusal, failure] = lines(file);
    expect(refusal?.["detail"]).toBe("the body says PZ1465/411111******1111");
    expect(JSON.stringify(failure)).toContain("Bearer [redacted]");
  });
});
