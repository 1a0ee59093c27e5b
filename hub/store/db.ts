/**
 * One small interface over the two PostgreSQLs the hub runs on: a server through `pg` (production,
 * tests) and PGlite in process (`database: { embedded: DIR }`, the demo). The same SQL runs on both.
 * bigint and numeric columns come back as JS numbers, checked to be safe integers: grosze never
 * reach floating-point ranges where they would silently round.
 */
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { connectionSettings, missingPasswordAdvice } from "./connection.ts";

export interface SqlClient {
  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface HubDb extends SqlClient {
  readonly kind: "server" | "embedded";
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** Feeds the rows of a query to `onRows` in batches through a cursor (the result never sits in memory). */
  stream<R extends object>(
    sql: string,
    params: unknown[],
    batchSize: number,
    onRows: (rows: R[]) => Promise<void>,
    /** The session time zone timestamps are formatted in (`SET LOCAL TIME ZONE`). */
    timeZone?: string,
  ): Promise<void>;
  close(): Promise<void>;
}

export class UnsafeIntegerError extends Error {
  override readonly name = "UnsafeIntegerError";
}

/** int8 and numeric (sums) as numbers; a value beyond 2^53 is an error, never a rounded number. */
export function parseSafeInteger(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    if (Number.isFinite(n) && !/^-?\d+$/.test(text)) return n;
    throw new UnsafeIntegerError(`${text} is beyond the safe integer range`);
  }
  return n;
}

const INT8 = 20;
const NUMERIC = 1700;

function cursorName(): string {
  return `c${Math.random().toString(36).slice(2, 10)}`;
}

async function streamWith(
  run: <T>(fn: (tx: SqlClient) => Promise<T>) => Promise<T>,
  sql: string,
  params: unknown[],
  batchSize: number,
  onRows: (rows: never[]) => Promise<void>,
  timeZone: string | undefined,
): Promise<void> {
  if (timeZone !== undefined && !/^[A-Za-z_/+-]+$/.test(timeZone))
    throw new RangeError(`bad time zone ${timeZone}`);
  await run(async (tx) => {
    if (timeZone) await tx.query(`SET LOCAL TIME ZONE '${timeZone}'`);
    const name = cursorName();
    await tx.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, params);
    for (;;) {
      const rows = await tx.query(`FETCH ${batchSize} FROM ${name}`);
      if (rows.length === 0) break;
      await onRows(rows as never[]);
      if (rows.length < batchSize) break;
    }
    await tx.query(`CLOSE ${name}`);
  });
}

/** What both databases share: streaming through a cursor inside one of their transactions. */
abstract class CursorDb {
  abstract transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;

  stream<R extends object>(
    sql: string,
    params: unknown[],
    batchSize: number,
    onRows: (rows: R[]) => Promise<void>,
    timeZone?: string,
  ): Promise<void> {
    return streamWith((fn) => this.transaction(fn), sql, params, batchSize, onRows as never, timeZone);
  }
}

/**
 * The session the hub's SQL and the driver's parsers are written for, set on every new connection
 * whatever the server's, database's or role's defaults (an office's IT sets them for its own reasons):
 * - DateStyle: the driver reads timestamps and dates in ISO output only. Under 'SQL, DMY' or 'German' it
 *   read them as null: reports failed (500) and a closed day was taken as open.
 * - IntervalStyle: the same for intervals (the driver's parser reads the `postgres` style only).
 * - standard_conforming_strings: the SQL's literals hold backslashes (the CSV formula guard's pattern);
 *   off made `\-` a range and put a `'` before every number of the CSV.
 * - default_transaction_isolation: ingest is written for read committed; under serializable, devices
 *   booking at once failed each other with serialization errors (500s, resent by the devices).
 * Plain SETs, not startup options: a connection pooler (PgBouncer) refuses startup options it does not
 * know, and restores these tracked parameters itself.
 */
export const SESSION_SETTINGS =
  "SET DateStyle = 'ISO'; SET IntervalStyle = 'postgres'; SET standard_conforming_strings = on; " +
  "SET default_transaction_isolation = 'read committed'";

export class ServerDb extends CursorDb implements HubDb {
  readonly kind = "server" as const;
  private readonly pool: pg.Pool;

  constructor(url: string, options: { max?: number } = {}) {
    super();
    this.pool = new pg.Pool({
      ...connectionSettings(url),
      max: options.max ?? 20,
      connectionTimeoutMillis: 5_000,
      // Awaited by the pool before the connection's first use; a failure fails that use.
      onConnect: (client) => client.query(SESSION_SETTINGS),
      types: {
        getTypeParser: ((oid: number, format?: string) =>
          oid === INT8 || oid === NUMERIC
            ? parseSafeInteger
            : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client losing its server (primary gone) must not crash the process; the next query fails.
    this.pool.on("error", () => {});
  }

  async query<R extends object>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query(sql, params)).rows as R[];
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    // The server may end the connection while it is ours and idle between two queries (a report
    // waiting for its reader, ingest between statements): pg_terminate_backend, a fast shutdown or a
    // failover, idle_in_transaction_session_timeout. The driver then emits 'error' on the client, and
    // with no listener that ended the hub's process. Kept here: the next query fails with it.
    let lost: Error | undefined;
    const onLost = (error: Error) => {
      lost = error;
    };
    client.on("error", onLost);
    const run = async <R extends object>(sql: string, params: unknown[] = []): Promise<R[]> => {
      if (lost) throw lost;
      return (await client.query(sql, params)).rows as R[];
    };
    try {
      await run("BEGIN");
      const result = await fn({ query: run });
      await run("COMMIT");
      return result;
    } catch (error) {
      try {
        await run("ROLLBACK");
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.off("error", onLost);
      client.release(lost ?? broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export class EmbeddedDb extends CursorDb implements HubDb {
  readonly kind = "embedded" as const;

  private constructor(private readonly pglite: PGlite) {
    super();
  }

  static async open(dir: string): Promise<EmbeddedDb> {
    // Loaded only here: a hub on a server never needs PGlite, and every `hub start` loaded it (with
    // pdfkit, 0.4 s of the 1.35 s of CPU the hub's modules took; hub/staff/report-routes.ts).
    const { PGlite: Embedded, types } = await import("@electric-sql/pglite");
    const pglite = await Embedded.create(dir, {
      parsers: { [types.INT8]: parseSafeInteger, [types.NUMERIC]: parseSafeInteger },
    });
    return new EmbeddedDb(pglite);
  }

  async query<R extends object>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pglite.query<R>(sql, params)).rows;
  }

  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.pglite.transaction(async (t) =>
      fn({
        query: async <R extends object>(sql: string, params: unknown[] = []) =>
          (await t.query<R>(sql, params)).rows,
      }),
    );
  }

  async close(): Promise<void> {
    await this.pglite.close();
  }
}

export async function openHubDb(
  database: { url: string; connections?: number } | { embedded: string },
): Promise<HubDb> {
  return "url" in database
    ? new ServerDb(database.url, database.connections ? { max: database.connections } : {})
    : EmbeddedDb.open(database.embedded);
}

/**
 * What the hub tells an operator whose database takes no writes: every ingest answers 503 then
 * (PostgreSQL refuses the write), so `/ready` and `oplatomat_hub_database_up` must say so too.
 */
export const READ_ONLY_DATABASE =
  "the database accepts no writes (transaction_read_only is on): it is a standby, or default_transaction_read_only is on for the server, the hub's database or its role; point database.url at the primary, or set default_transaction_read_only = off";

/**
 * Whether the database answers and takes writes (the `oplatomat_hub_database_up` gauge): a standby the
 * hub was left pointing at after a failover answers every read and books nothing.
 */
export function databaseUp(db: SqlClient): Promise<boolean> {
  return db.query<{ ro: string }>("SELECT current_setting('transaction_read_only') AS ro").then(
    (rows) => rows[0]?.ro !== "on",
    () => false,
  );
}

/** Whether the hub's schema is readable and writes are taken: the readiness probe (`GET /ready`). */
export async function schemaReadable(db: SqlClient): Promise<void> {
  const [row] = await db.query<{ ro: string }>(
    "SELECT current_setting('transaction_read_only') AS ro, EXISTS (SELECT 1 FROM schema_migrations) AS migrated",
  );
  if (row?.ro === "on") throw new Error(READ_ONLY_DATABASE);
}

/**
 * A server the hub cannot keep its ledger on as it is set up (its encoding), found before anything is
 * written; told to the operator by `explainDatabaseError` (exit 69).
 */
export class DatabaseRequirementError extends Error {
  override readonly name = "DatabaseRequirementError";
}

/** The database a URL names, for an operator's eyes: `postgres://user@host:port/database`, no password. */
export function databaseLabel(database: { url: string } | { embedded: string }): string {
  if (!("url" in database)) return `the embedded database in ${database.embedded}`;
  try {
    const u = new URL(database.url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : "";
    return `${u.protocol}//${user}${u.host}${u.pathname}`;
  } catch {
    return "the database in database.url";
  }
}

/**
 * Migrations the database lacks that the hub's role may not apply, e.g. a service role granted only
 * read and write on tables another role migrated (docs/hub.md). None of those listed was applied (each
 * rolls back whole); the owner of the hub's tables runs `oplatomat hub migrate`. Thrown by `migrate`
 * (migrate.ts), told to the operator by `explainDatabaseError`: exit 69, never a stack trace.
 */
export class MigrationsPendingError extends Error {
  override readonly name = "MigrationsPendingError";

  constructor(
    /** The versions not applied, in order. */
    readonly pending: Array<{ version: number; name: string }>,
    /** The role the hub connected as. */
    readonly role: string,
    /** The owner of `schema_migrations`: the role that migrates. */
    readonly owner: string,
    /** What the server answered, when it refused a statement of the first pending migration. */
    readonly refusal?: string,
  ) {
    const names = pending.map((m) => `${String(m.version).padStart(3, "0")} ${m.name}`).join(", ");
    const one = pending.length === 1;
    super(
      `${one ? "migration" : "migrations"} ${names} ${one ? "is" : "are"} not applied and role ${role} may not apply ${one ? "it" : "them"}` +
        (refusal ? ` (${refusal})` : ` (the schema's tables belong to ${owner})`),
    );
  }
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ECONNRESET",
]);

const HINTS: Record<string, string> = {
  "28P01":
    "authentication failed: check the user and the password in database.url (percent-encode @ : / % and other URL characters in it) and the server's pg_hba.conf",
  "28000": "the server refused this role or address: check pg_hba.conf and the user in database.url",
  "3D000": "the database does not exist: create it (docs/hub.md, the operator's setup)",
  "42501":
    "the role may not create or use the hub's tables: it must own the database, or hold USAGE and CREATE on a schema named first in its search_path, or (a service role on tables another role migrated) hold the read and write grants docs/hub.md lists (docs/hub.md, the operator's setup)",
  "3F000":
    "search_path names no schema that exists (it is empty, or its schemas were not created): name the hub's schema in the role's search_path or in database.url (docs/hub.md, the operator's setup)",
  "25006": READ_ONLY_DATABASE,
};

/** Node's codes for a server certificate it would not trust (TLS, `sslmode=verify-full`). */
const CERTIFICATE_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_GET_ISSUER_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

const CERTIFICATE_HINT =
  "the hub does not trust the server's certificate: it verifies the server over TLS (sslmode=require and verify-ca too, as verify-full); give the CA that signed the server's certificate as sslrootcert=FILE in database.url, and connect by a host name or address the certificate names (docs/hub.md, the URL)";

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A failure the hub's connection settings or the TLS layer caused, with its hint; undefined if not. */
function clientHint(error: Error, code: unknown, url: string): string | undefined {
  if (/client password must be a string/.test(error.message)) return missingPasswordAdvice(url);
  if (typeof code === "string" && CERTIFICATE_CODES.has(code)) return CERTIFICATE_HINT;
  if (/^The server does not support SSL connections/.test(error.message))
    return "the server has TLS off (ssl = off in postgresql.conf): turn it on, or, on one machine or a private network only, use sslmode=disable";
  const file = (error as { path?: unknown }).path;
  if ((code === "ENOENT" || code === "EACCES") && typeof file === "string" && safeDecode(url).includes(file))
    return "a file named in database.url (sslrootcert, sslcert, sslkey) cannot be read by the hub's user";
  return undefined;
}

/**
 * An operator's account of a failure to reach or use the server database (the hub's `start` and
 * `migrate`): which database, what it answered and what to check, without the password. Undefined when
 * `error` is not the database's (a bug, reported as one).
 */
export function explainDatabaseError(
  database: { url: string } | { embedded: string },
  error: unknown,
): string | undefined {
  if (error instanceof DatabaseRequirementError)
    return `oplatomat hub: database ${databaseLabel(database)}: ${error.message}\n`;
  if (error instanceof MigrationsPendingError)
    return `oplatomat hub: database ${databaseLabel(database)}: ${error.message}\n  run \`oplatomat hub migrate\` as ${error.owner}, the owner of the hub's tables (the role that migrated them), then start the hub again; the migrations listed were not applied (docs/hub.md, a service role with read and write grants)\n`;
  if (!("url" in database) || !(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  const sqlState = typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const network = typeof code === "string" && NETWORK_CODES.has(code);
  const clientSide = /^SASL: |^timeout exceeded when trying to connect|^Connection terminated/.test(
    error.message,
  );
  const tlsOrPassword = clientHint(error, code, database.url);
  if (!sqlState && !network && !clientSide && !tlsOrPassword) return undefined;
  let message = error.message;
  // Never the password, whatever a driver's message may quote.
  try {
    const password = new URL(database.url).password;
    for (const secret of [password, decodeURIComponent(password)])
      if (secret) message = message.split(secret).join("***");
  } catch {
    // an unparsable URL was refused before any connection
  }
  const hint = sqlState
    ? (HINTS[sqlState] ?? `SQLSTATE ${sqlState}`)
    : tlsOrPassword
      ? tlsOrPassword
      : "the database cannot be reached: check the host and port in database.url and that the server runs";
  return `oplatomat hub: database ${databaseLabel(database)}: ${message}\n  ${hint}\n`;
}
