/**
 * The kiosk's wall-clock time from tzdata's TZif files (kiosk/domain/zone-rules.ts, installed by
 * kiosk/zoneinfo.ts) must say what `Intl.DateTimeFormat` says (ICU's own copy of the tz database) for
 * every instant: random instants over 130 years and each side of every change of offset, for zones
 * east and west, half-hour offsets and a half-hour daylight saving time (Lord Howe), in both the
 * fat and the slim form of the files (test/fixtures/zoneinfo/README.md).
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  isoWithOffset,
  isValidTimeZone,
  useZoneRules,
  wallTimeToDate,
  type ZonedParts,
  zonedParts,
} from "../../../kiosk/domain/time.ts";
import {
  parsePosixTz,
  parseTzif,
  posixOffset,
  utcOffsetAt,
  type ZoneRules,
} from "../../../kiosk/domain/zone-rules.ts";
import { readZoneRules } from "../../../kiosk/zoneinfo.ts";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/zoneinfo");
const ZONES = [
  "Europe/Warsaw",
  "Europe/Kyiv",
  "America/New_York",
  "Australia/Lord_Howe",
  "Asia/Kolkata",
  "UTC",
];
const FLAVOURS = ["fat", "slim"] as const;
const FROM = Date.UTC(1971, 0, 1) / 1000;
const TO = Date.UTC(2100, 0, 1) / 1000;

function fixture(flavour: string, zone: string): ZoneRules {
  const rules = parseTzif(fs.readFileSync(path.join(FIXTURES, flavour, zone)));
  if (!rules) throw new Error(`${flavour}/${zone} did not parse`);
  return rules;
}

/** The office's time at `t` by the rules, and by `Intl` (time.ts's path for a zone without rules). */
function byRulesAndIntl(rules: ZoneRules, zone: string, t: number): [ZonedParts, ZonedParts] {
  useZoneRules((tz) => (tz === zone ? rules : null));
  const viaRules = zonedParts(new Date(t * 1000), zone);
  useZoneRules(() => null);
  return [viaRules, zonedParts(new Date(t * 1000), zone)];
}

/** Every instant in [FROM, TO) at which the rules change the offset (from the list and the footer). */
function changes(rules: ZoneRules): number[] {
  const found: number[] = [];
  let before = utcOffsetAt(rules, FROM);
  // Offsets hold for weeks at least; a 6-hour step finds each change, bisection finds its second.
  for (let t = FROM; t < TO; t += 6 * 3600) {
    const now = utcOffsetAt(rules, t);
    if (now === before) continue;
    let lo = t - 6 * 3600;
    let hi = t;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (utcOffsetAt(rules, mid) === before) lo = mid;
      else hi = mid;
    }
    found.push(hi);
    before = now;
  }
  return found;
}

afterEach(() => useZoneRules(() => null));

describe("zone rules from TZif files equal Intl", () => {
  for (const flavour of FLAVOURS) {
    for (const zone of ZONES) {
      it(`${flavour}/${zone}: random instants 1971–2099`, () => {
        const rules = fixture(flavour, zone);
        fc.assert(
          fc.property(fc.integer({ min: FROM, max: TO - 1 }), (t) => {
            const [viaRules, viaIntl] = byRulesAndIntl(rules, zone, t);
            expect(viaRules).toEqual(viaIntl);
          }),
          { numRuns: 1500 },
        );
      });

      it(`${flavour}/${zone}: each side of every change of offset 1971–2099`, () => {
        const rules = fixture(flavour, zone);
        const edges = changes(rules);
        if (zone === "Europe/Warsaw") expect(edges.length).toBeGreaterThan(2 * 120);
        if (zone === "Australia/Lord_Howe") expect(edges.length).toBeGreaterThan(2 * 100);
        for (const edge of edges) {
          for (const t of [edge - 3601, edge - 1, edge, edge + 1, edge + 1799]) {
            const [viaRules, viaIntl] = byRulesAndIntl(rules, zone, t);
            expect(viaRules, `${zone} at ${t}`).toEqual(viaIntl);
          }
        }
      });
    }
  }

  it("wall times in the spring gap and the autumn overlap name the instants Intl's path names", () => {
    const walls = [
      "2026-03-29T02:30:00",
      "2026-10-25T02:30:00",
      "2031-03-30T01:59:59",
      "2031-10-26T03:00:00",
    ];
    const byIntl = walls.map((w) => wallTimeToDate(w, "Europe/Warsaw")?.toISOString());
    const rules = fixture("slim", "Europe/Warsaw");
    useZoneRules(() => rules);
    expect(walls.map((w) => wallTimeToDate(w, "Europe/Warsaw")?.toISOString())).toEqual(byIntl);
    expect(isoWithOffset(new Date("2026-07-01T08:00:00Z"), "Europe/Warsaw")).toBe(
      "2026-07-01T10:00:00+02:00",
    );
    expect(isoWithOffset(new Date("2026-12-01T08:00:00Z"), "Europe/Warsaw")).toBe(
      "2026-12-01T09:00:00+01:00",
    );
  });

  it("an invalid date is refused as Intl refuses it", () => {
    const rules = fixture("fat", "Europe/Warsaw");
    useZoneRules(() => rules);
    expect(() => zonedParts(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe("POSIX TZ strings (the TZif footer)", () => {
  it("reads offsets east as positive, the default DST hour and explicit change times", () => {
    const warsaw = parsePosixTz("CET-1CEST,M3.5.0,M10.5.0/3");
    expect(warsaw).toEqual({
      std: 3600,
      dst: {
        offset: 7200,
        start: { day: { kind: "month", month: 3, week: 5, weekday: 0 }, time: 7200 },
        end: { day: { kind: "month", month: 10, week: 5, weekday: 0 }, time: 10800 },
      },
    });
    expect(parsePosixTz("<+0530>-5:30")).toEqual({ std: 19800 });
    expect(parsePosixTz("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0")?.dst?.offset).toBe(39600);
    expect(parsePosixTz("EST5EDT,M3.2.0,M11.1.0")?.std).toBe(-18000);
  });

  it("changes at the local time of the clock running before the change", () => {
    const warsaw = parsePosixTz("CET-1CEST,M3.5.0,M10.5.0/3");
    if (!warsaw) throw new Error("unparsed");
    // 2040: last Sunday of March is the 25th, of October the 28th.
    const spring = Date.UTC(2040, 2, 25, 1) / 1000;
    const autumn = Date.UTC(2040, 9, 28, 1) / 1000;
    expect([posixOffset(warsaw, spring - 1), posixOffset(warsaw, spring)]).toEqual([3600, 7200]);
    expect([posixOffset(warsaw, autumn - 1), posixOffset(warsaw, autumn)]).toEqual([7200, 3600]);
  });

  it("counts Jn days without 29 February and n days with it", () => {
    const julian1 = parsePosixTz("AAA0BBB,J60/0,J300/0");
    const julian0 = parsePosixTz("AAA0BBB,59/0,300/0");
    if (!julian1 || !julian0) throw new Error("unparsed");
    // In a leap year J60 is 1 March; day 59 (zero-based) is 29 February.
    expect(posixOffset(julian1, Date.UTC(2028, 1, 29, 12) / 1000)).toBe(0);
    expect(posixOffset(julian1, Date.UTC(2028, 2, 1, 12) / 1000)).toBe(3600);
    expect(posixOffset(julian0, Date.UTC(2028, 1, 29, 12) / 1000)).toBe(3600);
    expect(posixOffset(julian0, Date.UTC(2028, 1, 28, 12) / 1000)).toBe(0);
  });

  it("refuses what it cannot read", () => {
    for (const bad of [
      "",
      "1",
      "CET",
      "CET-1CEST,M3.5.0",
      "CET-1CEST;M3.5.0,M10.5.0",
      "CET-1CEST,M3.5.0,M10.5.0/x",
    ]) {
      expect(parsePosixTz(bad), bad).toBeNull();
    }
  });
});

describe("TZif files and the system's zoneinfo directory", () => {
  it("refuses bytes that are not a TZif file of version 2 or later", () => {
    const good = fs.readFileSync(path.join(FIXTURES, "fat", "Europe/Warsaw"));
    const v1 = Buffer.from(good);
    v1[4] = 0;
    expect(parseTzif(v1)).toBeNull();
    expect(parseTzif(good.subarray(0, 300))).toBeNull();
    expect(parseTzif(Buffer.from("not a zone file at all, just some text here and more"))).toBeNull();
  });

  it("reads a zone by its IANA name and never a path outside the directory", () => {
    const dir = path.join(FIXTURES, "fat");
    expect(readZoneRules("Europe/Warsaw", dir)).toEqual(fixture("fat", "Europe/Warsaw"));
    expect(readZoneRules("../slim/Europe/Warsaw", dir)).toBeNull();
    expect(readZoneRules("/etc/passwd", dir)).toBeNull();
    expect(readZoneRules("posix/Europe/Warsaw", dir)).toBeNull();
    expect(readZoneRules("Mars/Olympus_Mons", dir)).toBeNull();
    expect(readZoneRules("Europe", dir)).toBeNull();
  });

  it("a zone without rules still validates and formats through Intl", () => {
    useZoneRules(() => null);
    expect(isValidTimeZone("Europe/Warsaw")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    const rules = fixture("fat", "Europe/Warsaw");
    useZoneRules((tz) => (tz === "Europe/Warsaw" ? rules : null));
    expect(isValidTimeZone("Europe/Warsaw")).toBe(true);
    expect(isValidTimeZone("America/New_York")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
  });
});
