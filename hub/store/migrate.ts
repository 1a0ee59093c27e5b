/**
 * Versioned SQL migrations: `migrations/NNN_name.sql`, applied in order, each in its own transaction
 * together with its row in `schema_migrations`, so a crash leaves a version either fully applied or
 * not at all. An advisory lock keeps two hubs starting at once from applying the same version twice.
 */
import fs from "node:fs";
import path from "node:path";
import { shippedFile } from "../../contracts/install-layout.ts";
import { DatabaseRequirementError, type HubDb, MigrationsPendingError } from "./db.ts";

const DIR = shippedFile("hub/store/migrations");
const LOCK = 7_465_011; // any constant shared by every hub of one database

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(dir: string = DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 3)),
      name: f.slice(4, -4),
      sql: fs.readFileSync(path.join(dir, f), "utf8"),
    }));
}

/**
 * The database's encoding must be UTF8: the hub stores what devices send as they send it (Polish and
 * Ukrainian names, a `€` in a case reference). In LATIN2 such a transaction failed at every resend
 * (500), holding back its device's later messages; SQL_ASCII checks and converts nothing.
 */
async function requireUtf8(db: HubDb): Promise<void> {
  const [row] = await db.query<{ encoding: string }>("SELECT current_setting('server_encoding') AS encoding");
  if (row && row.encoding !== "UTF8")
    throw new DatabaseRequirementError(
      `the database's encoding is ${row.encoding} and the hub needs UTF8 (it stores names, cases and card fields in any script as devices send them); create the hub's database with ENCODING 'UTF8' (createdb --encoding UTF8 --template template0 …, docs/hub.md) and run oplatomat hub migrate there`,
    );
}

/** Applies what is missing; returns the versions applied now. */
export async function migrate(db: HubDb, migrations: Migration[] = listMigrations()): Promise<number[]> {
  await requireUtf8(db);
  // Under the lock too: two `CREATE TABLE IF NOT EXISTS` at once on a new database both pass the check
  // and one fails on pg_type's unique index (two `hub migrate` at once did, 11 times in 15).
  await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [LOCK]);
    const [table] = await tx.query<{ t: string | null }>(
      "SELECT to_regclass('schema_migrations')::text AS t",
    );
    if (table?.t) return; // no CREATE then: a role without CREATE on the schema may run a migrated hub
    await tx.query(
      `CREATE TABLE schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
  });
  const done = new Set(
    (await db.query<{ version: number }>("SELECT version FROM schema_migrations")).map((r) => r.version),
  );
  const pending = migrations.filter((m) => !done.has(m.version));
  if (pending.length === 0) return [];
  // Migrations alter tables, which only their owner may do. A role without the owner's privileges (a
  // service role granted read and write) is stopped before it tries: where it may still create (a
  // `public` open to all, PostgreSQL 14 and older) it would apply part of the list, and own that part.
  const [who] = await db.query<{ role: string; owner: string; may: boolean }>(
    `SELECT current_user::text AS role, pg_get_userbyid(relowner)::text AS owner,
            pg_has_role(relowner, 'USAGE') AS may
       FROM pg_class WHERE oid = 'schema_migrations'::regclass`,
  );
  if (who && !who.may) throw new MigrationsPendingError(pending, who.role, who.owner);
  const applied: number[] = [];
  for (const [i, m] of pending.entries()) {
    let now: boolean;
    try {
      now = await db.transaction(async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock($1)", [LOCK]);
        const rows = await tx.query("SELECT 1 FROM schema_migrations WHERE version = $1", [m.version]);
        if (rows.length > 0) return false;
        for (const statement of splitStatements(m.sql)) await tx.query(statement);
        await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
        return true;
      });
    } catch (error) {
      // insufficient_privilege: rolled back whole; told as the operator's task, not as a bug.
      if (who && (error as { code?: unknown }).code === "42501")
        throw new MigrationsPendingError(pending.slice(i), who.role, who.owner, (error as Error).message);
      throw error;
    }
    if (now) applied.push(m.version);
  }
  return applied;
}

/** The schema version in the database (0 when none). */
export async function schemaVersion(db: HubDb): Promise<number> {
  const rows = await db.query<{ v: number | null }>("SELECT max(version)::int AS v FROM schema_migrations");
  return rows[0]?.v ?? 0;
}

/** Statements of a migration file, split at `;` line ends (our files hold no functions or quoted `;`). */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*\n/)
    .map((s) =>
      s
        .split("\n")
        .filter((l) => !l.trim().startsWith("--"))
        .join("\n")
        .trim(),
    )
    .filter((s) => s.length > 0);
}
