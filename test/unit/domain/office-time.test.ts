/**
 * The office's time (Europe/Warsaw) at midnight and at both clock changes, whatever zone the process
 * runs in: the business day, the slip's "today", the receipt code's time and the offsets every
 * artefact writes. Held both by Intl and by the system's zoneinfo (the daemon's source).
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { slipToday } from "../../../kiosk/domain/slip.ts";
import {
  businessDay,
  compactSecond,
  isoWithOffset,
  repeatedWallTime,
  useZoneRules,
} from "../../../kiosk/domain/time.ts";
import { readZoneRules } from "../../../kiosk/zoneinfo.ts";

const processZone = process.env["TZ"];
afterAll(() => {
  if (processZone === undefined) delete process.env["TZ"];
  else process.env["TZ"] = processZone;
  useZoneRules(() => null);
});

const at = (iso: string) => new Date(iso);

describe.each([
  ["Intl", () => null],
  ["zoneinfo", (tz: string) => readZoneRules(tz)],
] as const)("office time by %s", (_name, source) => {
  describe.each(["UTC", "America/New_York", "Pacific/Kiritimati"])("in a process whose TZ is %s", (zone) => {
    beforeEach(() => {
      process.env["TZ"] = zone;
      useZoneRules(source);
    });

    it("midnight in Warsaw splits the business day and the slip's today, not the process's midnight", () => {
      // Winter: 23:59:59 and 00:00:00 Warsaw are 22:59:59 and 23:00:00 UTC.
      expect(businessDay(at("2026-12-09T22:59:59Z"))).toBe("2026-12-09");
      expect(slipToday(at("2026-12-09T22:59:59Z"))).toBe("20261209");
      expect(businessDay(at("2026-12-09T23:00:00Z"))).toBe("2026-12-10");
      expect(slipToday(at("2026-12-09T23:00:00Z"))).toBe("20261210");
      // Summer: 21:59:59 and 22:00:00 UTC.
      expect(slipToday(at("2027-06-30T21:59:59Z"))).toBe("20270630");
      expect(slipToday(at("2027-06-30T22:00:00Z"))).toBe("20270701");
      // New Year: started 23:59:58, approved 00:00:01 — booked on the approval's day.
      expect(businessDay(at("2026-12-31T23:00:01Z"))).toBe("2027-01-01");
      expect(isoWithOffset(at("2026-12-31T23:00:01Z"))).toBe("2027-01-01T00:00:01+01:00");
      expect(compactSecond(at("2026-12-31T22:59:58Z"))).toBe("20261231235958");
    });

    it("writes the offset of each side of both clock changes", () => {
      // Spring 2027-03-28: 02:00 CET → 03:00 CEST.
      expect(isoWithOffset(at("2027-03-28T00:59:59Z"))).toBe("2027-03-28T01:59:59+01:00");
      expect(isoWithOffset(at("2027-03-28T01:00:00Z"))).toBe("2027-03-28T03:00:00+02:00");
      // Autumn 2026-10-25: 03:00 CEST → 02:00 CET; 02:30 twice, told apart by the offset.
      expect(isoWithOffset(at("2026-10-25T00:30:00Z"))).toBe("2026-10-25T02:30:00+02:00");
      expect(isoWithOffset(at("2026-10-25T01:30:00Z"))).toBe("2026-10-25T02:30:00+01:00");
      expect(repeatedWallTime(at("2026-10-25T00:30:00Z"))).toBe("summer");
      expect(repeatedWallTime(at("2026-10-25T01:30:00Z"))).toBe("winter");
      expect(businessDay(at("2026-10-24T21:59:59Z"))).toBe("2026-10-24");
      expect(businessDay(at("2026-10-24T22:00:00Z"))).toBe("2026-10-25");
    });
  });
});
