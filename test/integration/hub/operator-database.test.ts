/**
 * The hub on a PostgreSQL set up the way an operator sets one up, not the way the other hub tests do
 * (the `postgres` superuser over trust): every TCP connection asks for a password (scram-sha-256), the
 * hub's role is NOSUPERUSER NOCREATEDB NOCREATEROLE, its password holds URL-special characters
 * (percent-encoded in `database.url`), and the URL carries `sslmode`/`application_name`/`options`.
 * Two set-ups of docs/hub.md: the role owns its database; or it was granted CONNECT and USAGE+CREATE
 * on one schema only (PostgreSQL 15: nobody but the owner creates in `public`). Everything runs through
 * the command line, as an operator runs it: `hub migrate` (twice, and two at once), `hub start`, a
 * device's POST /transactions, /ready, a staff system's settlement report; a wrong password is a clear
 * error naming the database, never showing the password; /ready says so when the database goes away.
 * A third set-up: the schema's owner migrates and a service role granted read and write only (the
 * GRANT block of docs/hub.md, run as written) runs the hub, everything it writes included; with a
 * migration missing it applies nothing and says to migrate as the owner (exit 69).
 * The server has TLS on with a certificate of a test CA: the hub verifies it (`sslmode=verify-full`
 * with `sslrootcert`, and `require` means the same), says plainly when it cannot, and takes the password
 * from a password file (`PGPASSFILE`, libpq's rules) with nothing on stderr.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explainDatabaseError, ServerDb } from "../../../hub/store/db.ts";
import { listMigrations, migrate } from "../../../hub/store/migrate.ts";
import { oplatomat } from "../../helpers/cli-daemon.ts";
import {
  freePort,
  get,
  type HubHarness,
  NRB,
  post,
  STAFF_PASSWORD,
  startHubChild,
  startHubHarness,
  TOKENS,
  transaction,
} from "../../helpers/hub-harness.ts";
import { type PostgresCluster, runSql, startPostgres } from "../../helpers/postgres.ts";
import { testCertificateAuthority } from "../../helpers/self-signed.ts";

const PASSWORD = "p@ss:w/rd%";
const ENCODED = encodeURIComponent(PASSWORD); // p%40ss%3Aw%2Frd%25
const WRONG = "n0t-the:p@ssword%";

let cluster: PostgresCluster;
let h: HubHarness;
/** The test CA's directory: `ca.pem` signed the server's certificate (`db.pem`, for 127.0.0.1 and localhost). */
let pki: string;

/** Runs `sql` as the cluster's superuser in `database`; answers the last statement's rows. */
function admin(database: string, sql: string[]): Promise<unknown[]> {
  return sqlAt(cluster.url(database), sql);
}

/** Runs `sql` through a connection to `url`; answers the last statement's rows. */
const sqlAt = runSql;

/** The hub's database URL as an operator writes it. */
function roleUrl(role: string, password: string, database: string, query: string): string {
  return `postgres://${role}:${encodeURIComponent(password)}@127.0.0.1:${cluster.port}/${database}?${query}`;
}

/** A copy of the harness's configuration with another database URL; returns its path. */
function configWith(name: string, url: string): string {
  const raw = JSON.parse(fs.readFileSync(h.configFile, "utf8")) as { database: { url: string } };
  raw.database = { url };
  const file = path.join(h.dir, `${name}.yaml`);
  fs.writeFileSync(file, JSON.stringify(raw, null, 2));
  return file;
}

function hub(args: string[]) {
  return oplatomat(["hub", ...args], { OPLATOMAT_LOG_LEVEL: "info" });
}

function expectNoPassword(text: string): void {
  for (const secret of [PASSWORD, ENCODED, WRONG, encodeURIComponent(WRONG)])
    expect(text).not.toContain(secret);
}

beforeAll(async () => {
  // fsync off: durability is not what this file is about, and CREATE DATABASE is faster without it.
  pki = fs.mkdtempSync(path.join(os.tmpdir(), "oplatomat-pg-pki-"));
  testCertificateAuthority(pki, [{ name: "db", ext: "subjectAltName=IP:127.0.0.1,DNS:localhost" }]);
  const tls = { cert: path.join(pki, "db.pem"), key: path.join(pki, "db.key") };
  cluster = await startPostgres({ fsync: "off" }, { auth: "scram-sha-256", tls });
  // The operator's SQL of docs/hub.md, as the superuser.
  await admin("postgres", [
    `CREATE ROLE oplatomat LOGIN PASSWORD '${PASSWORD}' NOSUPERUSER NOCREATEDB NOCREATEROLE`,
    "CREATE DATABASE oplatomat OWNER oplatomat",
    `CREATE ROLE ledger LOGIN PASSWORD '${PASSWORD}' NOSUPERUSER NOCREATEDB NOCREATEROLE`,
    "CREATE DATABASE finance",
    "REVOKE CONNECT ON DATABASE finance FROM PUBLIC",
    "GRANT CONNECT ON DATABASE finance TO ledger",
  ]);
  await admin("finance", ["CREATE SCHEMA settlement", "GRANT USAGE, CREATE ON SCHEMA settlement TO ledger"]);
  h = await startHubHarness({ cluster, databaseUrl: roleUrl("oplatomat", PASSWORD, "oplatomat", "") });
}, 60_000);

afterAll(async () => {
  await h?.stop();
  cluster?.stop();
  if (pki) fs.rmSync(pki, { recursive: true, force: true });
});

describe("an operator's PostgreSQL", () => {
  it("asks every TCP connection for a password: no trust on host lines", async () => {
    const hba = fs
      .readFileSync(path.join(cluster.dir, "data", "pg_hba.conf"), "utf8")
      .split("\n")
      .filter((l) => /^host/.test(l));
    expect(hba.length).toBeGreaterThan(0);
    for (const line of hba) expect(line).toMatch(/scram-sha-256\s*$/);
    const anonymous = new pg.Client({
      host: "127.0.0.1",
      port: cluster.port,
      user: "oplatomat",
      database: "oplatomat",
      password: "",
    });
    await expect(anonymous.connect()).rejects.toThrow();
  });

  it("a role owning its database: migrate twice, start, ingest, /ready, the day's report; /ready fails with the database gone", async () => {
    const url = roleUrl("oplatomat", PASSWORD, "oplatomat", "sslmode=disable&application_name=oplatomat-hub");
    const config = configWith("owner", url);
    const first = await hub(["migrate", "--config", config]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout.toString()).toMatch(/^applied migrations 1, 2/);
    const second = await hub(["migrate", "--config", config]);
    expect(second.code).toBe(0);
    expect(second.stdout.toString()).toBe("the database is up to date\n");

    const output = await whileHubRuns(config, async (base) => {
      await ingestAndReport(base);
      // The connection is the role's, named as the URL asks.
      const seen = await admin("postgres", [
        "SELECT DISTINCT usename, application_name FROM pg_stat_activity WHERE datname = 'oplatomat'",
      ]);
      expect(seen).toContainEqual({ usename: "oplatomat", application_name: "oplatomat-hub" });
      cluster.kill();
      try {
        const ready = await fetch(`${base}/ready`);
        expect(ready.status).toBe(503);
        const body = (await ready.json()) as {
          status: string;
          checks: Record<string, Array<{ status: string; output?: string }>>;
        };
        expect(body.status).toBe("fail");
        expect(body.checks["database:reachable"]?.[0]?.status).toBe("fail");
        expectNoPassword(JSON.stringify(body));
      } finally {
        cluster.start();
      }
    });
    expectNoPassword(output);
  });

  it("a role granted CONNECT and USAGE+CREATE on one schema: search_path in the URL; two migrates at once, then start", async () => {
    const query = `options=${encodeURIComponent("-c search_path=settlement")}&application_name=oplatomat-hub`;
    // Without the schema in its search_path the role may create nothing (PostgreSQL 15's `public`):
    // a clear refusal naming the database.
    // (In process: the CLI prints this same text, as the wrong-password case below proves.)
    const bare = await refusal(roleUrl("ledger", PASSWORD, "finance", "sslmode=disable"));
    expect(bare).toMatch(/^oplatomat hub: database postgres:\/\/ledger@127\.0\.0\.1:\d+\/finance: /);
    expect(bare).toMatch(/permission denied for schema public/);
    expect(bare).toMatch(/USAGE and CREATE/);
    expectNoPassword(bare);

    const config = configWith("granted", roleUrl("ledger", PASSWORD, "finance", query));
    const [a, b] = await Promise.all([
      hub(["migrate", "--config", config]),
      hub(["migrate", "--config", config]),
    ]);
    expect([a.stderr, b.stderr]).toEqual(["", ""]);
    expect([a.code, b.code]).toEqual([0, 0]);
    // Between them every migration was applied exactly once.
    const applied = [a, b].flatMap((r) =>
      (/^applied migrations (.*)$/m.exec(r.stdout.toString())?.[1] ?? "").split(", ").filter(Boolean),
    );
    expect(applied.map(Number).sort((x, y) => x - y)).toEqual(
      Array.from({ length: applied.length }, (_, i) => i + 1),
    );
    expect(applied.length).toBeGreaterThanOrEqual(7);
    // The hub's tables are in the granted schema, owned by the role; `public` holds nothing of it.
    const tables = await admin("finance", [
      "SELECT schemaname, tableowner FROM pg_tables WHERE tablename IN ('schema_migrations', 'transactions')",
    ]);
    expect(tables).toEqual([
      { schemaname: "settlement", tableowner: "ledger" },
      { schemaname: "settlement", tableowner: "ledger" },
    ]);

    expectNoPassword(await whileHubRuns(config, ingestAndReport));
  });

  it("two migrations at once on a new database, as the role, each apply what the other did not (five rounds in process)", async () => {
    // Two processes rarely start close enough together to meet (their start-up takes seconds); two
    // pools in one process meet at once. Before schema_migrations was created under the advisory
    // lock, both passed `CREATE TABLE IF NOT EXISTS` and one failed on pg_type's unique index.
    const versions = listMigrations().map((m) => m.version);
    for (let round = 0; round < 5; round++) {
      await admin("postgres", [`CREATE DATABASE race${round} OWNER oplatomat`]);
      const url = roleUrl("oplatomat", PASSWORD, `race${round}`, "sslmode=disable");
      const dbs = [new ServerDb(url, { max: 2 }), new ServerDb(url, { max: 2 })];
      try {
        const [a, b] = await Promise.all(dbs.map((db) => migrate(db)));
        expect([...(a ?? []), ...(b ?? [])].sort((x, y) => x - y)).toEqual(versions);
      } finally {
        await Promise.all(dbs.map((db) => db.close()));
      }
    }
  });

  it("the other ways docs/hub.md gives a role its schema: search_path set on the role, a schema named like the role", async () => {
    await admin("postgres", [
      `CREATE ROLE clerk LOGIN PASSWORD '${PASSWORD}' NOSUPERUSER NOCREATEDB NOCREATEROLE`,
      "GRANT CONNECT ON DATABASE finance TO clerk",
      "ALTER ROLE clerk IN DATABASE finance SET search_path = clerk_ledger",
      `CREATE ROLE settle LOGIN PASSWORD '${PASSWORD}' NOSUPERUSER NOCREATEDB NOCREATEROLE`,
      "GRANT CONNECT ON DATABASE finance TO settle",
    ]);
    await admin("finance", [
      "CREATE SCHEMA clerk_ledger",
      "GRANT USAGE, CREATE ON SCHEMA clerk_ledger TO clerk",
      "CREATE SCHEMA settle",
      "GRANT USAGE, CREATE ON SCHEMA settle TO settle",
    ]);
    for (const [role, schema] of [
      ["clerk", "clerk_ledger"],
      ["settle", "settle"],
    ] as const) {
      const db = new ServerDb(roleUrl(role, PASSWORD, "finance", "sslmode=disable"), { max: 1 });
      try {
        expect(await migrate(db)).toEqual(listMigrations().map((m) => m.version));
        const [where] = await db.query<{ s: string }>(
          "SELECT relnamespace::regnamespace::text AS s FROM pg_class WHERE oid = 'transactions'::regclass",
        );
        expect(where?.s).toBe(schema);
      } finally {
        await db.close();
      }
    }
  });

  it("a wrong password: `hub migrate` and `hub start` say which database refused it, never the password, and exit non-zero", async () => {
    const config = configWith("wrong", roleUrl("oplatomat", WRONG, "oplatomat", "sslmode=disable"));
    for (const command of ["migrate", "start"]) {
      const r = await hub([command, "--config", config, ...(command === "start" ? ["--port", "0"] : [])]);
      const text = r.stderr + r.stdout.toString();
      expect(r.code, text).toBe(69);
      expect(r.stderr).toMatch(/password authentication failed for user "oplatomat"/);
      expect(r.stderr).toContain(`postgres://oplatomat@127.0.0.1:${cluster.port}/oplatomat`);
      expect(r.stderr).not.toMatch(/\n\s+at /); // a message for an operator, not a stack trace
      expectNoPassword(text);
    }
    // No server at all: the same kind of message, saying it cannot be reached.
    const nowhere = await refusal(`postgres://oplatomat:${ENCODED}@127.0.0.1:${await freePort()}/oplatomat`);
    expect(nowhere).toMatch(
      /^oplatomat hub: database postgres:\/\/oplatomat@127\.0\.0\.1:\d+\/oplatomat: .*ECONNREFUSED/,
    );
    expect(nowhere).toMatch(/cannot be reached/);
    expectNoPassword(nowhere);
  });
});

describe("TLS to the database, and the password file", () => {
  it("sslmode=verify-full with the CA as sslrootcert: migrate and start over TLS, nothing on stderr", async () => {
    const url = roleUrl(
      "oplatomat",
      PASSWORD,
      "oplatomat",
      `sslmode=verify-full&sslrootcert=${encodeURIComponent(path.join(pki, "ca.pem"))}&application_name=hub-tls`,
    );
    const config = configWith("tls", url);
    const migrated = await hub(["migrate", "--config", config]);
    expect(migrated.stderr).toBe("");
    expect(migrated.code).toBe(0);
    await whileHubRuns(config, async (base) => {
      await ingestAndReport(base);
      const seen = await admin("postgres", [
        `SELECT DISTINCT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
          WHERE a.application_name = 'hub-tls'`,
      ]);
      expect(seen).toEqual([{ ssl: true }]);
    });
  });

  it("a server certificate the hub cannot verify: one line naming the database and what to give, exit 69, no stack trace", async () => {
    // No sslrootcert: the test CA is not one the system trusts. `require` verifies as verify-full does
    // (the driver's warning about it is not printed: the hub says what it does).
    for (const query of ["sslmode=verify-full", "sslmode=require"]) {
      const config = configWith("untrusted", roleUrl("oplatomat", PASSWORD, "oplatomat", query));
      const r = await hub(["migrate", "--config", config]);
      expect(r.code, r.stderr).toBe(69);
      expect(r.stderr).toMatch(
        /^oplatomat hub: database postgres:\/\/oplatomat@127\.0\.0\.1:\d+\/oplatomat: /,
      );
      expect(r.stderr).toMatch(/does not trust the server's certificate/);
      expect(r.stderr).toMatch(/sslrootcert=FILE/);
      expect(r.stderr).not.toMatch(/\n\s+at |SECURITY WARNING/);
      expectNoPassword(r.stderr);
    }
  });

  it("the password from the password file (PGPASSFILE, mode 0600) when the URL has none; a file others may read is not used", async () => {
    const file = path.join(h.dir, "pgpass");
    const line = `# the hub's database\n127.0.0.1:${cluster.port}:oplatomat:oplatomat:${PASSWORD.replace(/[:\\]/g, "\\$&")}\n`;
    fs.writeFileSync(file, line, { mode: 0o600 });
    const config = configWith(
      "pgpass",
      `postgres://oplatomat@127.0.0.1:${cluster.port}/oplatomat?sslmode=disable`,
    );
    const env = { PGPASSFILE: file, PGPASSWORD: undefined };
    const ok = await oplatomat(["hub", "migrate", "--config", config], env);
    expect(ok.stderr).toBe(""); // no DeprecationWarning from the driver's own reader
    expect(ok.code).toBe(0);

    fs.chmodSync(file, 0o644);
    const open = await oplatomat(["hub", "migrate", "--config", config], env);
    expect(open.code, open.stderr).toBe(69);
    expect(open.stderr).toContain(`${file} has no line for 127.0.0.1:${cluster.port}:oplatomat:oplatomat`);
    expect(open.stderr).toMatch(/mode 0600/);
    expect(open.stderr).not.toMatch(/\n\s+at /);
  });
});

/** The owner's GRANT statements for the service role, as docs/hub.md gives them (run as written). */
function serviceRoleGrants(): string[] {
  const doc = fs.readFileSync(path.join(import.meta.dirname, "../../../docs/hub.md"), "utf8");
  const block = /<!-- service-role-grants:[^>]*-->\s*```sql\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error("docs/hub.md has no service-role-grants block");
  return block
    .split("\n")
    .filter((l) => !l.trim().startsWith("--"))
    .join("\n")
    .split(";")
    .map((t) => t.replace(/\s+/g, " ").trim())
    .filter(Boolean);
}

/** A schema the owner migrated (to `upTo` migrations) and the doc's grants to the service role. */
async function ownerMigrated(database: string, upTo?: number): Promise<{ owner: string; service: string }> {
  await admin("postgres", [
    `CREATE DATABASE ${database} OWNER oplatomat_hub`,
    `REVOKE CONNECT ON DATABASE ${database} FROM PUBLIC`,
    `GRANT CONNECT ON DATABASE ${database} TO oplatomat_hub_rw`,
  ]);
  const owner = roleUrl("oplatomat_hub", PASSWORD, database, "sslmode=disable");
  if (upTo === undefined) {
    const r = await hub(["migrate", "--config", configWith(`${database}-owner`, owner)]);
    expect(r.stderr).toBe("");
    expect(r.stdout.toString()).toMatch(/^applied migrations 1, 2, 3, 4, 5, 6, 7/);
  } else {
    const db = new ServerDb(owner, { max: 1 });
    try {
      await migrate(db, listMigrations().slice(0, upTo));
    } finally {
      await db.close();
    }
  }
  await sqlAt(owner, serviceRoleGrants());
  return {
    owner: configWith(`${database}-owner`, owner),
    service: configWith(`${database}-rw`, roleUrl("oplatomat_hub_rw", PASSWORD, database, "sslmode=disable")),
  };
}

/** Every column, constraint, index, function and type of `public`, and the versions applied. */
async function schemaFingerprint(database: string): Promise<unknown[]> {
  return admin(database, [
    `SELECT (SELECT string_agg(table_name || '.' || column_name, ',' ORDER BY table_name, column_name)
               FROM information_schema.columns WHERE table_schema = 'public') AS columns,
            (SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint
              WHERE connamespace = 'public'::regnamespace) AS constraints,
            (SELECT string_agg(relname || ':' || relkind::text || ':' || relowner::regrole::text, ',' ORDER BY relname)
               FROM pg_class WHERE relnamespace = 'public'::regnamespace) AS relations,
            (SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations) AS versions`,
  ]);
}

const beat = (kiosk: string) => ({
  office: "PZ1465",
  kiosk,
  version: "0.1.0",
  sentAt: new Date().toISOString(),
  uptimeSeconds: 60,
  outOfOrder: false,
  devices: [],
  outbox: [],
});

async function staffLogin(base: string, login: string, password: string) {
  const res = await fetch(`${base}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login, password }),
  });
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, cookie: (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "", body };
}

describe("a service role with read and write grants only, on a schema its owner migrated (docs/hub.md)", () => {
  beforeAll(async () => {
    await admin("postgres", [
      `CREATE ROLE oplatomat_hub LOGIN PASSWORD '${PASSWORD}' NOSUPERUSER NOCREATEDB NOCREATEROLE`,
      `CREATE ROLE oplatomat_hub_rw LOGIN PASSWORD '${PASSWORD}' NOSUPERUSER NOCREATEDB NOCREATEROLE`,
    ]);
  });

  it("the doc's grants are read and write only: no CREATE, no ownership", () => {
    const grants = serviceRoleGrants();
    expect(grants.length).toBe(7);
    for (const g of grants) expect(g).not.toMatch(/\bCREATE\b|\bOWNER\b|\bALL PRIVILEGES\b|\bTRUNCATE\b/i);
  });

  it("the owner migrates, the hub runs as the service role: /ready, ingest, a staff login's report, heartbeat, day, statement, logout", async () => {
    const config = await ownerMigrated("served");
    const [privileges] = await admin("served", [
      `SELECT has_schema_privilege('oplatomat_hub_rw', 'public', 'CREATE') AS create_in_public,
              has_database_privilege('oplatomat_hub_rw', 'served', 'CREATE') AS create_in_database`,
    ]);
    expect(privileges).toEqual({ create_in_public: false, create_in_database: false });
    const before = await schemaFingerprint("served");

    const output = await whileHubRuns(config.service, async (base) => {
      await ingestAndReport(base);
      const seen = await admin("postgres", [
        "SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = 'served' AND usename IS NOT NULL",
      ]);
      expect(seen).toEqual([{ usename: "oplatomat_hub_rw" }]);

      // A finance staff member's password login (a session row, audited) and that day's report.
      expect((await staffLogin(base, "anna", "not-her-password")).status).toBe(401);
      const anna = await staffLogin(base, "anna", STAFF_PASSWORD);
      expect(anna.status, JSON.stringify(anna.body)).toBe(200);
      const tx = transaction({ paidAt: "2026-11-25T10:15:00Z", total: 4_200 });
      expect((await post(`${base}/transactions`, tx, { token: TOKENS.K01 })).status).toBe(201);
      const report = await fetch(`${base}/api/offices/PZ1465/settlement?date=2026-11-25&format=json`, {
        headers: { cookie: anna.cookie },
      });
      const text = await report.text();
      expect(report.status, text).toBe(200);
      expect(text).toContain(tx.transactionId);

      // A device's heartbeat (fleet, heartbeat_keys, device_activity) and its end of day (device_days'
      // sequence, office_days).
      expect((await post(`${base}/fleet/heartbeat`, beat("K01"), { token: TOKENS.K01 })).status).toBe(204);
      const day = {
        office: "PZ1465",
        kiosk: "K01",
        date: "2026-11-25",
        count: 2,
        total: 20_200,
        terminalTotals: { count: 2, total: 20_200, closedAt: "2026-11-25T19:00:00Z" },
      };
      const closed = await post(`${base}/days`, day, { token: TOKENS.K01 });
      expect(closed.status, closed.text).toBe(201);

      // Statement matching (audited) with the session's CSRF token.
      const mt940 = [
        ":20:ST/2026/11/26",
        `:25:/PL${NRB.OPERATOR}`,
        ":28C:00001/1",
        ":60F:C261125PLN0,00",
        ":61:2611261126C202,00NTRFNONREF//ACQ1",
        ":86:ROZLICZENIE TERMINALI 2026-11-25",
        ":62F:C261126PLN202,00",
      ].join("\r\n");
      const matched = await fetch(`${base}/api/offices/PZ1465/statements`, {
        method: "POST",
        headers: {
          cookie: anna.cookie,
          "x-csrf-token": String(anna.body["csrfToken"]),
          "content-type": "text/plain",
        },
        body: mt940,
      });
      expect(matched.status, await matched.clone().text()).toBe(200);
      const sessions = await admin("served", ["SELECT login FROM staff_sessions"]);
      expect(sessions).toEqual([{ login: "anna" }]);
      const logout = await fetch(`${base}/api/logout`, {
        method: "POST",
        headers: { cookie: anna.cookie, "x-csrf-token": String(anna.body["csrfToken"]) },
      });
      expect(logout.status).toBe(204);
    });
    expect(output).not.toMatch(/"level":(50|60)/); // no error logged

    // All of it committed, through the service role's grants alone.
    const [rows] = await admin("served", [
      `SELECT (SELECT count(*)::int FROM transactions WHERE office = 'PZ1465') AS transactions,
              (SELECT count(*)::int FROM splits) AS splits,
              (SELECT count(*)::int FROM fleet WHERE device = 'K01') AS fleet,
              (SELECT count(*)::int FROM heartbeat_keys WHERE device = 'K01') AS heartbeat_keys,
              (SELECT count(*)::int FROM device_activity WHERE device = 'K01') AS device_activity,
              (SELECT count(*)::int FROM device_days WHERE device = 'K01') AS device_days,
              (SELECT count(*)::int FROM staff_sessions) AS staff_sessions,
              (SELECT string_agg(DISTINCT action, ',' ORDER BY action) FROM audit) AS audit`,
    ]);
    expect(rows).toEqual({
      transactions: 2,
      splits: 4,
      fleet: 1,
      heartbeat_keys: 1,
      device_activity: 1,
      device_days: 1,
      staff_sessions: 0,
      audit: expect.stringMatching(/^(?=.*\blogin\b)(?=.*\blogin_failed\b)(?=.*\bstatement_import\b)/),
    });
    // The service role created and altered nothing.
    expect(await schemaFingerprint("served")).toEqual(before);
    expectNoPassword(output);
  });

  it.each([
    ["one migration", 6, false],
    ["three migrations, the first creating a table", 4, false],
    // Where anyone may create in `public` (PostgreSQL 14 and older, and databases upgraded from them),
    // the service role could create 005's table and commit 005, then fail on 006: it must not try.
    ["three migrations, in a `public` anyone may create in", 4, true],
  ] as const)(
    "code newer than the schema by %s: `hub start` and `hub migrate` as the service role apply nothing and exit 69 telling to migrate as the owner; after the owner's `hub migrate` it serves",
    async (_what, upTo, openPublic) => {
      const database = `behind${upTo}${openPublic ? "open" : ""}`;
      const config = await ownerMigrated(database, upTo);
      if (openPublic) await admin(database, ["GRANT CREATE ON SCHEMA public TO PUBLIC"]);
      const before = await schemaFingerprint(database);
      const pending = listMigrations().slice(upTo);
      for (const command of ["start", "migrate"]) {
        const r = await hub([
          command,
          "--config",
          config.service,
          ...(command === "start" ? ["--port", "0"] : []),
        ]);
        const text = r.stderr + r.stdout.toString();
        expect(r.code, text).toBe(69);
        const names = pending.map((m) => `${String(m.version).padStart(3, "0")} ${m.name}`).join(", ");
        expect(r.stderr).toContain(
          `oplatomat hub: database postgres://oplatomat_hub_rw@127.0.0.1:${cluster.port}/${database}: ${pending.length === 1 ? "migration" : "migrations"} ${names} ${pending.length === 1 ? "is" : "are"} not applied and role oplatomat_hub_rw may not apply`,
        );
        expect(r.stderr).toContain(
          "run `oplatomat hub migrate` as oplatomat_hub, the owner of the hub's tables",
        );
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(r.stderr.trim().split("\n")).toHaveLength(2);
        expectNoPassword(text);
      }
      expect(await schemaFingerprint(database)).toEqual(before);

      const migrated = await hub(["migrate", "--config", config.owner]);
      expect(migrated.stderr).toBe("");
      expect(migrated.stdout.toString()).toBe(
        `applied migrations ${pending.map((m) => m.version).join(", ")}\n`,
      );
      // What a later migration created (005: heartbeat_keys) came with the grants the owner's
      // default privileges give.
      await whileHubRuns(config.service, async (base) => {
        await ingestAndReport(base);
        expect((await post(`${base}/fleet/heartbeat`, beat("K02"), { token: TOKENS.K02 })).status).toBe(204);
      });
      const [keys] = await admin(database, ["SELECT count(*)::int AS n FROM heartbeat_keys"]);
      expect(keys).toEqual({ n: 1 });
    },
  );

  it("a role owning the tables but refused a migration's statement (CREATE revoked on its schema): the migration named, rolled back whole", async () => {
    await admin("postgres", ["GRANT CONNECT ON DATABASE finance TO oplatomat_hub"]);
    await admin("finance", [
      "CREATE SCHEMA revoked AUTHORIZATION postgres",
      "GRANT USAGE, CREATE ON SCHEMA revoked TO oplatomat_hub",
    ]);
    const url = roleUrl(
      "oplatomat_hub",
      PASSWORD,
      "finance",
      `options=${encodeURIComponent("-c search_path=revoked")}`,
    );
    const db = new ServerDb(url, { max: 1 });
    try {
      await migrate(db, listMigrations().slice(0, 4));
    } finally {
      await db.close();
    }
    await admin("finance", ["REVOKE CREATE ON SCHEMA revoked FROM oplatomat_hub"]);
    const said = await refusal(url);
    expect(said).toMatch(
      /: migrations 005 heartbeat_keys, 006 device_transaction_keys, 007 fleet_heartbeat_columns are not applied and role oplatomat_hub may not apply them \(permission denied for schema revoked\)\n/,
    );
    expect(said).toContain("run `oplatomat hub migrate` as oplatomat_hub");
    const [left] = await admin("finance", [
      "SELECT max(version)::int AS v, to_regclass('revoked.heartbeat_keys')::text AS t FROM revoked.schema_migrations",
    ]);
    expect(left).toEqual({ v: 4, t: null });
  });
});

/** What `hub migrate` tells the operator when `migrate` fails on `url`. */
async function refusal(url: string): Promise<string> {
  const db = new ServerDb(url, { max: 1 });
  try {
    await migrate(db);
  } catch (error) {
    return explainDatabaseError({ url }, error) ?? `not a database error: ${String(error)}`;
  } finally {
    await db.close();
  }
  throw new Error(`migrate succeeded on ${url}`);
}

async function ingestAndReport(base: string): Promise<void> {
  const ready = await fetch(`${base}/ready`);
  expect(ready.status).toBe(200);
  const tx = transaction({ paidAt: "2026-11-25T09:30:00Z", total: 16_000 });
  const sent = await post(`${base}/transactions`, tx, { token: TOKENS.K01 });
  expect(sent.status, sent.text).toBe(201);
  const report = await get(`${base}/api/offices/PZ1465/settlement?date=2026-11-25&format=json`);
  expect(report.status, report.text).toBe(200);
  expect(report.body["count"]).toBeGreaterThanOrEqual(1);
  const ids = (report.body["transactions"] as Array<{ transactionId?: string; id?: string }>).map(
    (t) => t.transactionId ?? t.id,
  );
  expect(ids).toContain(tx.transactionId);
}

/** `oplatomat hub start` with `config` while `during` runs against it; answers all the hub wrote. */
async function whileHubRuns(config: string, during: (base: string) => Promise<void>): Promise<string> {
  let output = "";
  const port = await freePort();
  const child = await startHubChild(config, port, (t) => {
    output += t;
  });
  try {
    await during(`http://127.0.0.1:${port}`);
  } finally {
    await stop(child);
  }
  return output;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
