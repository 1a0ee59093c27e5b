/**
 * Runs a CommonJS file's code outside Node's module system, with a V8 code cache of its own beside
 * Node's compile cache. Node's cache (module.enableCompileCache, turned on by bin/oplatomat.mjs under
 * the daemon's `--data`) holds only what V8 compiled when a module was loaded; V8 compiles the rest of
 * a function's body at its first call. This cache is written after the code has run, so it also holds
 * every function that run compiled: the configuration's 210 KB validator took 36 ms of CPU on Node 24
 * without it and 19 ms with it (docs/benchmarks.md, "Start-up: the validator's code cache").
 *
 * V8 refuses a cache made by another V8 or under other flags (`cachedDataRejected`); it checks the
 * source only by its length, so the file's name carries a hash of the source.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import * as nodeModule from "node:module";
import path from "node:path";
import { Script } from "node:vm";

/** What the cache did for one load: nothing to use, used, or refused by V8 (then written again). */
export type CacheUse = "absent" | "used" | "rejected" | "off";

export interface CommonJsLoad {
  exports: unknown;
  cache: CacheUse;
  /** Writes the cache when this load did not use one; call it once the code has done its work. */
  save(): void;
}

type CommonJsBody = (module: { exports: unknown }, exports: unknown, require: NodeRequire) => void;

/** Node's compile cache directory when it is on (Node 22.8 and later), else undefined. */
export function compileCacheDir(): string | undefined {
  const { getCompileCacheDir } = nodeModule as { getCompileCacheDir?: () => string | undefined };
  return getCompileCacheDir?.() || undefined;
}

export function loadCommonJs(file: string, source: string, cacheDir = compileCacheDir()): CommonJsLoad {
  const cacheFile = cacheDir ? path.join(cacheDir, cacheName(file, source)) : undefined;
  const cachedData = cacheFile ? readIfThere(cacheFile) : undefined;
  // The wrapper starts on the file's first line, so stack traces keep the file's line numbers.
  const script = new Script(`(function (module, exports, require) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module: { exports: unknown } = { exports: {} };
  (script.runInThisContext() as CommonJsBody)(module, module.exports, nodeModule.createRequire(file));
  const cache: CacheUse = !cacheFile
    ? "off"
    : !cachedData
      ? "absent"
      : script.cachedDataRejected
        ? "rejected"
        : "used";
  let saved = cache === "used" || cache === "off";
  return {
    exports: module.exports,
    cache,
    save() {
      if (saved || !cacheFile) return;
      saved = true;
      writeCache(cacheFile, script.createCachedData());
    },
  };
}

function cacheName(file: string, source: string): string {
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 32);
  return `oplatomat-${path.basename(file)}-${hash}.v8`;
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Written whole or not at all (a temporary file renamed over it), and the caches of the same file's
 * earlier versions removed. A read-only or full disk only costs the next start the compile.
 */
function writeCache(file: string, data: Buffer): void {
  const dir = path.dirname(file);
  const stem = path.basename(file).replace(/-[0-9a-f]{32}\.v8$/, "-");
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, data);
    fs.renameSync(temporary, file);
    for (const name of fs.readdirSync(dir))
      if (name.startsWith(stem) && name.endsWith(".v8") && name !== path.basename(file))
        fs.rmSync(path.join(dir, name), { force: true });
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // Nothing more to do: the cache is an optimisation.
    }
  }
}
