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
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
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
  post,
  startHubChild,
  startHubHarness,
  TOKENS,
  transaction,
} from "../../helpers/hub-harness.ts";
import { type PostgresCluster, startPostgres } from "../../helpers/postgres.ts";

const PASSWORD = "p@ss:w/rd%";
const ENCODED = encodeURIComponent(PASSWORD); // p%40ss%3Aw%2Frd%25
const WRONG = "n0t-the:p@ssword%";

let cluster: PostgresCluster;
let h: HubHarness;

/** Runs `sql` as the cluster's superuser in `database`; answers the last statement's rows. */
async function admin(database: string, sql: string[]): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: cluster.url(database) });
  await client.connect();
  try {
    let rows: unknown[] = [];
    for (const statement of sql) rows = (await client.query(statement)).rows;
    return rows;
  } finally {
    await client.end();
  }
}

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
  cluster = await startPostgres({ fsync: "off" }, { auth: "scram-sha-256" });
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
