/** SQL of staff sessions and the audit trail's reading side. */
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
