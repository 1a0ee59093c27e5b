/**
 * End-of-day's records: the marker written before the terminal is asked to close its batch, the
 * closings stored with the terminal's and the kiosk's totals, and the questions asked of them (was a
 * payment's batch already closed? which day does the batch closed now belong to?).
 */
import type { Db } from "./db.ts";

/** Marker written before the terminal is asked, cleared with the stored totals. */
export const EOD_PENDING_KEY = "end_of_day.pending";

/** End-of-day started: if the kiosk dies before the totals are stored, the next start says so. */
export function markEndOfDayPending(db: Db, startedAt: string, day: string): void {
  db.prepare("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)").run(
    EOD_PENDING_KEY,
    JSON.stringify({ startedAt, day }),
  );
}

export function clearEndOfDayPending(db: Db): void {
  db.prepare("DELETE FROM kv WHERE key = ?").run(EOD_PENDING_KEY);
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

export interface TerminalDayRecord {
  day: string;
  closedAt: string;
  terminalTotal: number;
  terminalCount: number;
  /** The terminal's totals and the reconciliation, as JSON. */
  terminalData: string;
  kioskTotal: number;
  kioskCount: number;
}

/** Stores one closing; returns its id (the `closingId` of the settlement day message). */
export function insertTerminalDay(db: Db, r: TerminalDayRecord): number {
  return Number(
    db
      .prepare(
        `INSERT INTO terminal_days (business_day, closed_at, terminal_total, terminal_count, terminal_data, kiosk_total, kiosk_count)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.day, r.closedAt, r.terminalTotal, r.terminalCount, r.terminalData, r.kioskTotal, r.kioskCount)
      .lastInsertRowid,
  );
}

/** When the last end-of-day closed (any day), or null before the first. */
export function lastClosedAt(db: Db): string | null {
  const row = db.prepare("SELECT closed_at FROM terminal_days ORDER BY id DESC LIMIT 1").get() as
    | { closed_at: string }
    | undefined;
  return row?.closed_at ?? null;
}

/**
 * When the closing before `day`'s first closed (or the last closing, when the day has none yet): the
 * day's closings together hold what the terminal charged since then, whichever day it is booked on.
 */
export function closedBeforeDay(db: Db, day: string): string | null {
  const row = db
    .prepare(
      `SELECT closed_at FROM terminal_days
        WHERE id < COALESCE((SELECT MIN(id) FROM terminal_days WHERE business_day = ?), 9223372036854775807)
        ORDER BY id DESC LIMIT 1`,
    )
    .get(day) as { closed_at: string } | undefined;
  return row?.closed_at ?? null;
}

/** The day's closings in order, with the terminal's totals. */
export function closingsOf(
  db: Db,
  day: string,
): Array<{ closed_at: string; terminal_count: number; terminal_total: number }> {
  return db
    .prepare(
      "SELECT closed_at, terminal_count, terminal_total FROM terminal_days WHERE business_day = ? ORDER BY id",
    )
    .all(day) as Array<{ closed_at: string; terminal_count: number; terminal_total: number }>;
}

/** The terminal's totals of each of the day's closings, per card family where the terminal gave them. */
export function closingTotalsOf(
  db: Db,
  day: string,
): Array<{
  count: number;
  total: number;
  perBrand: Record<string, { count: number; total: number }> | null;
}> {
  const rows = db
    .prepare(
      "SELECT terminal_count, terminal_total, terminal_data FROM terminal_days WHERE business_day = ? ORDER BY id",
    )
    .all(day) as Array<{ terminal_count: number; terminal_total: number; terminal_data: string | null }>;
  return rows.map((r) => {
    let perBrand: Record<string, { count: number; total: number }> | null = null;
    try {
      const data = JSON.parse(r.terminal_data ?? "null") as { perBrand?: unknown } | null;
      if (data?.perBrand && typeof data.perBrand === "object")
        perBrand = data.perBrand as Record<string, { count: number; total: number }>;
    } catch {
      perBrand = null;
    }
    return { count: r.terminal_count, total: r.terminal_total, perBrand };
  });
}

/** True when the day has an end-of-day closing at or after `paidAt` (the payment is in a closed batch). */
export function isClosedAfter(db: Db, day: string, paidAt: string): boolean {
  const paid = Date.parse(paidAt);
  return closingsOf(db, day).some((r) => Date.parse(r.closed_at) >= paid);
}
