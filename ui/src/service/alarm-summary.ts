/**
 * An alarm's one line in the console's language, keyed by its kind and worded from its details;
 * the daemon's English `summary` only for a kind this console does not know or details it lacks.
 */
import type { Language } from "../api.ts";
import { formatDate, formatMoney } from "../format.ts";
import type { ServiceMessages } from "../i18n/service.ts";
import { isObject, type Json } from "../json.ts";
import type { Alarm } from "./service-api.ts";

function text(details: Json, key: string): string | undefined {
  const v = details[key];
  return typeof v === "string" && v !== "" ? v : undefined;
}

function count(details: Json, key: string): number | undefined {
  const v = details[key];
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined;
}

export function alarmSummary(
  alarm: Pick<Alarm, "kind" | "subject" | "summary" | "details">,
  t: ServiceMessages["queue"],
  lang: Language,
): string {
  const d = alarm.details;
  if (!isObject(d)) return alarm.summary;
  if (alarm.kind === "payment_conflict") {
    const destination = text(d, "destination");
    const message = text(d, "message");
    return destination && message ? t.alarmSummary.payment_conflict(destination, message) : alarm.summary;
  }
  if (alarm.kind === "end_of_day_mismatch") {
    const [tc, tt, kc, kt] = ["terminalCount", "terminalTotal", "kioskCount", "kioskTotal"].map((k) =>
      count(d, k),
    );
    if (tc === undefined || tt === undefined || kc === undefined || kt === undefined || !alarm.subject)
      return alarm.summary;
    return t.alarmSummary.end_of_day_mismatch(
      formatDate(alarm.subject, lang),
      t.dayFigures(tc, formatMoney(tt, lang)),
      t.dayFigures(kc, formatMoney(kt, lang)),
    );
  }
  return alarm.summary;
}
