import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, LogTail, requestIdOptions } from "../../../kiosk/ops/logger.ts";
import { findCardNumbers, findTokens } from "../../../kiosk/domain/sensitive-text.ts";

const PAN = "4111111111111111";
const TOKEN = "opl_s_Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy";

let dir = "";
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = "";
});

function logFile(): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-logger-"));
  return path.join(dir, "log.jsonl");
}

function lines(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("logger redaction", () => {
  it("redacts card data, tokens, PINs and keys by field name at any of the first three levels", () => {
    const file = logFile();
    const log = createLogger({ destination: file });
    log.info(
      { pan: PAN, card: { track2: `${PAN}=2912`, bmp22: PAN }, pin: "1234", adminToken: "s3cret" },
      "x",
    );
    log.info({ req: { headers: { authorization: `Bearer ${TOKEN}` } }, tls: { key: "PEM" } }, "y");
    const text = fs.readFileSync(file, "utf8");
    expect(text).not.toContain("411111111111");
    expect(text).not.toContain('1234"');
    expect(text).not.toContain("s3cret");
    expect(text).not.toContain("PEM");
    expect(text).not.toContain(TOKEN);
    const [first, second] = lines(file) as [Record<string, unknown>, Record<string, unknown>];
    expect(first["pan"]).toBe("[redacted]");
    expect((first["card"] as Record<string, unknown>)["track2"]).toBe("[redacted]");
    expect(
      ((second["req"] as Record<string, unknown>)["headers"] as Record<string, unknown>)["authorization"],
    ).toBe("[redacted]");
  });

  it("masks a Luhn-valid card number hidden in a message, an error, an odd key or a bare number", () => {
    const file = logFile();
    const log = createLogger({ destination: file });
    log.warn(`terminal said card ${PAN} declined`);
    log.error({ err: new Error(`bad card 5500 0000 0000 0004`) }, "failed");
    log.info({ rawBytes: `22 ${PAN} 23`, amount: 16000, cardAsNumber: 4111111111111111 }, "odd");
    const text = fs.readFileSync(file, "utf8");
    expect(findCardNumbers(text)).toEqual([]);
    expect(text).toContain("411111******1111");
    expect(text).toContain("550000******0004");
    // Every line is still valid JSON and ordinary numbers survive.
    const parsed = lines(file);
    expect(parsed[2]?.["amount"]).toBe(16000);
    expect(parsed[2]?.["cardAsNumber"]).toBe("411111******1111");
  });

  it("masks card numbers split by single spaces, double spaces or dots, even beside other digits", () => {
    const file = logFile();
    const log = createLogger({ destination: file });
    log.warn("terminal text: 41 11 11 11 11 11 11 11 end");
    log.warn("terminal text: 4111  1111  1111  1111");
    log.warn({ display: "4111.1111.1111.1111" }, "dots");
    log.warn("card 4111 1111 1111 1111 2026 and 5500.0000.0000.0004.");
    const text = fs.readFileSync(file, "utf8");
    expect(findCardNumbers(text)).toEqual([]);
    expect(text.match(/411111\*{6}1111/g)).toHaveLength(4);
    expect(text).toContain("550000******0004");
  });

  it("does not mask request ids, payment ids, decimals, timestamps or addresses", () => {
    const file = logFile();
    const log = createLogger({ destination: file });
    const ids = {
      reqId: "a3f09c1d77e2b410",
      payment: "K01_20261125_0007_Q3ZK",
      pik: "K01_20261125_0007_Q3ZK.2",
      took: 12.3456789012344,
      at: "2026-11-25T10:30:00.123+01:00",
      from: "192.168.100.200",
      prices: "160.00 54.00",
    };
    log.info(ids, "ordinary");
    const [line] = lines(file);
    expect(line).toMatchObject(ids);
  });

  it("leaves non-card digit runs alone (a Luhn-invalid 16-digit reference is not masked)", () => {
    const file = logFile();
    const log = createLogger({ destination: file });
    log.info({ reference: "4111111111111112", trace: "000123" }, "ref");
    const [line] = lines(file);
    expect(line?.["reference"]).toBe("4111111111111112");
  });

  it("masks a bearer token or an issued token that appears in free text", () => {
    const file = logFile();
    const log = createLogger({ destination: file });
    log.info(`client sent Authorization: Bearer ${TOKEN}`);
    log.info({ note: `token was ${TOKEN}` }, "n");
    log.info({ header: "Bearer abcdefgh12345678" }, "h");
    const text = fs.readFileSync(file, "utf8");
    expect(findTokens(text)).toEqual([]);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain("abcdefgh12345678");
  });

  it("masks a PEM private key that ends up in a message", () => {
    const file = logFile();
    const log = createLogger({ destination: file });
    log.error(
      `bad key -----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA\n-----END PRIVATE KEY----- rejected`,
    );
    const text = fs.readFileSync(file, "utf8");
    expect(text).not.toContain("MC4CAQAwBQYDK2VwBCIEIA");
    expect(text).toContain("[redacted private key] rejected");
  });

  it("honours the configured level", () => {
    const file = logFile();
    const log = createLogger({ destination: file, level: "warn" });
    log.info("hidden");
    log.warn("shown");
    expect(lines(file).map((l) => l["msg"])).toEqual(["shown"]);
  });
});

describe("log tail", () => {
  it("keeps the newest lines, masked, up to its capacity", () => {
    const file = logFile();
    const tail = new LogTail(3);
    const log = createLogger({ destination: file, tail });
    for (let i = 1; i <= 5; i++) log.info(`line ${i} card ${PAN}`);
    const last = tail.last(10);
    expect(last).toHaveLength(3);
    expect(last.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      "line 3 card 411111******1111",
      "line 4 card 411111******1111",
      "line 5 card 411111******1111",
    ]);
    expect(tail.last(1)).toHaveLength(1);
    expect(tail.last(0)).toEqual([]);
  });
});

describe("request ids", () => {
  it("keeps a sane incoming X-Request-Id and replaces anything else with a random hex id", () => {
    expect(requestIdOptions.genReqId({ headers: { "x-request-id": "abc-123" } })).toBe("abc-123");
    const generated = requestIdOptions.genReqId({ headers: { "x-request-id": "bad id\n{}" } });
    expect(generated).toMatch(/^[0-9a-f]{16}$/);
    expect(requestIdOptions.genReqId({ headers: {} })).not.toBe(generated);
  });

  it("gives distinct random hex ids across refills of its pool of random bytes", () => {
    // 1 000 ids use the 128-id pool about eight times over: an off-by-one in the refill would repeat
    // or shorten an id, and a pool that is never refilled would repeat the first 128.
    const ids = Array.from({ length: 1000 }, () => requestIdOptions.genReqId({ headers: {} }));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
