/**
 * The outbox table: what the delivery worker, the backlog view, `oplatomat outbox` and the service
 * and admin routes read and change. Order rule (issue 12 defect 4, issue 19 item 2): messages of one
 * destination go out in `seq` order, and a message whose earlier sibling of the same payment (same
 * `session_id`, same destination) is parked waits behind it: a reversal never reaches a receiver
 * before its payment, even when the payment was refused and later requeued. Requeueing keeps the
 * message's `seq`, so it is back in its old place: ahead of every later message of its payment.
 */
import { appendAudit } from "./records.ts";
import { type Db, inTransaction, statement } from "./db.ts";
import { type AccountChange, type LineAccountChange, setLineAccounts } from "./line-accounts.ts";

export type { AccountChange, LineAccountChange };

export interface OutboxRow {
  seq: number;
  id: string;
  destination: string;
  kind: string;
  path: string;
  session_id: string | null;
  body: string;
  attempts: number;
  next_attempt_at: string;
}

export type OutboxState = "pending" | "failed" | "delivered";

/** A message as staff see it: no body (it carries card fields), its state and last error. */
export interface OutboxEntry {
  seq: number;
  id: string;
  destination: string;
  kind: string;
  sessionId: string | null;
  state: OutboxState;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string;
  lastStatus: number | null;
  lastError: string | null;
  /** The id of an earlier parked message of the same payment this one waits behind. */
  waitingFor: string | null;
}

/**
 * The next message of a destination to attempt: the lowest `seq` pending one that has no parked
 * earlier sibling of the same payment. The caller honours its `next_attempt_at` (a head waiting for
 * its retry holds the destination: per-destination order).
 */
export function nextOutboxMessage(db: Db, destination: string): OutboxRow | undefined {
  return statement(
    db,
    `SELECT o.seq, o.id, o.destination, o.kind, o.path, o.session_id, o.body, o.attempts, o.next_attempt_at
         FROM outbox o
        WHERE o.destination = ? AND o.status = 'pending'
          AND (o.session_id IS NULL OR NOT EXISTS (
                SELECT 1 FROM outbox p
                 WHERE p.destination = o.destination AND p.session_id = o.session_id
                   AND p.status = 'failed' AND p.seq < o.seq))
        ORDER BY o.seq LIMIT 1`,
  ).get(destination) as OutboxRow | undefined;
}

export interface AttemptOutcome {
  attempts: number;
  status: number | null;
  error: string | null;
  at: Date;
}

/** Delivered (2xx or 409). Returns false when the row was no longer pending. */
export function markOutboxDelivered(db: Db, id: string, o: AttemptOutcome): boolean {
  return (
    statement(
      db,
      `UPDATE outbox SET status = 'delivered', attempts = ?, last_status = ?, last_error = ?, delivered_at = ?
          WHERE id = ? AND status = 'pending'`,
    ).run(o.attempts, o.status, o.error, o.at.toISOString(), id).changes === 1
  );
}

/** Refused for good by the receiver: parked until a person requeues it. */
export function markOutboxParked(db: Db, id: string, o: AttemptOutcome): boolean {
  return (
    statement(
      db,
      "UPDATE outbox SET status = 'failed', attempts = ?, last_status = ?, last_error = ? WHERE id = ? AND status = 'pending'",
    ).run(o.attempts, o.status, o.error, id).changes === 1
  );
}

/** A transient failure: the same message again at `retryAt`. */
export function markOutboxRetry(db: Db, id: string, o: AttemptOutcome, retryAt: Date): boolean {
  return (
    statement(
      db,
      "UPDATE outbox SET attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'pending'",
    ).run(o.attempts, o.status, o.error, retryAt.toISOString(), id).changes === 1
  );
}

interface ListRow {
  seq: number;
  id: string;
  destination: string;
  kind: string;
  session_id: string | null;
  status: OutboxState;
  attempts: number;
  created_at: string;
  next_attempt_at: string;
  last_status: number | null;
  last_error: string | null;
  waiting_for: string | null;
}

/** Pending and parked messages (or one of the two), in queue order. Delivered ones are history. */
export function listOutbox(db: Db, state?: "pending" | "failed", limit = 1000): OutboxEntry[] {
  const states = state ? [state] : ["pending", "failed"];
  const rows = db
    .prepare(
      `SELECT o.seq, o.id, o.destination, o.kind, o.session_id, o.status, o.attempts, o.created_at,
              o.next_attempt_at, o.last_status, o.last_error,
              CASE WHEN o.status = 'pending' AND o.session_id IS NOT NULL THEN (
                SELECT p.id FROM outbox p
                 WHERE p.destination = o.destination AND p.session_id = o.session_id
                   AND p.status = 'failed' AND p.seq < o.seq ORDER BY p.seq LIMIT 1) END AS waiting_for
         FROM outbox o
        WHERE o.status IN (${states.map(() => "?").join(", ")})
        ORDER BY o.destination, o.seq LIMIT ?`,
    )
    .all(...states, limit) as ListRow[];
  return rows.map((r) => ({
    seq: r.seq,
    id: r.id,
    destination: r.destination,
    kind: r.kind,
    sessionId: r.session_id,
    state: r.status,
    attempts: r.attempts,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    lastStatus: r.last_status,
    lastError: r.last_error,
    waitingFor: r.waiting_for,
  }));
}

export interface RequeueResult {
  requeued: string[];
  /** Ids that are not parked (unknown, pending or delivered): left unchanged. */
  notParked: string[];
  /** Parked ids the rewrite refused (and why; the recipient it named, if one): left parked, unchanged. */
  refused: Array<{ id: string; reason: string; recipient?: string }>;
  /** The account changes the rewrite made to each requeued message, by id (absent: sent as written). */
  changed: Record<string, AccountChange[]>;
  /** The account changes made to the kiosk's records of each requeued message's payment, by id. */
  records: Record<string, LineAccountChange[]>;
}

/**
 * A parked message's new body before it goes back in line, the account changes in it (audited), and
 * the account each recipient's lines of its payment are to name from now on; or a refusal, which
 * leaves the message parked and the records unchanged. The policy is the caller's
 * (kiosk/outbox/account-rewrite.ts).
 */
export type RequeueRewrite = (
  kind: string,
  body: string,
) =>
  | { body: string; changes: AccountChange[]; lineAccounts: Readonly<Record<string, string>> }
  | { refused: string; recipient?: string };

/** A parked message's kind, body and payment, or undefined when it is not parked. */
export function parkedMessage(
  db: Db,
  id: string,
): { kind: string; body: string; sessionId: string | null } | undefined {
  return statement(
    db,
    "SELECT kind, body, session_id AS sessionId FROM outbox WHERE id = ? AND status = 'failed'",
  ).get(id) as { kind: string; body: string; sessionId: string | null } | undefined;
}

/**
 * Puts parked messages back in line (a person fixed the cause), each with an audit entry, all in one
 * transaction. The message keeps its `seq`: it is sent before every later message of its payment.
 * With `rewrite`, each message's body is first replaced by the rewrite's and its payment's lines take
 * the accounts the rewrite names, in the same transaction and before the message can be sent: the
 * kiosk's report and payout file name the accounts the payment's message goes with (audited:
 * `accounts` the message's changes, `records` the lines').
 */
export function requeueParked(
  db: Db,
  ids: readonly string[],
  actor: string,
  now: Date = new Date(),
  rewrite?: RequeueRewrite,
): RequeueResult {
  const result: RequeueResult = { requeued: [], notParked: [], refused: [], changed: {}, records: {} };
  inTransaction(db, () => {
    const setBody = db.prepare("UPDATE outbox SET body = ? WHERE id = ? AND status = 'failed'");
    const update = db.prepare(
      "UPDATE outbox SET status = 'pending', next_attempt_at = ? WHERE id = ? AND status = 'failed'",
    );
    for (const id of ids) {
      const row = parkedMessage(db, id);
      if (!row) {
        result.notParked.push(id);
        continue;
      }
      const rewritten = rewrite?.(row.kind, row.body);
      if (rewritten && "refused" in rewritten) {
        const { refused: reason, recipient } = rewritten;
        result.refused.push({ id, reason, ...(recipient !== undefined ? { recipient } : {}) });
        continue;
      }
      const changes = rewritten?.changes ?? [];
      if (rewritten && changes.length > 0) {
        setBody.run(rewritten.body, id);
        result.changed[id] = changes;
      }
      const records =
        rewritten && row.sessionId ? setLineAccounts(db, row.sessionId, rewritten.lineAccounts) : [];
      if (records.length > 0) result.records[id] = records;
      update.run(now.toISOString(), id);
      result.requeued.push(id);
      const details = {
        ...(changes.length > 0 ? { accounts: changes } : {}),
        ...(records.length > 0 ? { records } : {}),
      };
      appendAudit(db, {
        actor,
        action: "outbox.requeue",
        target: id,
        at: now.toISOString(),
        ...(Object.keys(details).length > 0 ? { details } : {}),
      });
    }
  });
  return result;
}

export interface DestinationBacklog {
  destination: string;
  pending: number;
  /** Parked messages: refused by the receiver with a 4xx other than 409; they wait for a person. */
  failed: number;
  /** Age of the oldest pending message; 0 when none is pending. */
  oldestAgeSeconds: number;
}

/** What is still to be sent, per destination: for `/ready`, metrics and the service screen. */
export function outboxBacklog(db: Db, now: Date = new Date()): DestinationBacklog[] {
  // From the two partial indexes (outbox_pending, outbox_parked), each holding only its own rows: the
  // table keeps every message ever delivered, two a payment, and /ready, the metrics and the heartbeat
  // ask this often. Asked of the table, SQLite read all of it (EXPLAIN QUERY PLAN: SCAN outbox).
  const rows = statement(
    db,
    `SELECT destination, SUM(pending) AS pending, SUM(failed) AS failed, MIN(oldest) AS oldest FROM (
         SELECT destination, COUNT(*) AS pending, 0 AS failed, MIN(created_at) AS oldest
           FROM outbox WHERE status = 'pending' GROUP BY destination
         UNION ALL
         SELECT destination, 0, COUNT(*), NULL FROM outbox WHERE status = 'failed' GROUP BY destination)
       GROUP BY destination ORDER BY destination`,
  ).all() as Array<{ destination: string; pending: number; failed: number; oldest: string | null }>;
  return rows.map((r) => ({
    destination: r.destination,
    pending: r.pending,
    failed: r.failed,
    oldestAgeSeconds: r.oldest ? Math.max(0, Math.floor((now.getTime() - Date.parse(r.oldest)) / 1000)) : 0,
  }));
}

/** A message to store (kiosk/outbox/messages.ts builds them); the body is written as JSON. */
export interface NewOutboxMessage {
  id: string;
  destination: string;
  kind: string;
  path: string;
  sessionId: string | null;
  /** A message of contracts/office-system.ts or contracts/settlement.ts. */
  body: object;
}

/**
 * Inserts one message; returns false when a message with that id was already there. Transaction-
 * neutral: the caller's transaction that records the fact holds the message too.
 */
export function insertOutboxMessage(db: Db, m: NewOutboxMessage, now: Date = new Date()): boolean {
  const at = now.toISOString();
  const r = statement(
    db,
    `INSERT OR IGNORE INTO outbox (id, destination, kind, path, session_id, body, created_at, status, attempts, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)`,
  ).run(m.id, m.destination, m.kind, m.path, m.sessionId, JSON.stringify(m.body), at, at);
  return r.changes === 1;
}
