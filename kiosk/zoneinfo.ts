/**
 * The office's time-zone rules from the system's zoneinfo (Debian's tzdata, /usr/share/zoneinfo, or
 * where TZDIR points as for the C library), so the kiosk tells wall-clock time without `Intl`'s ICU
 * formatter and its locale data (about 7 MB of resident memory per process, docs/benchmarks.md). A
 * zone with no readable file (no tzdata installed, a name only ICU knows) stays with `Intl`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { useZoneRules } from "./domain/time.ts";
import { parseTzif, type ZoneRules } from "./domain/zone-rules.ts";

/** IANA names (Area/Location, Etc/GMT+1, UTC); never a path out of the directory. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;
/** Files in the directory that are not zones ICU would accept under that name. */
const NOT_ZONES = new Set(["localtime", "posixrules", "Factory"]);

/** The zone's rules from `dir` (default TZDIR or /usr/share/zoneinfo); null when there are none. */
export function readZoneRules(
  tz: string,
  dir = process.env["TZDIR"] || "/usr/share/zoneinfo",
): ZoneRules | null {
  if (!ZONE_NAME.test(tz) || NOT_ZONES.has(tz) || /^(?:posix|right)\//.test(tz)) return null;
  try {
    return parseTzif(readFileSync(path.join(dir, tz)));
  } catch {
    return null;
  }
}

/** Makes this process's calendar arithmetic (kiosk/domain/time.ts) use the system's zoneinfo. */
export function useSystemZoneinfo(): void {
  useZoneRules((tz) => readZoneRules(tz));
}
