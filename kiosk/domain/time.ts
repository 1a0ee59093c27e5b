/**
 * Calendar arithmetic in the office's time zone. Slips, business days and receipts speak
 * Europe/Warsaw local time; the process itself may run in UTC.
 * A zone's offsets come from the rules a process installs with `useZoneRules` (the kiosk reads the
 * system's zoneinfo, kiosk/zoneinfo.ts); a zone without rules is formatted by `Intl`, whose ICU data
 * costs a process about 7 MB of resident memory (docs/benchmarks.md).
 */
import { utcOffsetAt, type ZoneRules } from "./zone-rules.ts";

export const DEFAULT_TZ = "Europe/Warsaw";

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Where a zone's rules come from: null sends that zone to `Intl`. */
export type ZoneRulesSource = (tz: string) => ZoneRules | null;

let source: ZoneRulesSource = () => null;
const rulesByZone = new Map<string, ZoneRules | null>();

/** Installs the process's source of zone rules (each zone is asked for once). */
export function useZoneRules(next: ZoneRulesSource): void {
  source = next;
  rulesByZone.clear();
}

function rulesOf(tz: string): ZoneRules | null {
  let rules = rulesByZone.get(tz);
  if (rules === undefined) {
    rules = source(tz);
    rulesByZone.set(tz, rules);
  }
  return rules;
}

/**
 * The zone's IANA name as tzdata spells it (`europe/warsaw` → `Europe/Warsaw`): Intl takes a name in
 * any case, the system's zoneinfo files (and a report's reader) do not. A name with rules of its own,
 * or one Intl does not know, is kept as written.
 */
export function canonicalTimeZone(tz: string): string {
  if (rulesOf(tz)) return tz;
  try {
    return formatter(tz).resolvedOptions().timeZone;
  } catch {
    return tz;
  }
}

export function isValidTimeZone(tz: string): boolean {
  if (rulesOf(tz)) return true;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

export function zonedParts(date: Date, tz: string = DEFAULT_TZ): ZonedParts {
  const rules = rulesOf(tz);
  if (rules) return partsByRules(date, rules);
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(date)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts["year"] ?? 0,
    month: parts["month"] ?? 0,
    day: parts["day"] ?? 0,
    hour: parts["hour"] ?? 0,
    minute: parts["minute"] ?? 0,
    second: parts["second"] ?? 0,
  };
}

function partsByRules(date: Date, rules: ZoneRules): ZonedParts {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError("Invalid time value");
  const seconds = Math.floor(ms / 1000);
  const local = new Date((seconds + utcOffsetAt(rules, seconds)) * 1000);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

const p2 = (n: number): string => String(n).padStart(2, "0");

/** `YYYY-MM-DD` of the office's calendar day. */
export function businessDay(date: Date, tz: string = DEFAULT_TZ): string {
  const z = zonedParts(date, tz);
  return `${z.year}-${p2(z.month)}-${p2(z.day)}`;
}

/** `YYYYMMDD`, as slips write days. */
export function compactDay(date: Date, tz: string = DEFAULT_TZ): string {
  return businessDay(date, tz).replaceAll("-", "");
}

/** `YYYYMMDDhhmm`, a slip's issue time. */
export function compactMinute(date: Date, tz: string = DEFAULT_TZ): string {
  const z = zonedParts(date, tz);
  return `${z.year}${p2(z.month)}${p2(z.day)}${p2(z.hour)}${p2(z.minute)}`;
}

/** `YYYYMMDDhhmmss`, a receipt code's payment time. */
export function compactSecond(date: Date, tz: string = DEFAULT_TZ): string {
  return `${compactMinute(date, tz)}${p2(zonedParts(date, tz).second)}`;
}

/** Offset of `tz` from UTC at `date`, in minutes (Warsaw: +60 in winter, +120 in summer). */
export function offsetMinutes(date: Date, tz: string = DEFAULT_TZ): number {
  const z = zonedParts(date, tz);
  const asUtc = Date.UTC(z.year, z.month - 1, z.day, z.hour, z.minute, z.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

/** ISO 8601 with the zone's offset: `2026-11-25T10:30:00+01:00`. */
export function isoWithOffset(date: Date, tz: string = DEFAULT_TZ): string {
  const z = zonedParts(date, tz);
  const off = offsetMinutes(date, tz);
  const sign = off < 0 ? "-" : "+";
  const abs = Math.abs(off);
  return `${z.year}-${p2(z.month)}-${p2(z.day)}T${p2(z.hour)}:${p2(z.minute)}:${p2(z.second)}${sign}${p2(Math.trunc(abs / 60))}:${p2(abs % 60)}`;
}

/** True when `YYYYMMDD` (or `YYYY-MM-DD`) names a real calendar day. */
export function isRealDay(day: string): boolean {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(day);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 2000 || y > 2999 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** Adds whole days to a `YYYY-MM-DD` day. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The instant a zone-less wall time (`YYYY-MM-DDTHH:MM:SS`) names in `tz`; null when unreadable. */
export function wallTimeToDate(wall: string, tz: string = DEFAULT_TZ): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(wall)) return null;
  const asUtc = Date.parse(`${wall.slice(0, 19)}Z`);
  if (Number.isNaN(asUtc)) return null;
  // The offset at the guess, then at the corrected instant (a DST change between the two readings).
  let at = asUtc - offsetMinutes(new Date(asUtc), tz) * 60_000;
  at = asUtc - offsetMinutes(new Date(at), tz) * 60_000;
  return new Date(at);
}

/**
 * Which of the two instants with the same wall time in `tz` this is, when the clock went back (in
 * Warsaw 02:00–02:59:59 on the last Sunday of October happens first in summer time, then in winter
 * time); null for every other time. Report lines of that hour need it to be told apart.
 */
export function repeatedWallTime(date: Date, tz: string = DEFAULT_TZ): "summer" | "winter" | null {
  const wall = (d: Date) => isoWithOffset(d, tz).slice(0, 19);
  const hour = 3_600_000;
  const at = date.getTime();
  if (wall(new Date(at + hour)) === wall(date)) return "summer";
  if (wall(new Date(at - hour)) === wall(date)) return "winter";
  return null;
}
