/**
 * The Polish banking-day calendar payouts are dated by and statements are matched with: the
 * statutory public holidays of any year (Easter by the Gregorian computus), Wigilia a holiday from
 * 2025, and the next banking day after weekends and holidays.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addBankingDays,
  easterSunday,
  isBankingDay,
  isPolishHoliday,
  nextBankingDay,
  polishHolidays,
} from "../../../kiosk/domain/banking-days.ts";
import { addDays } from "../../../kiosk/domain/time.ts";

describe("Polish public holidays", () => {
  it("finds Easter Sunday on its published dates", () => {
    // Published dates of Western (Gregorian) Easter, including the earliest and latest possible.
    const published: Record<number, string> = {
      1818: "1818-03-22",
      1943: "1943-04-25",
      2000: "2000-04-23",
      2008: "2008-03-23",
      2011: "2011-04-24",
      2019: "2019-04-21",
      2024: "2024-03-31",
      2025: "2025-04-20",
      2026: "2026-04-05",
      2027: "2027-03-28",
      2028: "2028-04-16",
      2038: "2038-04-25",
      2285: "2285-03-22",
    };
    for (const [year, day] of Object.entries(published)) expect(easterSunday(Number(year))).toBe(day);
  });

  it("lists the fourteen holidays of 2026 and of 2027", () => {
    expect(polishHolidays(2026).map((h) => h.day)).toEqual([
      "2026-01-01",
      "2026-01-06",
      "2026-04-05",
      "2026-04-06",
      "2026-05-01",
      "2026-05-03",
      "2026-05-24",
      "2026-06-04",
      "2026-08-15",
      "2026-11-01",
      "2026-11-11",
      "2026-12-24",
      "2026-12-25",
      "2026-12-26",
    ]);
    expect(polishHolidays(2027).map((h) => h.day)).toEqual([
      "2027-01-01",
      "2027-01-06",
      "2027-03-28",
      "2027-03-29",
      "2027-05-01",
      "2027-05-03",
      "2027-05-16",
      "2027-05-27",
      "2027-08-15",
      "2027-11-01",
      "2027-11-11",
      "2027-12-24",
      "2027-12-25",
      "2027-12-26",
    ]);
    expect(polishHolidays(2027).find((h) => h.day === "2027-05-27")?.name).toBe("Boże Ciało");
  });

  it("has Easter Monday, Pentecost, Corpus Christi, 11 November and Wigilia in 2028–2030", () => {
    const days = (y: number) => polishHolidays(y).map((h) => h.day);
    expect(days(2028)).toEqual(
      expect.arrayContaining(["2028-04-17", "2028-06-04", "2028-06-15", "2028-11-11", "2028-12-24"]),
    );
    expect(days(2029)).toEqual(
      expect.arrayContaining(["2029-04-02", "2029-05-20", "2029-05-31", "2029-11-11", "2029-12-24"]),
    );
    expect(days(2030)).toEqual(
      expect.arrayContaining(["2030-04-22", "2030-06-09", "2030-06-20", "2030-11-11", "2030-12-24"]),
    );
    for (const y of [2025, 2026, 2027, 2028, 2029, 2030]) expect(days(y)).toHaveLength(14);
  });

  it("keeps Wigilia a working day before 2025 and a holiday from 2025 on", () => {
    expect(isPolishHoliday("2024-12-24")).toBe(false);
    expect(isBankingDay("2024-12-24")).toBe(true); // a Tuesday
    expect(polishHolidays(2024)).toHaveLength(13);
    expect(isPolishHoliday("2025-12-24")).toBe(true);
    expect(isBankingDay("2025-12-24")).toBe(false); // a Wednesday
  });
});

describe("banking days", () => {
  it("are Monday to Friday except holidays", () => {
    expect(isBankingDay("2026-11-20")).toBe(true); // Friday
    expect(isBankingDay("2026-11-21")).toBe(false); // Saturday
    expect(isBankingDay("2026-11-22")).toBe(false); // Sunday
    expect(isBankingDay("2026-11-11")).toBe(false); // Independence Day, a Wednesday
    expect(isBankingDay("2026-04-06")).toBe(false); // Easter Monday
  });

  it("date New Year's Eve, Easter, 11 November and Christmas payouts of 2026–2030 past the holidays", () => {
    expect(nextBankingDay("2026-12-31")).toBe("2027-01-04"); // Friday 1 January, the weekend
    expect(nextBankingDay("2027-03-26")).toBe("2027-03-30"); // Good Friday → past Easter Monday (29th)
    expect(nextBankingDay("2027-11-10")).toBe("2027-11-12"); // Thursday 11 November
    expect(nextBankingDay("2027-12-23")).toBe("2027-12-27"); // Wigilia (Friday) and the weekend
    expect(nextBankingDay("2030-12-23")).toBe("2030-12-27"); // Monday: Wigilia, 25th, 26th
    expect(isBankingDay("2027-12-31")).toBe(true); // New Year's Eve is a working day
  });

  it("give the next banking day after weekends, long weekends and Christmas", () => {
    expect(nextBankingDay("2026-11-18")).toBe("2026-11-19"); // Wednesday → Thursday
    expect(nextBankingDay("2026-11-20")).toBe("2026-11-23"); // Friday → Monday
    expect(nextBankingDay("2026-11-21")).toBe("2026-11-23"); // Saturday → Monday
    expect(nextBankingDay("2026-04-03")).toBe("2026-04-07"); // Good Friday → Tuesday after Easter Monday
    expect(nextBankingDay("2026-04-05")).toBe("2026-04-07"); // Easter Sunday, the day before Easter Monday
    expect(nextBankingDay("2026-11-10")).toBe("2026-11-12"); // the day before 11 November
    expect(nextBankingDay("2026-12-23")).toBe("2026-12-28"); // Wigilia, Christmas, then the weekend
    expect(nextBankingDay("2026-12-31")).toBe("2027-01-04"); // New Year on a Friday, then the weekend
  });

  it("count n banking days either way, never counting the day itself", () => {
    expect(addBankingDays("2026-04-03", 3)).toBe("2026-04-09");
    expect(addBankingDays("2026-04-07", -3)).toBe("2026-04-01");
    expect(addBankingDays("2026-11-21", 0)).toBe("2026-11-21");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3650 }), fc.integer({ min: 1, max: 10 }), (offset, n) => {
        const day = addDays("2025-01-01", offset);
        const after = addBankingDays(day, n);
        // The n-th banking day after, and exactly n - 1 banking days between.
        let between = 0;
        for (let d = addDays(day, 1); d < after; d = addDays(d, 1)) if (isBankingDay(d)) between++;
        return isBankingDay(after) && between === n - 1 && addBankingDays(after, -n) <= day;
      }),
    );
  });
});
