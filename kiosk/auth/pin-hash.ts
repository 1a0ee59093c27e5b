/**
 * The technician PIN is stored only as an scrypt hash in `service.pinHash`, formatted
 * `scrypt$N$r$p$saltB64$hashB64` so the cost can be raised later without breaking old hashes.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** 2^15 × 8 × 128 B = 32 MiB per hash: slow enough for guessing, fine for one login. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 1 << 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/**
 * A PIN typed on the kiosk's keypad: 6–12 digits (issue 13.4: four digits fall to a patient guesser
 * even with a lockout). A hash does not tell how long its PIN was, so the minimum is enforced where the
 * PIN is known: `hashPin` refuses a shorter one and `verifyPin` never accepts one.
 */
export const PIN_PATTERN = /^[0-9]{6,12}$/;

function derive(pin: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      pin.normalize("NFKC"),
      salt,
      length,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

export async function hashPin(pin: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  if (!PIN_PATTERN.test(pin)) throw new RangeError("a PIN is 6 to 12 digits");
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(pin, salt, params, KEY_LENGTH);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export interface ParsedPinHash extends ScryptParams {
  salt: Buffer;
  hash: Buffer;
}

/** Parses and sanity-checks a stored hash; throws a RangeError naming what is wrong. */
export function parsePinHash(encoded: string): ParsedPinHash {
  const parts = encoded.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt")
    throw new RangeError("pinHash must be scrypt$N$r$p$salt$hash");
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const isPowerOfTwo = Number.isInteger(N) && N >= 1024 && N <= 1 << 20 && (N & (N - 1)) === 0;
  if (!isPowerOfTwo) throw new RangeError("pinHash N must be a power of two between 1024 and 2^20");
  if (!Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) {
    throw new RangeError("pinHash r or p out of range");
  }
  const b64 = /^[A-Za-z0-9+/]+={0,2}$/;
  if (!b64.test(parts[4] ?? "") || !b64.test(parts[5] ?? ""))
    throw new RangeError("pinHash salt/hash not base64");
  const salt = Buffer.from(parts[4] ?? "", "base64");
  const hash = Buffer.from(parts[5] ?? "", "base64");
  if (salt.length < 8 || hash.length < 16) throw new RangeError("pinHash salt or hash too short");
  return { N, r, p, salt, hash };
}

/** Constant-time comparison against the stored hash. */
export async function verifyPin(pin: string, encoded: string): Promise<boolean> {
  const stored = parsePinHash(encoded);
  if (!PIN_PATTERN.test(pin)) return false;
  const key = await derive(pin, stored.salt, stored, stored.hash.length);
  return timingSafeEqual(key, stored.hash);
}

/**
 * For the CLI (`oplatomat service hash-pin`): reads the PIN from the first line of `input` (so it
 * never lands in shell history or the process list) and writes the hash line to `output`.
 * Returns the process exit code.
 */
export async function hashPinCli(
  input: NodeJS.ReadableStream,
  output: { write(text: string): unknown },
  errors: { write(text: string): unknown },
): Promise<number> {
  let text = "";
  for await (const chunk of input) {
    text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    if (text.includes("\n")) break;
  }
  const pin = (text.split(/\r?\n/)[0] ?? "").trim();
  if (!PIN_PATTERN.test(pin)) {
    errors.write("the PIN must be 6 to 12 digits (read from standard input)\n");
    return 1;
  }
  output.write(`${await hashPin(pin)}\n`);
  return 0;
}
