/** SQL of staff sessions and the audit trail's reading side. */
import { scrubbedJson } from "../../kiosk/domain/pan.ts";
import type { SqlClient } from "./db.ts";

export async function createSession(
  db: SqlClient,
  s: { tokenSha256: string; login: string; csrf: string; ttlSeconds: number },
): Promise<void> {
  await db.query(
    `INSERT INTO staff_sessions (token_sha256, login, csrf, expires_at)
     VALUES ($1, $2, $3, clock_timestamp() + make_interval(secs => $4))`,
    [s.tokenSha256, s.login, s.csrf, s.ttlSeconds],
  );
  await db.query("DELETE FROM staff_sessions WHERE expires_at < clock_timestamp()");
}

export async function findSession(
  db: SqlClient,
  tokenSha256: string,
): Promise<{ login: string; csrf: string } | undefined> {
  const rows = await db.query<{ login: string; csrf: string }>(
    "SELECT login, csrf FROM staff_sessions WHERE token_sha256 = $1 AND expires_at > clock_timestamp()",
    [tokenSha256],
  );
  return rows[0];
}

export async function deleteSession(db: SqlClient, tokenSha256: string): Promise<void> {
  await db.query("DELETE FROM staff_sessions WHERE token_sha256 = $1", [tokenSha256]);
}

export interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  action: string;
  office: string | null;
  detail: Record<string, unknown>;
}

export async function auditTrail(db: SqlClient, office: string | null, limit: number): Promise<AuditRow[]> {
  return db.query<AuditRow>(
    `SELECT id, at, actor, action, office, detail FROM audit
      WHERE $1::text IS NULL OR office = $1 ORDER BY id DESC LIMIT $2`,
    [office, limit],
  );
}

/**
 * What identifies a statement between imports: its `:20:` reference, `:28C:` number, account, period
 * and balances (a file reusing a reference and number with other balances is another statement).
 */
export interface StatementIdentity {
  reference: string;
  number: string;
  account: string;
  from: string;
  to: string;
  opening: { date: string; amount: number };
  closing: { date: string; amount: number };
}

/**
 * The first earlier import of the same statement into this office (the audit's `statement_import`
 * entries), or undefined. The probe goes through the audit's own scrubbing, so it compares equal to
 * what was stored. Imports audited before the number, period and balances were recorded are not found.
 */
export async function earlierStatementImport(
  db: SqlClient,
  office: string,
  s: StatementIdentity,
): Promise<{ at: Date; actor: string } | undefined> {
  const { reference, number, account, from, to, opening, closing } = s;
  const probe = scrubbedJson([{ reference, number, account, from, to, opening, closing }]);
  const rows = await db.query<{ at: Date; actor: string }>(
    `SELECT at, actor FROM audit
      WHERE office = $1 AND action = 'statement_import' AND detail->'statements' @> $2::jsonb
      ORDER BY id LIMIT 1`,
    [office, probe],
  );
  return rows[0];
}
