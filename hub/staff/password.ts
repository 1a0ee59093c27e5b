/**
 * Staff passwords are stored only as scrypt hashes, `scrypt$N$r$p$saltB64$hashB64` (the kiosk's PIN
 * hash format), so the cost can be raised later without breaking old hashes.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

const DEFAULT = { N: 1 << 15, r: 8, p: 1 };
const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

interface Parsed {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }, length: number) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(
      password.normalize("NFKC"),
      salt,
      length,
      { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** Throws a RangeError naming what is wrong with a stored hash. */
export function parsePasswordHash(encoded: string): Parsed {
  const parts = encoded.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") throw new RangeError("must be scrypt$N$r$p$salt$hash");
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (!Number.isInteger(N) || N < 1024 || N > 1 << 20 || (N & (N - 1)) !== 0)
    throw new RangeError("N must be a power of two between 1024 and 2^20");
  if (!Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16)
    throw new RangeError("r or p out of range");
  if (!B64.test(parts[4] ?? "") || !B64.test(parts[5] ?? "")) throw new RangeError("salt/hash not base64");
  const salt = Buffer.from(parts[4] ?? "", "base64");
  const hash = Buffer.from(parts[5] ?? "", "base64");
  if (salt.length < 8 || hash.length < 16) throw new RangeError("salt or hash too short");
  return { N, r, p, salt, hash };
}

export async function hashPassword(password: string, params = DEFAULT): Promise<string> {
  if (password.length < 8) throw new RangeError("a password is at least 8 characters");
  const salt = randomBytes(16);
  const key = await derive(password, salt, params, 32);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** Constant-time comparison against the stored hash. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const stored = parsePasswordHash(encoded);
  if (password.length === 0 || password.length > 1024) return false;
  const key = await derive(password, stored.salt, stored, stored.hash.length);
  return timingSafeEqual(key, stored.hash);
}
