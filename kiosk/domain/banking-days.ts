/**
 * Polish banking days: Monday to Friday except the statutory public holidays (Ustawa o dniach wolnych
 * od pracy, 1951, as amended; Wigilia, 24 December, a holiday from 2025 by the Act of 2024). Elixir
 * sessions run only on banking days, so a payout ordered for a Saturday, Sunday or holiday waits for
 * the next one, and acquirers credit card takings on banking days only. Pure: days are `YYYY-MM-DD`.
 */
import { addDays } from "./time.ts";

const p2 = (n: number): string => String(n).padStart(2, "0");
const dayOf = (year: number, month: number, day: number): string => `${year}-${p2(month)}-${p2(day)}`;

/** Easter Sunday of a Gregorian year (the anonymous Gregorian computus, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayOf(year, month, day);
}

/** The public holidays of a year, in date order, with their Polish names. */
export function polishHolidays(year: number): Array<{ day: string; name: string }> {
  const easter = easterSunday(year);
  const list = [
    { day: dayOf(year, 1, 1), name: "Nowy Rok" },
    { day: dayOf(year, 1, 6), name: "Trzech Króli" },
    { day: easter, name: "Wielkanoc" },
    { day: addDays(easter, 1), name: "Poniedziałek Wielkanocny" },
    { day: dayOf(year, 5, 1), name: "Święto Pracy" },
    { day: dayOf(year, 5, 3), name: "Święto Konstytucji 3 Maja" },
    { day: addDays(easter, 49), name: "Zielone Świątki" },
    { day: addDays(easter, 60), name: "Boże Ciało" },
    { day: dayOf(year, 8, 15), name: "Wniebowzięcie NMP" },
    { day: dayOf(year, 11, 1), name: "Wszystkich Świętych" },
    { day: dayOf(year, 11, 11), name: "Narodowe Święto Niepodległości" },
    ...(year >= 2025 ? [{ day: dayOf(year, 12, 24), name: "Wigilia" }] : []),
    { day: dayOf(year, 12, 25), name: "Boże Narodzenie" },
    { day: dayOf(year, 12, 26), name: "Drugi dzień Bożego Narodzenia" },
  ];
  return list.sort((x, y) => (x.day < y.day ? -1 : 1));
}

const holidaysByYear = new Map<number, Set<string>>();

export function isPolishHoliday(day: string): boolean {
  const year = Number(day.slice(0, 4));
  let set = holidaysByYear.get(year);
  if (!set) {
    set = new Set(polishHolidays(year).map((x) => x.day));
    holidaysByYear.set(year, set);
  }
  return set.has(day);
}

/** Monday to Friday, not a public holiday: a day Elixir sessions run. */
export function isBankingDay(day: string): boolean {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isPolishHoliday(day);
}

/**
 * The `n`-th banking day after `day` (before it when `n` is negative); `day` itself never counts,
 * whether or not it is a banking day. `n` = 0 answers `day`.
 */
export function addBankingDays(day: string, n: number): string {
  const step = n < 0 ? -1 : 1;
  let at = day;
  for (let left = Math.abs(n); left > 0; ) {
    at = addDays(at, step);
    if (isBankingDay(at)) left--;
  }
  return at;
}

/** The first banking day after `day`: a payout's default execution date for the business day `day`. */
export function nextBankingDay(day: string): string {
  return addBankingDays(day, 1);
}
