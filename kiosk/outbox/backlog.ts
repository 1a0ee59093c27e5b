/** What is still to be sent, per destination: for `/ready`, metrics and the service screen. */
import type { Db } from "../store/db.ts";

export interface DestinationBacklog {
  destination: string;
  pending: number;
  /** Parked messages: refused by the receiver with a 4xx other than 409; they wait for a person. */
  failed: number;
  /** Age of the oldest pending message; 0 when none is pending. */
  oldestAgeSeconds: number;
}

export function outboxBacklog(db: Db, now: Date = new Date()): DestinationBacklog[] {
  const rows = db
    .prepare(
      `SELECT destination,
              SUM(status = 'pending') AS pending,
              SUM(status = 'failed') AS failed,
              MIN(CASE WHEN status = 'pending' THEN created_at END) AS oldest
         FROM outbox WHERE status IN ('pending', 'failed')
        GROUP BY destination ORDER BY destination`,
    )
    .all() as Array<{ destination: string; pending: number; failed: number; oldest: string | null }>;
  return rows.map((r) => ({
    destination: r.destination,
    pending: r.pending,
    failed: r.failed,
    oldestAgeSeconds: r.oldest ? Math.max(0, Math.floor((now.getTime() - Date.parse(r.oldest)) / 1000)) : 0,
  }));
}

/** Puts a parked message back in line (a person fixed the cause); returns false if it was not parked. */
export function requeueParked(db: Db, id: string, now: Date = new Date()): boolean {
  const r = db
    .prepare("UPDATE outbox SET status = 'pending', next_attempt_at = ? WHERE id = ? AND status = 'failed'")
    .run(now.toISOString(), id);
  return r.changes === 1;
}
