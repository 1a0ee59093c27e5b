/**
 * The configuration's YAML, parsed once and kept as JSON in the daemon's data directory (issue 17).
 * Parsing an 8 KB configuration took 40–50 ms of CPU at every start (the YAML library's code runs
 * cold), a tenth of the whole start; reading the same data as JSON takes well under a millisecond.
 *
 * The cache holds only what the YAML text says, keyed by the text's SHA-256: any edit of the file is
 * a miss, and the schema, the rules and the secrets' resolution still run on every start, on the
 * cached data as on freshly parsed data. Data JSON cannot carry unchanged (`.inf`, `.nan`) is not
 * cached. Reading or writing it may fail (a read-only or missing directory): the start then parses
 * as before. The data directory is the daemon's own (its database, its V8 compile cache on Node 22+):
 * whoever can write it can already change what the daemon does.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";

export const PARSED_CONFIG_FILE = "config.parsed.json";
const FORMAT = 1;

export interface ParsedYamlCache {
  /** The data parsed earlier from exactly `text`, if kept. */
  read(text: string): unknown;
  /** Keeps `data`, parsed from `text`, for the next start. */
  write(text: string, data: unknown): void;
}

interface Stored {
  format: number;
  sha256: string;
  data: unknown;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The cache in `dataDir` (the daemon's `--data`). */
export function parsedYamlCacheIn(dataDir: string): ParsedYamlCache {
  const file = path.join(dataDir, PARSED_CONFIG_FILE);
  return {
    read(text) {
      let stored: Stored;
      try {
        stored = JSON.parse(fs.readFileSync(file, "utf8")) as Stored;
      } catch {
        return undefined;
      }
      return stored.format === FORMAT && stored.sha256 === sha256(text) ? stored.data : undefined;
    },
    write(text, data) {
      const json = JSON.stringify({ format: FORMAT, sha256: sha256(text), data } satisfies Stored);
      if (!isDeepStrictEqual((JSON.parse(json) as Stored).data, data)) return;
      const temporary = `${file}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(temporary, json, { mode: 0o600 });
        fs.renameSync(temporary, file);
      } catch {
        // A cache only: a data directory that cannot take it (or is no directory) is the daemon's to report.
        try {
          fs.rmSync(temporary, { force: true });
        } catch {}
      }
    },
  };
}

/**
 * The daemon's cache in `dataDir`, read but never written: for a command run by staff beside the
 * daemon (`oplatomat report`, `oplatomat export`), which then needs no YAML library when the daemon
 * has parsed the same text (issue 17: the YAML library cost the report's process about 11 MB of
 * peak memory on Node 24). Not written, so a command run by another user leaves no file of its own
 * in the daemon's directory.
 */
export function parsedYamlCacheReadIn(dataDir: string): ParsedYamlCache {
  const cache = parsedYamlCacheIn(dataDir);
  return { read: (text) => cache.read(text), write: () => {} };
}
