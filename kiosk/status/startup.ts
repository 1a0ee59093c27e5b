/**
 * What the kiosk says about itself while it starts: visitors see out of order until recovery has
 * asked the terminal about unfinished payments, and an end-of-day that a crash cut short is logged
 * and audited once at start (readiness warns about it until a later end-of-day succeeds).
 */
import { interruptedEndOfDay } from "../store/terminal-days.ts";
import type { Db } from "../store/db.ts";
import { appendAudit } from "../store/records.ts";

export const STARTUP_REASON = "starting: unfinished payments are being checked with the card terminal";

export function noteInterruptedEndOfDay(db: Db, log: { error(obj: object, msg?: string): void }): void {
  const eod = interruptedEndOfDay(db);
  if (!eod) return;
  log.error(
    { startedAt: eod.startedAt, day: eod.day },
    "end-of-day was interrupted: the terminal's totals of that batch were not stored",
  );
  appendAudit(db, { actor: "kiosk", action: "end_of_day_interrupted", target: eod.day, details: eod });
}
