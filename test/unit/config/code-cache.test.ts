/**
 * The V8 code cache kept for code run outside Node's module system (kiosk/config/code-cache.ts): written
 * after the code ran, used at the next load, refused by V8 when it does not fit, never applied to other
 * code of the same length, and never a reason for a load to fail.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCommonJs } from "../../../kiosk/config/code-cache.ts";
import { precompiledValidator, schemaHash } from "../../../kiosk/config/schema-validator.ts";
import { collected } from "../../helpers/collected.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-code-cache-"));
  dirs.push(dir);
  return dir;
}

/** A module whose work is inside functions V8 compiles only when they are first called. */
const source = (answer: number) =>
  `function inner(x) { return x * ${answer}; }\nmodule.exports = (x) => inner(x) + 1;\n`;

type Fn = (x: number) => number;
let loads = 0;
/**
 * The same file name in a directory of its own at each load: V8 keeps what it compiled in this process
 * by source and origin, and would take that instead of looking at the cache.
 */
const at = (name: string) => `/app/${++loads}/${name}`;
const caches = (dir: string) => fs.readdirSync(dir).filter((n) => n.endsWith(".v8"));

describe("code cache", () => {
  it("is written after the code ran and used by the next load", () => {
    const dir = tempDir();
    const first = loadCommonJs(at("validator.cjs"), source(7), dir);
    expect(first.cache).toBe("absent");
    expect((first.exports as Fn)(2)).toBe(15);
    expect(caches(dir)).toEqual([]);
    first.save();
    first.save();
    expect(caches(dir)).toHaveLength(1);
    expect(caches(dir)[0]).toMatch(/^oplatomat-validator\.cjs-[0-9a-f]{32}\.v8$/);

    const second = loadCommonJs(at("validator.cjs"), source(7), dir);
    expect(second.cache).toBe("used");
    expect((second.exports as Fn)(3)).toBe(22);
  });

  it("is refused by V8 when it is damaged; the code runs compiled and the cache is written again", () => {
    const dir = tempDir();
    const load = loadCommonJs(at("v.cjs"), source(5), dir);
    (load.exports as Fn)(1);
    load.save();
    const file = path.join(dir, caches(dir)[0] as string);
    fs.writeFileSync(file, Buffer.alloc(fs.statSync(file).size, 0x5a));

    const damaged = loadCommonJs(at("v.cjs"), source(5), dir);
    expect(damaged.cache).toBe("rejected");
    expect((damaged.exports as Fn)(2)).toBe(11);
    damaged.save();
    expect(loadCommonJs(at("v.cjs"), source(5), dir).cache).toBe("used");
  });

  it("is never applied to other code of the same length, and the old version's cache goes", () => {
    // V8 checks a cache against its source by length only.
    const dir = tempDir();
    const old = loadCommonJs(at("v.cjs"), source(5), dir);
    (old.exports as Fn)(1);
    old.save();
    expect(source(6)).toHaveLength(source(5).length);

    const changed = loadCommonJs(at("v.cjs"), source(6), dir);
    expect(changed.cache).toBe("absent");
    expect((changed.exports as Fn)(2)).toBe(13);
    changed.save();
    expect(caches(dir)).toHaveLength(1);
    expect(loadCommonJs(at("v.cjs"), source(6), dir).cache).toBe("used");
  });

  it("is off without a directory, and a directory it cannot write to costs only the compile", () => {
    const off = loadCommonJs(at("v.cjs"), source(2), undefined);
    expect(off.cache).toBe("off");
    off.save();
    const missing = path.join(tempDir(), "not", "there");
    const unwritable = loadCommonJs(at("v.cjs"), source(2), missing);
    expect((unwritable.exports as Fn)(1)).toBe(3);
    expect(() => unwritable.save()).not.toThrow();
    expect(fs.existsSync(missing)).toBe(false);
  });

  it("lets the configuration's validator go once the caller drops it", async () => {
    const dir = tempDir();
    const file = path.join(dir, "validator.cjs");
    fs.writeFileSync(
      file,
      `module.exports = (data) => data !== null;\nmodule.exports.schemaSha256 = ${JSON.stringify(schemaHash("{}"))};\n`,
    );
    let validator = precompiledValidator(file, "{}", dir);
    expect(validator?.({})).toBe(true);
    expect(caches(dir)).toHaveLength(1);
    const released = new WeakRef(validator as object);
    validator = undefined;
    expect(await collected(released)).toBe(true);
    expect(precompiledValidator(file, "{}", dir)?.(null)).toBe(false);
  });
});
