/**
 * End of day: the terminal closes its batch, its totals are stored next to the kiosk's own, the day
 * is queued for the settlement platform (SPEC §6 `/days`), and the day's report is produced. It is
 * refused while any payment is unresolved (authorizing, unknown, or approved but not finished):
 * closing the batch then could split or lose a transaction the recovery still has to settle.
 */
import fs from "node:fs";
import path from "node:path";
import type { PaymentTerminal, TerminalEndOfDay } from "../../devices/device.ts";
import type { KioskConfig } from "../config/types.ts";
import { type KioskBatchPayment, type Reconciliation, reconcile } from "../domain/reconciliation.ts";
import { businessDay, isoWithOffset } from "../domain/time.ts";
import { IN_PROGRESS_STATES, UNSETTLED_STATUSES } from "../flow/states.ts";
import { insertOutboxMessage } from "../outbox/enqueue.ts";
import { settlementDayMessage } from "../outbox/messages.ts";
import { type Db, inTransaction } from "../store/db.ts";
import { raiseAlarm } from "../store/alarms.ts";
import { appendAudit } from "../store/records.ts";
import { ReportingError } from "./errors.ts";
import { type SettlementSummary, settlementSummary } from "./settlement-summary.ts";
import { writeReportFile } from "./settlement-report.ts";

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

/** Marker written before the terminal is asked, cleared with the stored totals. */
export const EOD_PENDING_KEY = "end_of_day.pending";

const running = new WeakSet<Db>();

/** Sessions whose payment is not settled yet; end-of-day and the close of a day must wait for them. */
export function unresolvedPayments(db: Db): Array<{ id: string; state: string }> {
  const states = IN_PROGRESS_STATES.map(() => "?").join(", ");
  const statuses = UNSETTLED_STATUSES.map(() => "?").join(", ");
  return db
    .prepare(
      `SELECT id, state FROM sessions
        WHERE state IN (${states}) OR payment_status IN (${statuses})
        ORDER BY created_at LIMIT 20`,
    )
    .all(...IN_PROGRESS_STATES, ...UNSETTLED_STATUSES) as Array<{ id: string; state: string }>;
}

export async function runEndOfDay(input: EndOfDayInput): Promise<EndOfDayResult> {
  const { db, terminal, config } = input;
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
    db.prepare("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)").run(
      EOD_PENDING_KEY,
      JSON.stringify({ startedAt: startedAt.toISOString(), day: businessDay(startedAt, tz) }),
    );
    let totals: TerminalEndOfDay;
    try {
      totals = await terminal.endOfDay();
    } catch (e) {
      throw new ReportingError(
        "DEVICE_UNAVAILABLE",
        "terminal_unavailable",
        `The terminal did not close the day: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const closedAt = clock();
    const day = batchDay(db, startedAt, tz);
    const reconciliation = reconcile(batchPayments(db, day), totals);
    const closing = inTransaction(db, () => {
      const kiosk = db
        .prepare(
          "SELECT COUNT(*) AS n, COALESCE(SUM(total), 0) AS total FROM sessions WHERE business_day = ? AND payment_status = 'approved'",
        )
        .get(day) as { n: number; total: number };
      const id = Number(
        db
          .prepare(
            `INSERT INTO terminal_days (business_day, closed_at, terminal_total, terminal_count, terminal_data, kiosk_total, kiosk_count)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            day,
            isoWithOffset(closedAt, tz),
            totals.total,
            totals.count,
            JSON.stringify({ ...totals, reconciliation }),
            kiosk.total,
            kiosk.n,
          ).lastInsertRowid,
      );
      if (config.integrations.settlement)
        insertOutboxMessage(
          db,
          settlementDayMessage({
            office: config.office.id,
            kiosk: config.kiosk.id,
            date: day,
            count: kiosk.n,
            total: kiosk.total,
            terminalTotals: {
              count: totals.count,
              total: totals.total,
              ...(totals.perBrand ? { perBrand: totals.perBrand } : {}),
              closedAt: isoWithOffset(closedAt, tz),
              reconciliation: { matches: reconciliation.matches, differences: reconciliation.differences },
            },
            closingId: id,
          }),
          closedAt,
        );
      appendAudit(db, {
        actor: input.actor ?? "system",
        action: "end_of_day",
        target: day,
        details: {
          terminalCount: totals.count,
          terminalTotal: totals.total,
          kioskCount: kiosk.n,
          kioskTotal: kiosk.total,
          reconciled: reconciliation.matches,
          differences: reconciliation.differences,
        },
        at: closedAt.toISOString(),
      });
      db.prepare("DELETE FROM kv WHERE key = ?").run(EOD_PENDING_KEY);
      // Per card family too: equal batch totals can hide a Visa payment booked as a Mastercard one.
      const mismatch = !reconciliation.matches;
      if (mismatch) {
        raiseAlarm(db, {
          kind: "end_of_day_mismatch",
          subject: day,
          summary: `end-of-day ${day}: the terminal closed ${totals.count} payment(s) for ${totals.total} gr, the kiosk recorded ${kiosk.n} for ${kiosk.total} gr`,
          details: {
            closingId: id,
            terminalCount: totals.count,
            terminalTotal: totals.total,
            kioskCount: kiosk.n,
            kioskTotal: kiosk.total,
            differences: reconciliation.differences,
          },
          actor: input.actor ?? "system",
          at: closedAt,
        });
      }
      return { id, mismatch };
    });
    if (closing.mismatch) {
      input.log?.error(
        { day, closingId: closing.id, terminal: { count: totals.count, total: totals.total } },
        "end-of-day mismatch: the terminal's totals differ from the kiosk's; compare the terminal's journal",
      );
    }
    const closingId = closing.id;
    const summary = settlementSummary(db, config, day, closedAt);
    const files: string[] = [];
    if (input.reportDirectory) {
      fs.mkdirSync(input.reportDirectory, { recursive: true });
      for (const format of ["json", "pdf"] as const) {
        const file = path.join(input.reportDirectory, `settlement-${config.kiosk.id}-${day}.${format}`);
        await writeReportFile(db, summary, format, file);
        files.push(file);
      }
    }
    return { day, closingId, mismatch: closing.mismatch, terminal: totals, reconciliation, summary, files };
  } finally {
    running.delete(db);
  }
}

/** The kiosk's payments the batch should hold: approved (not reversed) on its business day. */
function batchPayments(db: Db, day: string): KioskBatchPayment[] {
  return (
    db
      .prepare(
        "SELECT id, total, card_brand, receipt_no FROM sessions WHERE business_day = ? AND payment_status = 'approved'",
      )
      .all(day) as Array<{ id: string; total: number; card_brand: string | null; receipt_no: string | null }>
  ).map((r) => ({ id: r.id, total: r.total, brand: r.card_brand, receiptNo: r.receipt_no }));
}

/**
 * An end-of-day that started and never stored its totals (the kiosk died meanwhile): the terminal may
 * have closed its batch, and only its printed end-of-day receipt still knows the totals. Cleared by
 * the next end-of-day that completes.
 */
export function interruptedEndOfDay(db: Db): { startedAt: string; day: string } | null {
  const row = db.prepare("SELECT value FROM kv WHERE key = ?").get(EOD_PENDING_KEY) as
    | { value: string }
    | undefined;
  if (!row) return null;
  try {
    const v = JSON.parse(row.value) as { startedAt?: unknown; day?: unknown };
    return { startedAt: String(v.startedAt ?? ""), day: String(v.day ?? "") };
  } catch {
    return { startedAt: "", day: "" };
  }
}

/**
 * The business day a batch closed now belongs to: that of its latest payment (paid after the previous
 * closing), else today. A close run after midnight thus reconciles against the day it really closes,
 * not against the new, still empty one.
 */
function batchDay(db: Db, startedAt: Date, tz: string): string {
  const latest = db
    .prepare(
      `SELECT business_day, paid_at FROM sessions WHERE payment_status IN ('approved', 'reversed')
        ORDER BY business_day DESC, paid_at DESC LIMIT 1`,
    )
    .get() as { business_day: string; paid_at: string } | undefined;
  const previous = db.prepare("SELECT closed_at FROM terminal_days ORDER BY id DESC LIMIT 1").get() as
    | { closed_at: string }
    | undefined;
  const paid = latest ? Date.parse(latest.paid_at) : Number.NaN;
  const inBatch =
    latest && paid <= startedAt.getTime() && (!previous || paid > Date.parse(previous.closed_at));
  return inBatch ? latest.business_day : businessDay(startedAt, tz);
}

/** True when the day has an end-of-day closing at or after `paidAt` (the payment is in a closed batch). */
export function isClosedAfter(db: Db, day: string, paidAt: string): boolean {
  const rows = db.prepare("SELECT closed_at FROM terminal_days WHERE business_day = ?").all(day) as Array<{
    closed_at: string;
  }>;
  const paid = Date.parse(paidAt);
  return rows.some((r) => Date.parse(r.closed_at) >= paid);
}
