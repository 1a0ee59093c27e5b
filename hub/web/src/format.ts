/**
 * What finance staff read: amounts from integer grosze (the domain's integer formatting, never a
 * float), account numbers in paper form, times in the office's zone (Europe/Warsaw).
 */
import { formatAmount } from "../../../kiosk/domain/money.ts";
import { formatNrb } from "../../../kiosk/domain/nrb.ts";
import { businessDay, DEFAULT_TZ, repeatedWallTime } from "../../../kiosk/domain/time.ts";
import { type Language, translator } from "./i18n.ts";

/** `1 234,56 zł` in Polish, `PLN 1,234.56` in English. */
export function money(grosze: number, language: Language): string {
  return formatAmount(grosze, language);
}

export function nrb(value: string): string {
  return formatNrb(value);
}

const LOCALES: Record<Language, string> = { pl: "pl-PL", en: "en-GB" };

/**
 * `14:03:27`: the time of a transaction on the day being shown. In the hour the clocks go back it
 * happens twice, so each says which: `02:30:00 (czas letni)`, then `02:30:00 (czas zimowy)`.
 */
export function timeOfDay(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = new Intl.DateTimeFormat(LOCALES[language], {
    timeStyle: "medium",
    timeZone: DEFAULT_TZ,
  }).format(date);
  const repeated = repeatedWallTime(date, DEFAULT_TZ);
  if (!repeated) return time;
  return `${time} (${translator(language)(repeated === "summer" ? "summerTime" : "winterTime")})`;
}

/** Day and time, for the fleet's last contact and last payment. */
export function dateTime(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[language], {
    dateStyle: "medium",
    timeStyle: "medium",
    timeZone: DEFAULT_TZ,
  }).format(date);
}

/** A business day (`YYYY-MM-DD`) written out: `5 grudnia 2026`. */
export function longDay(day: string, language: Language): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return day;
  // Noon UTC is the same calendar day in Warsaw whatever the season.
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: "long", timeZone: DEFAULT_TZ }).format(
    new Date(`${day}T12:00:00Z`),
  );
}

/** Today's business day in Warsaw. */
export function today(now: Date = new Date()): string {
  return businessDay(now, DEFAULT_TZ);
}

/** Whole minutes since `iso` (0 for the future or an unreadable time). */
export function minutesSince(iso: string, now: Date = new Date()): number {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 0;
  return Math.max(0, Math.floor((now.getTime() - at) / 60_000));
}
