/**
 * Versioned SQL migrations: `migrations/NNN_name.sql`, applied in order, each in its own transaction
 * together with its row in `schema_migrations`, so a crash leaves a version either fully applied or
 * not at all. An advisory lock keeps two hubs starting at once from applying the same version twice.
 */
import fs from "node:fs";
import path from "node:path";
import { shippedFile } from "../../contracts/install-layout.ts";
import type { HubDb } from "./db.ts";

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

/** Applies what is missing; returns the versions applied now. */
export async function migrate(db: HubDb, migrations: Migration[] = listMigrations()): Promise<number[]> {
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
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [LOCK]);
      const rows = await tx.query("SELECT 1 FROM schema_migrations WHERE version = $1", [m.version]);
      if (rows.length > 0) return false;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.version);
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
