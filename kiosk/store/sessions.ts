/**
 * Sessions (one per visitor payment) and their lines. Every state change goes through
 * `transition`, which checks the expected current state, updates the row and appends the journal
 * entry in one transaction — the flow runs side effects only after it returns.
 */
import { randomBytes } from "node:crypto";
import type { Label, Language } from "../config/types.ts";
import type { PaymentLine } from "../domain/lines.ts";
import { decidesAlike, type RecordedTransaction, type StoredStage } from "../domain/recovery-match.ts";
import {
  AT_TERMINAL_STATES,
  IN_PROGRESS_STATES,
  INITIAL_STATE,
  type PaymentState,
  type PaymentStatus,
  SLIP_HOLDING_STATUSES,
  TRANSITIONS,
} from "../flow/states.ts";
import { type Db, inReadTogether, inTransaction, marks, readTogether, statement, withoutSync } from "./db.ts";
import { appendJournal } from "./records.ts";

/** The states and money statuses are the flow's vocabulary (kiosk/flow/states.ts); stored as they are. */
export type StoredState = PaymentState;
export type { PaymentStatus };

export interface SessionRow {
  id: string;
  kind: "slip" | "basket";
  state: StoredState;
  language: Language;
  office_id: string;
  kiosk_id: string;
  slip_id: string | null;
  case_ref: string | null;
  slip_valid: string | null;
  slip_payload: string | null;
  total: number;
  currency: "PLN";
  created_at: string;
  updated_at: string;
  error_code: string | null;
  payment_status: PaymentStatus | null;
  attempts: number;
  authorizing_at: string | null;
  committed_at: string | null;
  paid_at: string | null;
  business_day: string | null;
  auth_code: string | null;
  masked_pan: string | null;
  card_brand: string | null;
  terminal_id: string | null;
  trace_no: string | null;
  receipt_no: string | null;
  terminal_time: string | null;
  receipt_printed: number;
  verification_code: string | null;
  reversed_at: string | null;
  reversal_reason: string | null;
  /** Attended mode: the cashier who took the payment and the shift it belongs to. */
  cashier_id: string | null;
  shift_id: string | null;
  /** How far the attempt got with the terminal (recovery's stored stage); null before any attempt. */
  terminal_stage: StoredStage | null;
}

export interface StoredLine {
  line_no: number;
  code: string;
  label: Label;
  recipient: string;
  recipient_name: string;
  recipient_nrb: string;
  amount: number;
  quantity: number;
  unit_amount: number | null;
  reference: string | null;
  is_fee: boolean;
  /** The number of the session's slip this line belongs to; null for services and the fee. */
  slip_no: number | null;
}

/** One slip of a session, numbered 1, 2, … in basket order. */
export interface StoredSlip {
  slip_no: number;
  office_id: string;
  slip_id: string;
  case_ref: string;
  slip_valid: string;
  slip_payload: string;
  total: number;
}

export interface NewSlip {
  id: string;
  caseRef: string;
  valid: string;
  payload: string;
  total: number;
}

/** What a session pays for: its slips in basket order and its lines (a slip's lines name its id). */
export interface SessionContents {
  kind: "slip" | "basket";
  slips: NewSlip[];
  lines: Array<PaymentLine & { recipientName: string; recipientNrb: string }>;
  total: number;
}

export interface NewSession {
  id: string;
  language: Language;
  officeId: string;
  kioskId: string;
  contents: SessionContents;
  /** Attended mode: who takes the payment, in which shift. */
  desk?: { cashierId: string; shiftId: string };
  now: string;
  reason: string;
}

/** Columns a transition may set besides the state. */
export type SessionPatch = Partial<
  Pick<
    SessionRow,
    | "language"
    | "error_code"
    | "payment_status"
    | "attempts"
    | "authorizing_at"
    | "committed_at"
    | "paid_at"
    | "business_day"
    | "auth_code"
    | "masked_pan"
    | "card_brand"
    | "terminal_id"
    | "trace_no"
    | "receipt_no"
    | "terminal_time"
    | "receipt_printed"
    | "verification_code"
    | "reversed_at"
    | "reversal_reason"
    | "terminal_stage"
  >
>;

const PATCHABLE = new Set<string>([
  "language",
  "error_code",
  "payment_status",
  "attempts",
  "authorizing_at",
  "committed_at",
  "paid_at",
  "business_day",
  "auth_code",
  "masked_pan",
  "card_brand",
  "terminal_id",
  "trace_no",
  "receipt_no",
  "terminal_time",
  "receipt_printed",
  "verification_code",
  "reversed_at",
  "reversal_reason",
  "terminal_stage",
]);

/**
 * The condition of the partial index `sessions_one_payment_per_slip` (migration 1), spelled as it is
 * there: SQLite uses a partial index only for a query that repeats its condition, with the same
 * literals (bound parameters do not count), and otherwise reads every stored payment. The statuses
 * are SLIP_HOLDING_STATUSES (test/unit/store/slip-lookups.test.ts holds both to it).
 */
export const SLIP_HELD = `slip_id IS NOT NULL AND payment_status IN (${SLIP_HOLDING_STATUSES.map((s) => `'${s}'`).join(", ")})`;

/**
 * The condition of the `sessions_open` index (migration 1), spelled as the index spells it: SQLite
 * uses a partial index only for a query that repeats its condition, and the start-up's look for
 * unfinished visits would otherwise read every payment the kiosk ever took.
 */
const OPEN = "state NOT IN ('done', 'cancelled')";

export class StaleStateError extends Error {
  override readonly name = "StaleStateError";
}

/** Where and when a slip was paid (SPEC §1a). */
export interface PaidSlipRow {
  id: string;
  paid_at: string;
  kiosk_id: string;
  total: number;
}

/** Writes of sessions, their lines and slips on each connection, by any SessionStore over it. */
const writes = new WeakMap<Db, number>();

/**
 * Changes whenever a session, its lines or its slips may have changed: a write through any
 * SessionStore over this connection, or a commit of another connection (SQLite's `data_version`).
 * Null inside an open transaction, which may still roll back: nothing read there may be kept.
 * What the screen shows is rebuilt only when this changes (kiosk/flow/visit-screen.ts).
 */
export function sessionsRevision(db: Db): string | null {
  if (db.inTransaction && !inReadTogether(db)) return null;
  const other = statement(db, "PRAGMA data_version").get() as { data_version: number };
  return `${writes.get(db) ?? 0}.${other.data_version}`;
}

/**
 * Reads sessions, lines or slips in one read transaction (readTogether): one lock on the log's
 * index instead of one per statement, and sessionsRevision still answers inside it (a read
 * transaction does not roll anything back). Should `fn` throw, whatever was kept from inside is
 * forgotten, as after a write: it must not write, but if it did, that write is rolled back.
 */
export function readSessions<T>(db: Db, fn: () => T): T {
  try {
    return readTogether(db, fn);
  } catch (e) {
    writes.set(db, (writes.get(db) ?? 0) + 1);
    throw e;
  }
}

export class SessionStore {
  constructor(readonly db: Db) {}

  /** Runs a write of sessions, lines or slips; counted even when it throws (it may have written). */
  private write<T>(fn: () => T): T {
    try {
      return fn();
    } finally {
      writes.set(this.db, (writes.get(this.db) ?? 0) + 1);
    }
  }

  /** This connection's compiled statement for `sql` (kiosk/store/db.ts). */
  private sql(text: string) {
    return statement(this.db, text);
  }

  /**
   * Numbers a new session (`nextId`) and inserts it in one transaction: the visitor's summary costs
   * one commit, not two. Returns its id.
   */
  create(s: Omit<NewSession, "id">, day: string): string {
    return inTransaction(this.db, () => {
      const id = this.nextId(s.kioskId, day);
      this.insert({ ...s, id });
      return id;
    });
  }

  insert(s: NewSession): void {
    this.write(() => this.insertNow(s));
  }

  private insertNow(s: NewSession): void {
    inTransaction(this.db, () => {
      const first = s.contents.slips[0];
      this.sql(
        `INSERT INTO sessions (id, kind, state, language, office_id, kiosk_id, slip_id, case_ref, slip_valid,
             slip_payload, total, created_at, updated_at, cashier_id, shift_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        s.id,
        s.contents.kind,
        INITIAL_STATE,
        s.language,
        s.officeId,
        s.kioskId,
        first?.id ?? null,
        first?.caseRef ?? null,
        first?.valid ?? null,
        first?.payload ?? null,
        s.contents.total,
        s.now,
        s.now,
        s.desk?.cashierId ?? null,
        s.desk?.shiftId ?? null,
      );
      this.insertContents(s.id, s.officeId, s.contents);
      appendJournal(this.db, { sessionId: s.id, from: null, to: INITIAL_STATE, reason: s.reason, at: s.now });
    });
  }

  /**
   * Replaces what a session in `summary` pays for (one more slip added), atomically; nothing changes
   * when the session is no longer in `summary`.
   */
  replaceContents(id: string, contents: SessionContents, reason: string, now: string): SessionRow {
    return this.write(() => this.replaceNow(id, contents, reason, now));
  }

  private replaceNow(id: string, contents: SessionContents, reason: string, now: string): SessionRow {
    return inTransaction(this.db, () => {
      const current = this.get(id);
      const from: readonly StoredState[] = TRANSITIONS.amend.from;
      if (!current || !from.includes(current.state))
        throw new StaleStateError(`session ${id} is not in summary`);
      this.sql("DELETE FROM session_lines WHERE session_id = ?").run(id);
      this.sql("DELETE FROM session_slips WHERE session_id = ?").run(id);
      this.sql("UPDATE sessions SET kind = ?, total = ?, updated_at = ? WHERE id = ?").run(
        contents.kind,
        contents.total,
        now,
        id,
      );
      this.insertContents(id, current.office_id, contents);
      appendJournal(this.db, {
        sessionId: id,
        from: "summary",
        to: "summary",
        reason,
        at: now,
        data: { slips: contents.slips.map((x) => x.id), total: contents.total },
      });
      return this.get(id) as SessionRow;
    });
  }

  private insertContents(id: string, officeId: string, c: SessionContents): void {
    const slipNo = new Map(c.slips.map((x, i) => [x.id, i + 1]));
    const insertSlip = this.sql(
      `INSERT INTO session_slips (session_id, slip_no, office_id, slip_id, case_ref, slip_valid, slip_payload, total)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    c.slips.forEach((x, i) => {
      insertSlip.run(id, i + 1, officeId, x.id, x.caseRef, x.valid, x.payload, x.total);
    });
    const insertLine = this.sql(
      `INSERT INTO session_lines (session_id, line_no, code, label, recipient, recipient_name, recipient_nrb,
         amount, quantity, unit_amount, reference, is_fee, slip_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    c.lines.forEach((l, i) => {
      const no = l.slip === undefined ? null : slipNo.get(l.slip);
      if (no === undefined) throw new Error(`line ${l.code} names slip ${l.slip} the session does not hold`);
      insertLine.run(
        id,
        i + 1,
        l.code,
        JSON.stringify(l.label),
        l.recipient,
        l.recipientName,
        l.recipientNrb,
        l.amount,
        l.quantity,
        l.unitAmount,
        l.reference ?? null,
        l.isFee ? 1 : 0,
        no,
      );
    });
  }

  /** The session's slips in basket order (a session written before slips had rows: its one slip). */
  slips(id: string): StoredSlip[] {
    const rows = this.sql(
      `SELECT slip_no, office_id, slip_id, case_ref, slip_valid, slip_payload, total
           FROM session_slips WHERE session_id = ? ORDER BY slip_no`,
    ).all(id) as StoredSlip[];
    if (rows.length > 0) return rows;
    const row = this.get(id);
    if (!row?.slip_id) return [];
    const lines = this.lines(id).filter((l) => !l.is_fee);
    return [
      {
        slip_no: 1,
        office_id: row.office_id,
        slip_id: row.slip_id,
        case_ref: row.case_ref ?? "",
        slip_valid: row.slip_valid ?? "",
        slip_payload: row.slip_payload ?? "",
        total: lines.reduce((a, l) => a + l.amount, 0),
      },
    ];
  }

  get(id: string): SessionRow | undefined {
    return this.sql("SELECT * FROM sessions WHERE id = ?").get(id) as SessionRow | undefined;
  }

  lines(id: string): StoredLine[] {
    const rows = this.sql("SELECT * FROM session_lines WHERE session_id = ? ORDER BY line_no").all(
      id,
    ) as Array<Omit<StoredLine, "label" | "is_fee"> & { label: string; is_fee: number }>;
    const legacySlip = rows.every((r) => r.slip_no === null) && this.get(id)?.slip_id;
    return rows.map((r) => ({
      ...r,
      label: JSON.parse(r.label) as Label,
      is_fee: r.is_fee === 1,
      // Written before lines named their slip: a slip session held that one slip and the fee.
      slip_no: r.slip_no ?? (legacySlip && r.is_fee === 0 ? 1 : null),
    }));
  }

  /**
   * Moves a session from one of `from` to `to` (null: the state stays), applying `patch`, and
   * journals it — atomically. The flow names its moves by the rows of kiosk/flow/states.ts
   * (kiosk/flow/transition.ts); this is the write underneath. `extra` runs inside the same
   * transaction (e.g. enqueueing outbox messages). Throws StaleStateError when the session is no
   * longer in an expected state (or, with `status`, no longer has an expected money status).
   */
  transition(
    id: string,
    from: StoredState | readonly StoredState[],
    to: StoredState | null,
    reason: string,
    patch: SessionPatch = {},
    options: {
      data?: Record<string, unknown>;
      now?: string;
      extra?: () => void;
      status?: readonly PaymentStatus[];
    } = {},
  ): SessionRow {
    const froms = Array.isArray(from) ? from : [from as StoredState];
    const now = options.now ?? new Date().toISOString();
    return this.write(() =>
      inTransaction(this.db, () => {
        const current = this.get(id);
        if (!current) throw new StaleStateError(`no session ${id}`);
        if (!froms.includes(current.state)) {
          throw new StaleStateError(`session ${id} is ${current.state}, expected ${froms.join("|")}`);
        }
        if (options.status && !(current.payment_status && options.status.includes(current.payment_status))) {
          throw new StaleStateError(
            `payment ${id} is ${current.payment_status ?? "not started"}, expected ${options.status.join("|")}`,
          );
        }
        const next = to ?? current.state;
        const keys = Object.keys(patch).filter((k) => PATCHABLE.has(k));
        const sets = ["state = ?", "updated_at = ?", ...keys.map((k) => `${k} = ?`)];
        const values = keys.map((k) => (patch as Record<string, unknown>)[k] ?? null);
        this.sql(`UPDATE sessions SET ${sets.join(", ")} WHERE id = ?`).run(next, now, ...values, id);
        const journal: Parameters<typeof appendJournal>[1] = {
          sessionId: id,
          from: current.state,
          to: next,
          reason,
          at: now,
        };
        if (options.data) journal.data = options.data;
        appendJournal(this.db, journal);
        options.extra?.();
        return this.get(id) as SessionRow;
      }),
    );
  }

  /** Sessions a crash may have left unfinished. */
  unfinished(): SessionRow[] {
    return this.sql(
      `SELECT * FROM sessions WHERE ${OPEN} AND state IN (${marks(IN_PROGRESS_STATES)}) ORDER BY created_at`,
    ).all(...IN_PROGRESS_STATES) as SessionRow[];
  }

  /** Sessions still showing a summary or a decline, abandoned by a restart. */
  abandoned(): SessionRow[] {
    return this.sql(
      `SELECT * FROM sessions WHERE ${OPEN} AND state IN (${marks(TRANSITIONS.abandon.from)}) ORDER BY created_at`,
    ).all(...TRANSITIONS.abandon.from) as SessionRow[];
  }

  /** The approved payment of this office that paid a slip (alone or in a basket), or null. */
  paidSlip(officeId: string, slipId: string): PaidSlipRow | null {
    // Two lookups by index, not an OR over every stored payment (which SQLite answers by scanning).
    const row = this.sql(
      `SELECT id, paid_at, kiosk_id, total FROM (
           SELECT s.id, s.paid_at, s.kiosk_id, s.total, s.payment_status FROM sessions s
            WHERE s.office_id = ? AND s.slip_id = ? AND ${SLIP_HELD}
           UNION
           SELECT s.id, s.paid_at, s.kiosk_id, s.total, s.payment_status
             FROM session_slips x JOIN sessions s ON s.id = x.session_id
            WHERE x.office_id = ? AND x.slip_id = ?)
         WHERE payment_status = 'approved' AND paid_at IS NOT NULL
         ORDER BY paid_at DESC LIMIT 1`,
    ).get(officeId, slipId, officeId, slipId) as PaidSlipRow | undefined;
    return row ?? null;
  }

  /** The money status of a payment holding this slip (alone or in a basket), or null. */
  slipTaken(officeId: string, slipId: string): PaymentStatus | null {
    const row = this.sql(
      `SELECT s.payment_status FROM session_slips x JOIN sessions s ON s.id = x.session_id
           WHERE x.office_id = ? AND x.slip_id = ? AND x.held = 1
         UNION ALL
         SELECT payment_status FROM sessions WHERE office_id = ? AND slip_id = ? AND ${SLIP_HELD}
         LIMIT 1`,
    ).get(officeId, slipId, officeId, slipId) as { payment_status: PaymentStatus } | undefined;
    return row?.payment_status ?? null;
  }

  /**
   * The terminal transaction recorded last before `session` was sent, a payment or one of the kiosk's
   * own voids (a void is a terminal transaction of its own): what the terminal's "last transaction"
   * is when that attempt never reached it.
   */
  previousTransaction(session: string, before: string): RecordedTransaction | null {
    const row = this.sql(
      `SELECT * FROM (
           SELECT 'payment' AS kind, receipt_no, trace_no, total AS amount, authorizing_at AS at FROM sessions
            WHERE receipt_no IS NOT NULL AND authorizing_at <= ? AND id <> ?
           UNION ALL
           SELECT 'reversal', receipt_no, trace_no, amount, requested_at FROM terminal_reversals
            WHERE requested_at <= ? AND status <> 'failed')
         ORDER BY at DESC LIMIT 1`,
    ).get(before, session, before) as
      | { kind: "payment" | "reversal"; receipt_no: string | null; trace_no: string | null; amount: number }
      | undefined;
    return row
      ? { kind: row.kind, receiptNo: row.receipt_no, traceNo: row.trace_no, amount: row.amount }
      : null;
  }

  /**
   * Records how far an attempt got, if it is still being authorized (a late event changes nothing).
   * A stage that recovery decides on exactly as on the ones it follows (`request_sent` after
   * `nothing_sent`) does not wait for the disk: a power cut that loses it changes no decision.
   */
  advanceStage(id: string, stage: StoredStage, from: readonly StoredStage[]): void {
    const write = () =>
      this.sql(
        `UPDATE sessions SET terminal_stage = ? WHERE id = ? AND state IN (${marks(AT_TERMINAL_STATES)})
           AND terminal_stage IN (${marks(from)})`,
      ).run(stage, id, ...AT_TERMINAL_STATES, ...from);
    if (from.every((f) => decidesAlike(f, stage))) this.write(() => withoutSync(this.db, write));
    else this.write(write);
  }

  /** The language the visitor chose, kept with their session (receipts and messages use it). */
  setLanguage(id: string, language: Language): void {
    this.write(() => this.sql("UPDATE sessions SET language = ? WHERE id = ?").run(language, id));
  }

  /** A per-day counter for human-readable payment ids (`K01_20261125_0007_Q3ZK`). */
  nextId(kioskId: string, day: string): string {
    return inTransaction(this.db, () => {
      const key = `seq:${day}`;
      const row = this.sql("SELECT value FROM kv WHERE key = ?").get(key) as { value: string } | undefined;
      const next = (row ? Number(row.value) : 0) + 1;
      this.sql(
        "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      ).run(key, String(next));
      // A random tail keeps ids unique even if the database is ever restored from an older backup
      // and the counter repeats: receivers key idempotency on these ids. Parts are joined by `_`:
      // with `-` the kiosk, day and counter digits read as one dash-grouped number that passes the
      // Luhn check one time in ten, and card-number masking would mangle the id in logs.
      const tail = randomBytes(3).toString("base64url").toUpperCase().replace(/[-_]/g, "X");
      return `${kioskId}_${day.replaceAll("-", "")}_${String(next).padStart(4, "0")}_${tail}`;
    });
  }

  recent(limit: number, day?: string): SessionRow[] {
    if (day) {
      return this.sql("SELECT * FROM sessions WHERE business_day = ? ORDER BY paid_at DESC LIMIT ?").all(
        day,
        limit,
      ) as SessionRow[];
    }
    return this.sql("SELECT * FROM sessions ORDER BY created_at DESC LIMIT ?").all(limit) as SessionRow[];
  }
}
