import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { hashPin, hashPinCli, parsePinHash, verifyPin } from "../../../kiosk/auth/pin-hash.ts";
import { TokenStore } from "../../../kiosk/auth/tokens.ts";

const CHEAP = { N: 1024, r: 8, p: 1 };

describe("service PIN hash", () => {
  it("is scrypt$N$r$p$salt$hash, salted, and verifies only the right PIN", async () => {
    const a = await hashPin("482916", CHEAP);
    const b = await hashPin("482916", CHEAP);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    expect(a).not.toBe(b);
    expect(await verifyPin("482916", a)).toBe(true);
    expect(await verifyPin("482917", a)).toBe(false);
    expect(await verifyPin("48291", a)).toBe(false);
  });

  it("uses a memory-hard default cost", async () => {
    const stored = parsePinHash(await hashPin("123456"));
    expect(stored.N).toBeGreaterThanOrEqual(1 << 15);
    expect(stored.salt.length).toBeGreaterThanOrEqual(16);
  });

  it("refuses a PIN that is not 6–12 digits and a malformed stored hash", async () => {
    await expect(hashPin("12a456", CHEAP)).rejects.toThrow(RangeError);
    await expect(hashPin("1234", CHEAP)).rejects.toThrow("6 to 12 digits");
    await expect(hashPin("12345", CHEAP)).rejects.toThrow("6 to 12 digits");
    expect(() => parsePinHash("bcrypt$x")).toThrow(RangeError);
    expect(() => parsePinHash("scrypt$1000$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==")).toThrow(
      /power of two/,
    );
  });

  it("the CLI reads the PIN from standard input and prints a hash that verifies", async () => {
    const input = new PassThrough();
    let out = "";
    let err = "";
    const done = hashPinCli(
      input,
      { write: (t: string) => (out += t) },
      { write: (t: string) => (err += t) },
    );
    input.end("246802\n");
    expect(await done).toBe(0);
    expect(err).toBe("");
    expect(await verifyPin("246802", out.trim())).toBe(true);
    const bad = new PassThrough();
    const refused = hashPinCli(bad, { write: () => true }, { write: (t: string) => (err += t) });
    bad.end("2468\n");
    expect(await refused).toBe(1);
    expect(err).toContain("6 to 12 digits");
  });
});

describe("token store", () => {
  it("issues distinct tokens and forgets them after the idle time", () => {
    let now = 0;
    const store = new TokenStore({ now: () => now, idleMs: 1000 });
    const a = store.issue("technician:pin");
    const b = store.issue("technician:pin");
    expect(a).not.toBe(b);
    now = 999;
    expect(store.use(a)?.subject).toBe("technician:pin");
    now = 1998;
    expect(store.use(a)).toBeDefined();
    expect(store.use(b)).toBeUndefined();
    now = 2998;
    expect(store.use(a)).toBeUndefined();
  });

  it("no token outlives 8 hours, however often it is used", () => {
    let now = 0;
    const store = new TokenStore({ now: () => now });
    const token = store.issue("technician:pin");
    for (; now < 8 * 3_600_000 - 60_000; now += 10 * 60_000) expect(store.use(token)).toBeDefined();
    now = 8 * 3_600_000;
    expect(store.use(token)).toBeUndefined();
  });
});
