/**
 * The hour the clocks go back (Warsaw, last Sunday of October: 02:00–02:59:59 twice) as a finance clerk
 * reads the day: two payments at 02:30:00 are told apart on the page (the PDF: settlement-pdf.test.ts),
 * and the rest of the day, midnight included, reads as before.
 */
import { describe, expect, it } from "vitest";
import { timeOfDay } from "../../../hub/web/src/format.ts";
import { repeatedWallTime } from "../../../kiosk/domain/time.ts";

const SUMMER = "2026-10-25T02:30:00+02:00";
const WINTER = "2026-10-25T02:30:00+01:00";

describe("the repeated hour at the end of summer time", () => {
  it("is known as summer then winter time; other times, midnight and spring's change are not", () => {
    expect(repeatedWallTime(new Date(SUMMER))).toBe("summer");
    expect(repeatedWallTime(new Date(WINTER))).toBe("winter");
    expect(repeatedWallTime(new Date("2026-10-25T02:00:00+02:00"))).toBe("summer");
    expect(repeatedWallTime(new Date("2026-10-25T02:59:59+01:00"))).toBe("winter");
    for (const iso of [
      "2026-10-25T01:59:59+02:00",
      "2026-10-25T03:00:00+01:00",
      "2026-10-24T23:59:59+02:00",
      "2026-10-25T00:00:01+02:00",
      "2026-03-29T01:59:59+01:00",
      "2026-03-29T03:00:00+02:00",
      "2026-11-25T02:30:00+01:00",
    ])
      expect(repeatedWallTime(new Date(iso)), iso).toBeNull();
  });

  it("names summer and winter time on the page's transaction list, in Polish and English", () => {
    const shown = (iso: string, language: "pl" | "en") => timeOfDay(iso, language).replace(/\s+/g, " ");
    expect(shown(SUMMER, "pl")).toBe("02:30:00 (czas letni)");
    expect(shown(WINTER, "pl")).toBe("02:30:00 (czas zimowy)");
    expect(shown(SUMMER, "en")).toBe("02:30:00 (summer time)");
    expect(shown(WINTER, "en")).toBe("02:30:00 (winter time)");
    expect(shown("2026-10-25T00:00:01+02:00", "pl")).toBe("00:00:01");
    expect(shown("2026-10-25T23:59:59+01:00", "en")).toBe("23:59:59");
  });
});
