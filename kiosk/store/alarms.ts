/**
 * Alarms that wait for a person: raised by the kiosk (a receiver's 409 to a payment, an end-of-day
 * whose terminal totals differ from the kiosk's), shown in the service console and as a `/ready`
 * warning until a member of staff acknowledges them. Each raise and each acknowledgement is audited
 * in the same transaction.
 */
import { scrubbedJson, scrubPans } from "../domain/pan.ts";
import { type Db, inTransaction } from "./db.ts";
import { appendAudit } from "./records.ts";

export type AlarmKind = "payment_conflict" | "end_of_day_mismatch";
export const ALARM_KINDS: readonly AlarmKind[] = ["payment_conflict", "end_of_day_mismatch"];

export interface Alarm {
  id: number;
  kind: AlarmKind;
  raisedAt: string;
  /** What it is about: a payment id, a business day. */
  subject: string | null;
  summary: string;
  details: Record<string, unknown> | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

interface AlarmRow {
  id: number;
  kind: AlarmKind;
  raised_at: string;
  subject: string | null;
  summary: string;
  details: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

function toAlarm(r: AlarmRow): Alarm {
  return {
    id: r.id,
    kind: r.kind,
    raisedAt: r.raised_at,
    subject: r.subject,
    summary: r.summary,
    details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
  };
}

export interface RaiseAlarm {
  kind: AlarmKind;
  subject: string | null;
  summary: string;
  details?: Record<string, unknown>;
  /** Who raised it, for the audit entry (`outbox`, `end_of_day`…). */
  actor: string;
  at?: Date;
}

/**
 * Writes the alarm and its audit entry. Call inside the transaction that records the fact, so the
 * fact and its alarm commit together. Returns the alarm's id.
 */
export function raiseAlarm(db: Db, a: RaiseAlarm): number {
  const at = (a.at ?? new Date()).toISOString();
  const details = a.details ? scrubbedJson(a.details) : null;
  const id = Number(
    db
      .prepare("INSERT INTO alarms (kind, raised_at, subject, summary, details) VALUES (?, ?, ?, ?, ?)")
      .run(a.kind, at, a.subject, scrubPans(a.summary), details).lastInsertRowid,
  );
  appendAudit(db, {
    actor: a.actor,
    action: a.kind,
    target: a.subject,
    details: { alarm: id, summary: a.summary, ...(a.details ?? {}) },
    at,
  });
  return id;
}

/** Alarms not yet acknowledged, oldest first. */
export function openAlarms(db: Db): Alarm[] {
  return (
    db.prepare("SELECT * FROM alarms WHERE acknowledged_at IS NULL ORDER BY id LIMIT 500").all() as AlarmRow[]
  ).map(toAlarm);
}

/** The newest alarms, acknowledged ones too (the console's history). */
export function recentAlarms(db: Db, limit = 100): Alarm[] {
  return (db.prepare("SELECT * FROM alarms ORDER BY id DESC LIMIT ?").all(limit) as AlarmRow[]).map(toAlarm);
}

export function alarmById(db: Db, id: number): Alarm | undefined {
  const row = db.prepare("SELECT * FROM alarms WHERE id = ?").get(id) as AlarmRow | undefined;
  return row ? toAlarm(row) : undefined;
}

/** How many alarms of each kind wait for a person. */
export function openAlarmCounts(db: Db): Record<AlarmKind, number> {
  const counts = Object.fromEntries(ALARM_KINDS.map((k) => [k, 0])) as Record<AlarmKind, number>;
  const rows = db
    .prepare("SELECT kind, COUNT(*) AS n FROM alarms WHERE acknowledged_at IS NULL GROUP BY kind")
    .all() as Array<{ kind: AlarmKind; n: number }>;
  for (const r of rows) if (r.kind in counts) counts[r.kind] = r.n;
  return counts;
}

/** Acknowledges one open alarm (audited); false when there is no such open alarm. */
export function acknowledgeAlarm(db: Db, id: number, actor: string, note: string, at = new Date()): boolean {
  return inTransaction(db, () => {
    const changed = db
      .prepare(
        "UPDATE alarms SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL",
      )
      .run(at.toISOString(), actor, id).changes;
    if (changed !== 1) return false;
    appendAudit(db, {
      actor,
      action: "alarm.acknowledge",
      target: String(id),
      details: { note },
      at: at.toISOString(),
    });
    return true;
  });
}

/** How many alarms of each kind were ever raised (monotonic: the metrics' counters follow it). */
export function raisedAlarmCounts(db: Db): Record<AlarmKind, number> {
  const counts = Object.fromEntries(ALARM_KINDS.map((k) => [k, 0])) as Record<AlarmKind, number>;
  const rows = db.prepare("SELECT kind, COUNT(*) AS n FROM alarms GROUP BY kind").all() as Array<{
    kind: AlarmKind;
    n: number;
  }>;
  for (const r of rows) if (r.kind in counts) counts[r.kind] = r.n;
  return counts;
}
