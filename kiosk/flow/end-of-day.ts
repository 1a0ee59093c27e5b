/**
 * End of day: the terminal closes its batch, its totals are stored next to the kiosk's own, the day
 * is queued for the settlement platform (SPEC §6 `/days`), and the day's report is produced. It is
 * refused while any payment is unresolved (authorizing, unknown, or approved but not finished):
 * closing the batch then could split or lose a transaction the recovery still has to settle. It
 * drives the terminal, so it runs through `PaymentFlow.endOfDay`, alone on the one terminal.
 */
import fs from "node:fs";
import path from "node:path";
import type { PaymentTerminal, TerminalEndOfDay } from "../../devices/device.ts";
import type { KioskConfig } from "../config/types.ts";
import {
  type KioskBatchPayment,
  type Reconciliation,
  reconcile,
  type TerminalBatchTotals,
} from "../domain/reconciliation.ts";
import { businessDay, isoWithOffset } from "../domain/time.ts";
import { settlementDayMessage } from "../outbox/messages.ts";
import { ReportingError } from "../reports/errors.ts";
import { writeReportFile } from "../reports/settlement-report.ts";
import { type SettlementSummary, settlementSummary } from "../reports/settlement-summary.ts";
import { raiseAlarm } from "../store/alarms.ts";
import {
  approvedTotals,
  batchRows,
  latestChargedPayment,
  unresolvedPayments,
} from "../store/day-payments.ts";
import { type Db, inTransaction } from "../store/db.ts";
import { insertOutboxMessage } from "../store/outbox.ts";
import { appendAudit } from "../store/records.ts";
import {
  clearEndOfDayPending,
  closedBeforeDay,
  closingTotalsOf,
  insertTerminalDay,
  interruptedEndOfDay,
  lastClosedAt,
  markEndOfDayPending,
} from "../store/terminal-days.ts";

export { EOD_PENDING_KEY, interruptedEndOfDay, isClosedAfter } from "../store/terminal-days.ts";
export { unresolvedPayments } from "../store/day-payments.ts";

export interface EndOfDayInput {
  db: Db;
  terminal: PaymentTerminal;
  config: KioskConfig;
  now?: () => Date;
  /** Who asked: `scheduler`, `service:<technician>` … (audited). */
  actor?: string;
  /** When set, the day's report is also written there as JSON and PDF. */
  reportDirectory?: string;
  /** Where a kiosk-vs-terminal difference is logged (as an error: staff must look at it). */
  log?: { error(obj: object, msg?: string): void };
}

export interface EndOfDayResult {
  day: string;
  /** The kiosk's and the terminal's count or total differ: the `end_of_day_mismatch` alarm was raised. */
  mismatch: boolean;
  closingId: number;
  terminal: TerminalEndOfDay;
  /** The kiosk's payments of the batch against the terminal's totals. */
  reconciliation: Reconciliation;
  summary: SettlementSummary;
  files: string[];
}

const running = new WeakSet<Db>();

/** What one closing found: the day, the terminal's totals and the reconciliation against the kiosk's. */
interface Closed {
  day: string;
  closedAt: Date;
  /** This batch's, as the terminal closed it (stored with the closing). */
  totals: TerminalEndOfDay;
  /** The day's: this batch's and the earlier closings' of the same day (reconciled, sent). */
  dayTotals: TerminalBatchTotals;
  reconciliation: Reconciliation;
}

export async function runEndOfDay(input: EndOfDayInput): Promise<EndOfDayResult> {
  const { db, config } = input;
  const clock = input.now ?? (() => new Date());
  const tz = config.kiosk.timezone || "Europe/Warsaw";
  if (running.has(db))
    throw new ReportingError("CONFLICT", "already_running", "End of day is already running.");
  const open = unresolvedPayments(db);
  if (open.length > 0)
    throw new ReportingError(
      "CONFLICT",
      "payment_unresolved",
      `End of day refused: ${open.length} payment(s) not yet resolved (${open.map((o) => `${o.id}:${o.state}`).join(", ")}).`,
    );
  running.add(db);
  try {
    const startedAt = clock();
    // Written before the terminal is asked: a crash after its batch closed leaves a trace for staff.
    markEndOfDayPending(db, startedAt.toISOString(), businessDay(startedAt, tz));
    const totals = await closeBatch(input.terminal);
    const closedAt = clock();
    const day = batchDay(db, startedAt, tz);
    const dayTotals = terminalDayTotals(db, day, totals);
    const closed: Closed = {
      day,
      closedAt,
      totals,
      dayTotals,
      // Against the day's closings (this one too): the kiosk's payments since the closing before them.
      reconciliation: reconcile(batchPayments(db, day, closedBeforeDay(db, day)), dayTotals),
    };
    const closing = storeClosing(input, closed);
    if (closing.mismatch) {
      input.log?.error(
        { day, closingId: closing.id, terminal: { count: totals.count, total: totals.total } },
        "end-of-day mismatch: the terminal's totals differ from the kiosk's; compare the terminal's journal",
      );
    }
    const summary = settlementSummary(db, config, day, closedAt);
    const files = input.reportDirectory ? await writeDayReports(input, input.reportDirectory, summary) : [];
    return {
      day,
      closingId: closing.id,
      mismatch: closing.mismatch,
      terminal: totals,
      reconciliation: closed.reconciliation,
      summary,
      files,
    };
  } finally {
    running.delete(db);
  }
}

/** 06 50: the terminal closes its batch and says its totals. */
async function closeBatch(terminal: PaymentTerminal): Promise<TerminalEndOfDay> {
  try {
    return await terminal.endOfDay();
  } catch (e) {
    throw new ReportingError(
      "DEVICE_UNAVAILABLE",
      "terminal_unavailable",
      `The terminal did not close the day: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/**
 * The closing, the settlement day message, the audit, the cleared marker and (on any difference)
 * the `end_of_day_mismatch` alarm: one transaction.
 */
function storeClosing(input: EndOfDayInput, closed: Closed): { id: number; mismatch: boolean } {
  const { db, config } = input;
  const { day, closedAt, totals, dayTotals, reconciliation } = closed;
  const tz = config.kiosk.timezone || "Europe/Warsaw";
  return inTransaction(db, () => {
    const kiosk = approvedTotals(db, day);
    const id = insertTerminalDay(db, {
      day,
      closedAt: isoWithOffset(closedAt, tz),
      terminalTotal: totals.total,
      terminalCount: totals.count,
      terminalData: JSON.stringify({ ...totals, reconciliation }),
      kioskTotal: kiosk.total,
      kioskCount: kiosk.n,
    });
    if (config.integrations.settlement)
      insertOutboxMessage(db, dayMessage(config, closed, kiosk, id), closedAt);
    // The two sides as reconciled: the kiosk's is the day's plus any payment of another day this batch
    // holds (a batch straddling midnight).
    const figures = {
      terminalCount: dayTotals.count,
      terminalTotal: dayTotals.total,
      kioskCount: reconciliation.kiosk.count,
      kioskTotal: reconciliation.kiosk.total,
    };
    const batch = { count: totals.count, total: totals.total };
    appendAudit(db, {
      actor: input.actor ?? "system",
      action: "end_of_day",
      target: day,
      details: {
        ...figures,
        batch,
        reconciled: reconciliation.matches,
        differences: reconciliation.differences,
      },
      at: closedAt.toISOString(),
    });
    clearEndOfDayPending(db);
    // Per card family too: equal batch totals can hide a Visa payment booked as a Mastercard one.
    const mismatch = !reconciliation.matches;
    if (mismatch) {
      raiseAlarm(db, {
        kind: "end_of_day_mismatch",
        subject: day,
        summary: `end-of-day ${day}: the terminal closed ${dayTotals.count} payment(s) for ${dayTotals.total} gr, the kiosk recorded ${figures.kioskCount} for ${figures.kioskTotal} gr`,
        details: { closingId: id, ...figures, batch, differences: reconciliation.differences },
        actor: input.actor ?? "system",
        at: closedAt,
      });
    }
    return { id, mismatch };
  });
}

/**
 * SPEC §6 `/days`: the kiosk's and the terminal's totals of the closed day, both the whole day's so far
 * (a second closing's message carries the first's payments on both sides, as the hub holds them).
 */
function dayMessage(
  config: KioskConfig,
  closed: Closed,
  kiosk: { n: number; total: number },
  closingId: number,
): ReturnType<typeof settlementDayMessage> {
  const { dayTotals: totals, reconciliation } = closed;
  return settlementDayMessage({
    office: config.office.id,
    kiosk: config.kiosk.id,
    date: closed.day,
    count: kiosk.n,
    total: kiosk.total,
    terminalTotals: {
      count: totals.count,
      total: totals.total,
      ...(totals.perBrand ? { perBrand: totals.perBrand } : {}),
      closedAt: isoWithOffset(closed.closedAt, config.kiosk.timezone || "Europe/Warsaw"),
      reconciliation: { matches: reconciliation.matches, differences: reconciliation.differences },
    },
    closingId,
  });
}

/** The day's report as JSON and PDF files in `dir`. */
async function writeDayReports(
  input: EndOfDayInput,
  dir: string,
  summary: SettlementSummary,
): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const format of ["json", "pdf"] as const) {
    const file = path.join(dir, `settlement-${input.config.kiosk.id}-${summary.header.day}.${format}`);
    await writeReportFile(input.db, summary, format, file);
    files.push(file);
  }
  return files;
}

/**
 * The terminal's totals of the whole business day: this batch's plus every earlier closing's of the same
 * day. A second closing of one day (a technician's beside the scheduled one, a second cash-desk shift
 * closed as the day's last) holds only what was paid since the first, while the kiosk's side is the
 * whole day; batch against day, every payment of the first batch was "kiosk only". The settlement
 * report adds up the day's closings the same way. Per card family only when every closing gave them.
 */
function terminalDayTotals(db: Db, day: string, batch: TerminalEndOfDay): TerminalBatchTotals {
  const closings = [...closingTotalsOf(db, day), { ...batch, perBrand: batch.perBrand ?? null }];
  const perBrand: Record<string, { count: number; total: number }> = {};
  let everyFamily = true;
  for (const c of closings) {
    if (!c.perBrand) everyFamily = false;
    for (const [brand, t] of Object.entries(c.perBrand ?? {})) {
      const held = perBrand[brand] ?? { count: 0, total: 0 };
      perBrand[brand] = { count: held.count + t.count, total: held.total + t.total };
    }
  }
  return {
    count: closings.reduce((n, c) => n + c.count, 0),
    total: closings.reduce((n, c) => n + c.total, 0),
    ...(everyFamily ? { perBrand } : {}),
  };
}

/**
 * The kiosk's payments the day's closings should hold: approved (not reversed), booked on the day or
 * paid since the closing before the day's first (store/day-payments.ts `batchRows`: a batch can straddle
 * midnight, and the day's terminal side adds up every closing of the day, the first's too).
 */
function batchPayments(db: Db, day: string, closedBefore: string | null): KioskBatchPayment[] {
  return batchRows(db, day, closedBefore).map((r) => ({
    id: r.id,
    total: r.total,
    brand: r.card_brand,
    receiptNo: r.receipt_no,
  }));
}

/**
 * The past business day whose payments the terminal's open batch still holds: the latest charged
 * payment is of a day before today and was paid after the last closing (the kiosk was off when that
 * day's end-of-day was due, or took it after the day's end-of-day and before midnight). Null when
 * there is none, and after an interrupted end-of-day, which staff settle first (docs/operations.md).
 */
export function overdueDay(db: Db, now: Date, tz: string): string | null {
  const latest = latestChargedPayment(db);
  if (!latest || latest.business_day >= businessDay(now, tz)) return null;
  const previous = lastClosedAt(db);
  if (previous && Date.parse(latest.paid_at) <= Date.parse(previous)) return null;
  if (interruptedEndOfDay(db)) return null;
  return latest.business_day;
}

/**
 * The business day a batch closed now belongs to: that of its latest payment (paid after the previous
 * closing), else today. A close run after midnight thus reconciles against the day it really closes,
 * not against the new, still empty one.
 */
function batchDay(db: Db, startedAt: Date, tz: string): string {
  const latest = latestChargedPayment(db);
  const previous = lastClosedAt(db);
  const paid = latest ? Date.parse(latest.paid_at) : Number.NaN;
  const inBatch = latest && paid <= startedAt.getTime() && (!previous || paid > Date.parse(previous));
  return inBatch ? latest.business_day : businessDay(startedAt, tz);
}
