/**
 * Cash-desk shifts (SPEC §10): who opened the desk, when, the hash of the shift's bearer token, and
 * the report the shift closed with. One shift is open at a time (a partial unique index). The
 * report queries read the shift's payments from the sessions it tagged.
 */
import { type Db, inTransaction } from "./db.ts";
import { appendAudit } from "./records.ts";

export interface ShiftRow {
  id: string;
  cashier_id: string;
  cashier_name: string;
  opened_at: string;
  business_day: string;
  token_hash: string;
  closed_at: string | null;
  report: string | null;
}

export interface ShiftPaymentRow {
  id: string;
  paid_at: string;
  payment_status: "approved" | "reversed";
  total: number;
  card_brand: string | null;
  masked_pan: string | null;
  auth_code: string | null;
  receipt_no: string | null;
  reversed_at: string | null;
  reversal_reason: string | null;
}

export interface ShiftTotalRow {
  key: string;
  name: string;
  count: number;
  total: number;
}

/** A closed shift as a list shows it: who, when, and the count and total (grosze) its report closed with. */
export interface ClosedShiftRow {
  id: string;
  cashier_id: string;
  cashier_name: string;
  business_day: string;
  opened_at: string;
  /** The report's own close time (the office's local time with its offset, as opened_at). */
  closed_at: string;
  count: number;
  total: number;
}

export interface ClosedShiftQuery {
  /** Inclusive business days, YYYY-MM-DD. */
  from?: string;
  to?: string;
  /** Only this cashier's shifts (the configured id). */
  cashier?: string;
  limit: number;
  offset: number;
}

export class ShiftAlreadyOpenError extends Error {
  override readonly name = "ShiftAlreadyOpenError";
}

export class ShiftStore {
  constructor(readonly db: Db) {}

  /** Opens a shift and audits it, atomically; refuses while another shift is open. */
  open(shift: Omit<ShiftRow, "closed_at" | "report">): void {
    inTransaction(this.db, () => {
      const open = this.current();
      if (open) throw new ShiftAlreadyOpenError(`shift ${open.id} of ${open.cashier_id} is still open`);
      this.db
        .prepare(
          `INSERT INTO shifts (id, cashier_id, cashier_name, opened_at, business_day, token_hash)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          shift.id,
          shift.cashier_id,
          shift.cashier_name,
          shift.opened_at,
          shift.business_day,
          shift.token_hash,
        );
      appendAudit(this.db, {
        actor: `cashier:${shift.cashier_id}`,
        action: "shift.open",
        target: shift.id,
        at: shift.opened_at,
      });
    });
  }

  /**
   * The open shift's cashier takes it up again on a new token (the old one stops working), audited;
   * false when that shift is no longer open.
   */
  resume(id: string, tokenHash: string, at: string): boolean {
    return inTransaction(this.db, () => {
      const row = this.get(id);
      const changed = this.db
        .prepare("UPDATE shifts SET token_hash = ? WHERE id = ? AND closed_at IS NULL")
        .run(tokenHash, id).changes;
      if (changed !== 1 || !row) return false;
      appendAudit(this.db, { actor: `cashier:${row.cashier_id}`, action: "shift.resume", target: id, at });
      return true;
    });
  }

  current(): ShiftRow | undefined {
    return this.db.prepare("SELECT * FROM shifts WHERE closed_at IS NULL").get() as ShiftRow | undefined;
  }

  /** The shift whose (last) token has this hash, open or closed. */
  byTokenHash(tokenHash: string): ShiftRow | undefined {
    return this.db.prepare("SELECT * FROM shifts WHERE token_hash = ?").get(tokenHash) as
      | ShiftRow
      | undefined;
  }

  get(id: string): ShiftRow | undefined {
    return this.db.prepare("SELECT * FROM shifts WHERE id = ?").get(id) as ShiftRow | undefined;
  }

  /** Closes an open shift with its report, and audits it; false when it was no longer open. */
  close(id: string, closedAt: string, report: unknown): boolean {
    return inTransaction(this.db, () => {
      const row = this.get(id);
      const changed = this.db
        .prepare("UPDATE shifts SET closed_at = ?, report = ? WHERE id = ? AND closed_at IS NULL")
        .run(closedAt, JSON.stringify(report), id).changes;
      if (changed !== 1 || !row) return false;
      appendAudit(this.db, {
        actor: `cashier:${row.cashier_id}`,
        action: "shift.close",
        target: id,
        at: closedAt,
      });
      return true;
    });
  }

  /**
   * Closed shifts, newest close first, filtered and paged; `total` counts every match. The count and
   * total are those the shift's stored report closed with, so the list agrees with the report it leads to.
   */
  closed(q: ClosedShiftQuery): { rows: ClosedShiftRow[]; total: number } {
    const where = ["closed_at IS NOT NULL", "report IS NOT NULL"];
    const args: Array<string | number> = [];
    if (q.from) {
      where.push("business_day >= ?");
      args.push(q.from);
    }
    if (q.to) {
      where.push("business_day <= ?");
      args.push(q.to);
    }
    if (q.cashier) {
      where.push("cashier_id = ? COLLATE NOCASE");
      args.push(q.cashier);
    }
    const clause = where.join(" AND ");
    const total = (
      this.db.prepare(`SELECT COUNT(*) AS n FROM shifts WHERE ${clause}`).get(...args) as { n: number }
    ).n;
    // closed_at is stored in UTC (toISOString), so its text orders as time does.
    const rows = this.db
      .prepare(
        `SELECT id, cashier_id, cashier_name, business_day, opened_at,
                json_extract(report, '$.shift.closedAt') AS closed_at,
                json_extract(report, '$.count') AS count, json_extract(report, '$.total') AS total
           FROM shifts WHERE ${clause} ORDER BY shifts.closed_at DESC, id DESC LIMIT ? OFFSET ?`,
      )
      .all(...args, q.limit, q.offset) as ClosedShiftRow[];
    return { rows, total };
  }

  /** Approved and reversed payments of the shift, in the order they were paid. */
  payments(shiftId: string): ShiftPaymentRow[] {
    return this.db
      .prepare(
        `SELECT id, paid_at, payment_status, total, card_brand, masked_pan, auth_code, receipt_no, reversed_at,
                reversal_reason
           FROM sessions
          WHERE shift_id = ? AND payment_status IN ('approved', 'reversed') AND paid_at IS NOT NULL
          ORDER BY paid_at, id`,
      )
      .all(shiftId) as ShiftPaymentRow[];
  }

  /** The shift's payments still approved, summed per recipient, per component or per card brand. */
  totals(shiftId: string, by: "recipient" | "component" | "brand"): ShiftTotalRow[] {
    const sql = {
      recipient: `SELECT l.recipient AS key, MAX(l.recipient_name) AS name, COUNT(DISTINCT s.id) AS count,
                         SUM(l.amount) AS total
                    FROM sessions s JOIN session_lines l ON l.session_id = s.id
                   WHERE s.shift_id = ? AND s.payment_status = 'approved'
                   GROUP BY l.recipient ORDER BY l.recipient`,
      component: `SELECT l.code AS key, MAX(l.label) AS name, COUNT(DISTINCT s.id) AS count, SUM(l.amount) AS total
                    FROM sessions s JOIN session_lines l ON l.session_id = s.id
                   WHERE s.shift_id = ? AND s.payment_status = 'approved'
                   GROUP BY l.code ORDER BY l.code`,
      brand: `SELECT COALESCE(card_brand, '') AS key, COALESCE(card_brand, '') AS name, COUNT(*) AS count,
                     SUM(total) AS total
                FROM sessions WHERE shift_id = ? AND payment_status = 'approved'
               GROUP BY COALESCE(card_brand, '') ORDER BY key`,
    }[by];
    return this.db.prepare(sql).all(shiftId) as ShiftTotalRow[];
  }

  /** True when the payment was taken in this shift. */
  holdsPayment(shiftId: string, paymentId: string): boolean {
    return (
      this.db.prepare("SELECT 1 FROM sessions WHERE id = ? AND shift_id = ?").get(paymentId, shiftId) !==
      undefined
    );
  }
}
