/**
 * The admin payment list (issue 19 item 7): filters by outcome and by business day. Paid sessions
 * (approved, reversed) carry their business day; sessions that never paid (declined, cancelled,
 * unknown) have none and are placed by when they started, in the kiosk's time zone.
 */
import type { Db } from "./db.ts";
import type { SessionRow } from "./sessions.ts";

export type PaymentListStatus = "approved" | "reversed" | "declined" | "unknown" | "cancelled";

export interface PaymentListQuery {
  /** Inclusive business days, YYYY-MM-DD. */
  from?: string;
  to?: string;
  /** Absent: the payments the terminal approved (approved and reversed). */
  status?: PaymentListStatus;
  slip?: string;
  limit: number;
  offset: number;
  /** The UTC instants where `from` starts and the day after `to` starts, in the kiosk's time zone. */
  fromInstant?: string;
  toInstantExclusive?: string;
}

const STATUS_CLAUSE: Record<PaymentListStatus | "paid", string> = {
  paid: "payment_status IN ('approved', 'reversed')",
  approved: "payment_status = 'approved'",
  reversed: "payment_status = 'reversed'",
  declined: "payment_status = 'declined'",
  unknown: "payment_status = 'unknown'",
  // Ended by the visitor, a timeout or staff before any charge.
  cancelled:
    "state = 'cancelled' AND (payment_status IS NULL OR payment_status NOT IN ('approved', 'reversed'))",
};

export function listPayments(db: Db, q: PaymentListQuery): { rows: SessionRow[]; total: number } {
  const where: string[] = [STATUS_CLAUSE[q.status ?? "paid"]];
  const args: Array<string | number> = [];
  if (q.from) {
    where.push("(business_day >= ? OR (business_day IS NULL AND created_at >= ?))");
    args.push(q.from, q.fromInstant ?? `${q.from}T00:00:00.000Z`);
  }
  if (q.to) {
    where.push("(business_day <= ? OR (business_day IS NULL AND created_at < ?))");
    args.push(q.to, q.toInstantExclusive ?? `${q.to}T24:00:00.000Z`);
  }
  if (q.slip) {
    where.push("slip_id = ?");
    args.push(q.slip);
  }
  const clause = where.join(" AND ");
  const total = (
    db.prepare(`SELECT COUNT(*) AS n FROM sessions WHERE ${clause}`).get(...args) as { n: number }
  ).n;
  const rows = db
    .prepare(
      `SELECT * FROM sessions WHERE ${clause} ORDER BY COALESCE(paid_at, created_at) DESC, id LIMIT ? OFFSET ?`,
    )
    .all(...args, q.limit, q.offset) as SessionRow[];
  return { rows, total };
}

/** The service screen's list: every session of one business day (or started that UTC day, unpaid), newest first. */
export function sessionsOfDay(db: Db, day: string, limit = 1000): SessionRow[] {
  return db
    .prepare(
      "SELECT * FROM sessions WHERE business_day = ? OR (business_day IS NULL AND substr(created_at, 1, 10) = ?) ORDER BY created_at DESC LIMIT ?",
    )
    .all(day, day, limit) as SessionRow[];
}

/** When the last committed payment was taken (the metrics' and heartbeat's `lastPaymentAt`), or null. */
export function lastCommittedPaymentAt(db: Db): Date | null {
  const row = db.prepare("SELECT MAX(paid_at) AS t FROM sessions WHERE committed_at IS NOT NULL").get() as {
    t: string | null;
  };
  return row.t ? new Date(row.t) : null;
}
