/** Whether the daemon can speak (espeak-ng installed) and where its audio cache lives. */
import fs from "node:fs";
import path from "node:path";

/** True when espeak-ng is on the PATH: the UI then offers speech (the daemon synthesises offline). */
export function speechAvailable(): boolean {
  return (process.env["PATH"] ?? "")
    .split(path.delimiter)
    .some((dir) => dir && fs.existsSync(path.join(dir, "espeak-ng")));
}

/**
 * The speech cache's own directory: systemd's CacheDirectory= (`$CACHE_DIRECTORY`) when the unit sets
 * one, else `speech/` under the data directory. The cache deletes what it likes in there.
 */
export function speechCacheDir(dataDir: string): string {
  const cache = process.env["CACHE_DIRECTORY"]?.split(":")[0];
  return cache ? path.join(cache, "speech") : path.join(dataDir, "speech");
}
