/**
 * Append-only records: the journal of every session state transition and the audit log of every
 * operator action and refused input. Both pass through the PAN scrubber before they are written.
 */
import { scrubbedJson, scrubPans } from "../domain/pan.ts";
import { type Db, statement } from "./db.ts";

export interface JournalEntry {
  sessionId: string;
  from: string | null;
  to: string;
  reason: string;
  data?: Record<string, unknown>;
  at?: string;
}

function json(data: Record<string, unknown> | undefined): string | null {
  return data === undefined ? null : scrubbedJson(data);
}

export function appendJournal(db: Db, e: JournalEntry): void {
  statement(
    db,
    "INSERT INTO journal (session_id, at, from_state, to_state, reason, data) VALUES (?, ?, ?, ?, ?, ?)",
  ).run(e.sessionId, e.at ?? new Date().toISOString(), e.from, e.to, scrubPans(e.reason), json(e.data));
}

export interface JournalRow {
  id: number;
  session_id: string;
  at: string;
  from_state: string | null;
  to_state: string;
  reason: string;
  data: string | null;
}

export function journalOf(db: Db, sessionId: string): JournalRow[] {
  return statement(db, "SELECT * FROM journal WHERE session_id = ? ORDER BY id").all(
    sessionId,
  ) as JournalRow[];
}

export interface AuditEntry {
  actor: string;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
  at?: string;
}

/** How many audit entries of one action name one target (e.g. the reprints of a payment). */
export function countAudit(db: Db, action: string, target: string): number {
  const row = statement(db, "SELECT count(*) AS n FROM audit WHERE action = ? AND target = ?").get(
    action,
    target,
  ) as {
    n: number;
  };
  return row.n;
}

export function appendAudit(db: Db, e: AuditEntry): void {
  statement(db, "INSERT INTO audit (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)").run(
    e.at ?? new Date().toISOString(),
    e.actor,
    e.action,
    e.target ?? null,
    json(e.details),
  );
}
