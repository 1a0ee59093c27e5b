/**
 * What the kiosk says about itself while it starts: visitors see out of order until recovery has
 * asked the terminal about unfinished payments, and an end-of-day that a crash cut short is logged
 * and audited once at start (readiness warns about it until a later end-of-day succeeds), and so is a
 * void the terminal never confirmed.
 */
import { unconfirmedReversals } from "../store/reversals.ts";
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

/**
 * Voids whose reversal the terminal never confirmed (the kiosk died waiting, or the answer was lost):
 * logged and audited once at start; readiness warns about them until resolved.
 */
export function noteUnconfirmedVoids(db: Db, log: { error(obj: object, msg?: string): void }): void {
  for (const v of unconfirmedReversals(db)) {
    log.error(
      { payment: v.paymentId, amount: v.amount, requestedAt: v.requestedAt },
      "a void was sent to the terminal and never confirmed: the payment may have been reversed",
    );
    appendAudit(db, { actor: "kiosk", action: "void_unconfirmed", target: v.paymentId, details: { ...v } });
  }
}

/** What a crash may have cut short at the terminal, said once at start: end-of-day and voids. */
export function noteInterruptedWork(db: Db, log: { error(obj: object, msg?: string): void }): void {
  noteInterruptedEndOfDay(db, log);
  noteUnconfirmedVoids(db, log);
}
