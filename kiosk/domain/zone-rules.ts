/**
 * A time zone's offsets from UTC, read from the bytes of a TZif file (RFC 8536, the format of the
 * system's /usr/share/zoneinfo) into a small pure function. The kiosk asks for the office's wall-clock
 * time on every payment; doing it with `Intl.DateTimeFormat` maps ICU's formatter and locale data into
 * the process (about 7 MB of resident memory, docs/benchmarks.md), which this avoids. Pure: the caller
 * reads the file and hands over its bytes.
 */

/** A POSIX TZ rule's day: `Jn` (1–365, never counting 29 February), `n` (0–365), or `Mm.w.d`. */
type RuleDay =
  | { kind: "julian1"; day: number }
  | { kind: "julian0"; day: number }
  | { kind: "month"; month: number; week: number; weekday: number };

interface RuleEdge {
  day: RuleDay;
  /** Seconds after local midnight (may be negative or past 24 h, RFC 8536 §3.3.1). */
  time: number;
}

/** The TZ string of a TZif footer: the rule for every instant after the last transition. */
export interface PosixZone {
  /** Standard time's offset from UTC in seconds, east positive. */
  std: number;
  dst?: { offset: number; start: RuleEdge; end: RuleEdge };
}

export interface ZoneRules {
  /** Transition instants, seconds since the epoch, ascending. */
  times: number[];
  /** The offset from UTC (seconds, east positive) from each transition on. */
  offsets: number[];
  /** The offset before the first transition (the file's first local time type). */
  before: number;
  footer: PosixZone | null;
}

const DAY = 86_400;

/** Parses a TZif file of version 2 or later; null when it is not one or counts leap seconds. */
export function parseTzif(bytes: Uint8Array): ZoneRules | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = (at: number) => {
    if (at + 44 > bytes.length || String.fromCharCode(...bytes.subarray(at, at + 4)) !== "TZif") return null;
    const count = (i: number) => view.getUint32(at + 20 + 4 * i);
    return {
      version: bytes[at + 4] ?? 0,
      isut: count(0),
      isstd: count(1),
      leap: count(2),
      time: count(3),
      type: count(4),
      char: count(5),
    };
  };
  const v1 = header(0);
  if (!v1 || v1.version < 0x32) return null;
  const v1Size = v1.time * 5 + v1.type * 6 + v1.char + v1.leap * 8 + v1.isstd + v1.isut;
  const at = 44 + v1Size;
  const h = header(at);
  // Leap-second zones (right/…) count TAI-like seconds, not the POSIX time the kiosk keeps.
  if (!h || h.leap > 0 || h.type === 0) return null;
  const timesAt = at + 44;
  const typesAt = timesAt + h.time * 8;
  const infosAt = typesAt + h.time;
  const end = infosAt + h.type * 6 + h.char + h.isstd + h.isut;
  if (end > bytes.length) return null;
  const utoff = (type: number) => view.getInt32(infosAt + 6 * type);
  const times: number[] = [];
  const offsets: number[] = [];
  for (let i = 0; i < h.time; i++) {
    const type = bytes[typesAt + i] ?? 0;
    if (type >= h.type) return null;
    times.push(Number(view.getBigInt64(timesAt + 8 * i)));
    offsets.push(utoff(type));
  }
  const tail = new TextDecoder().decode(bytes.subarray(end));
  const tz = /^\n([^\n]*)\n/.exec(tail)?.[1] ?? "";
  const footer = tz === "" ? null : parsePosixTz(tz);
  if (tz !== "" && !footer) return null;
  return { times, offsets, before: utoff(0), footer };
}

/** `[+-]hh[:mm[:ss]]` at the start of `s`: seconds and the length read. */
function readDuration(s: string): { seconds: number; length: number } | null {
  const m = /^([+-]?)(\d{1,3})(?::(\d{2})(?::(\d{2}))?)?/.exec(s);
  if (!m) return null;
  const seconds = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return { seconds: m[1] === "-" ? -seconds : seconds, length: m[0].length };
}

function readName(s: string): number {
  const m = /^(<[+\-\w]+>|[A-Za-z]{3,})/.exec(s);
  return m ? m[0].length : 0;
}

function readEdge(s: string): RuleEdge | null {
  const m = /^(?:J(\d{1,3})|(\d{1,3})|M(\d{1,2})\.(\d)\.(\d))(?:\/(.+))?$/.exec(s);
  if (!m) return null;
  const day: RuleDay =
    m[1] !== undefined
      ? { kind: "julian1", day: Number(m[1]) }
      : m[2] !== undefined
        ? { kind: "julian0", day: Number(m[2]) }
        : { kind: "month", month: Number(m[3]), week: Number(m[4]), weekday: Number(m[5]) };
  if (m[6] === undefined) return { day, time: 2 * 3600 };
  const time = readDuration(m[6]);
  return time && time.length === m[6].length ? { day, time: time.seconds } : null;
}

/** Parses a POSIX TZ string such as `CET-1CEST,M3.5.0,M10.5.0/3`; null when unreadable. */
export function parsePosixTz(tz: string): PosixZone | null {
  let rest = tz;
  const stdName = readName(rest);
  if (stdName === 0) return null;
  rest = rest.slice(stdName);
  const stdOffset = readDuration(rest);
  if (!stdOffset) return null;
  rest = rest.slice(stdOffset.length);
  // POSIX offsets count hours west of Greenwich; the rules here count seconds east.
  const std = -stdOffset.seconds || 0;
  if (rest === "") return { std };
  const dstName = readName(rest);
  if (dstName === 0) return null;
  rest = rest.slice(dstName);
  let offset = std + 3600;
  const dstOffset = readDuration(rest);
  if (dstOffset) {
    offset = -dstOffset.seconds || 0;
    rest = rest.slice(dstOffset.length);
  }
  if (rest !== "" && !rest.startsWith(",")) return null;
  // Without rules POSIX leaves the dates to the implementation; glibc takes the US rules.
  const [start, end, extra] = (rest === "" ? ",M3.2.0,M11.1.0" : rest).slice(1).split(",");
  const startEdge = readEdge(start ?? "");
  const endEdge = readEdge(end ?? "");
  if (!startEdge || !endEdge || extra !== undefined) return null;
  return { std, dst: { offset, start: startEdge, end: endEdge } };
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const epochDay = (y: number, month: number, day: number) =>
  Math.floor(Date.UTC(y, month - 1, day) / 1000 / DAY);

/** The day (days since the epoch) a rule names in `year`. */
function ruleDay(day: RuleDay, year: number): number {
  if (day.kind === "julian1") return epochDay(year, 1, day.day + (isLeap(year) && day.day >= 60 ? 1 : 0));
  if (day.kind === "julian0") return epochDay(year, 1, 1 + day.day);
  const first = epochDay(year, day.month, 1);
  const weekdayOfFirst = (((first + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const length = epochDay(year, day.month + 1, 1) - first;
  let date = ((day.weekday - weekdayOfFirst + 7) % 7) + (day.week - 1) * 7;
  while (date >= length) date -= 7;
  return first + date;
}

/** The offset a POSIX TZ rule gives at `t` (seconds since the epoch). */
export function posixOffset(zone: PosixZone, t: number): number {
  const { dst } = zone;
  if (!dst) return zone.std;
  const year = new Date((t + zone.std) * 1000).getUTCFullYear();
  // Each change happens at a local time read on the clock that was running before it.
  const start = ruleDay(dst.start.day, year) * DAY + dst.start.time - zone.std;
  const end = ruleDay(dst.end.day, year) * DAY + dst.end.time - dst.offset;
  const inDst = start < end ? t >= start && t < end : !(t >= end && t < start);
  return inDst ? dst.offset : zone.std;
}

/** The zone's offset from UTC at `t` (seconds since the epoch), in seconds east of Greenwich. */
export function utcOffsetAt(rules: ZoneRules, t: number): number {
  const { times, offsets } = rules;
  const last = times.length - 1;
  if (last < 0) return rules.footer ? posixOffset(rules.footer, t) : rules.before;
  if (t < (times[0] as number)) return rules.before;
  if (t >= (times[last] as number) && rules.footer) return posixOffset(rules.footer, t);
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((times[mid] as number) <= t) lo = mid;
    else hi = mid - 1;
  }
  return offsets[lo] as number;
}
