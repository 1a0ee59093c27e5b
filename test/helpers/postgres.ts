/**
 * A throwaway PostgreSQL cluster for the hub's tests: `initdb` as the `postgres` user into a temporary
 * directory, `pg_ctl start` on a free loopback port with its socket in that directory, one database per
 * caller, and everything stopped and removed afterwards. Debian's server binaries; no service needed.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "./free-port.ts";

export const PG_BIN = process.env["PG_BIN"] ?? "/usr/lib/postgresql/15/bin";

export interface PostgresCluster {
  port: number;
  /** The cluster's directory (data, socket, log). */
  dir: string;
  /** A new empty database; returns its URL. */
  createDatabase(name: string): Promise<string>;
  url(database: string): string;
  /** `pg_ctl stop -m immediate`: the primary is gone, as after a crash. */
  kill(): void;
  start(): void;
  stop(): void;
}

/** Runs a server binary as `postgres` (initdb refuses root). */
function asPostgres(binary: string, args: string[]): string {
  const file = path.join(PG_BIN, binary);
  const isRoot = process.getuid?.() === 0;
  const [cmd, argv] = isRoot ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, args];
  return execFileSync(cmd, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export interface ClusterOptions {
  /**
   * How TCP connections authenticate. `trust` (the default) lets anyone in as anyone, the harness's
   * shortcut. `scram-sha-256` is how an operator sets a server up: every `host` line of pg_hba.conf asks
   * for a password (the `postgres` superuser's is `SUPERUSER_PASSWORD`, and `url()` carries it); only
   * the cluster's own Unix socket, in its private directory, stays trusted.
   */
  auth?: "trust" | "scram-sha-256";
  /**
   * TLS on the server (`ssl = on`) with this certificate and key (PEM files; copied into the cluster's
   * directory, where the server's rules want the key: owned by `postgres`, mode 0600).
   */
  tls?: { cert: string; key: string };
}

/** The `postgres` superuser's password in a `scram-sha-256` cluster. */
export const SUPERUSER_PASSWORD = "superuser-of-the-test-cluster";

/** The server parameters of `ClusterOptions.tls`, its files copied where the server accepts them. */
function tlsSettings(dir: string, tls: ClusterOptions["tls"]): Record<string, string> {
  if (!tls) return {};
  const cert = path.join(dir, "server.crt");
  const key = path.join(dir, "server.key");
  fs.copyFileSync(tls.cert, cert);
  fs.copyFileSync(tls.key, key);
  fs.chmodSync(key, 0o600);
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", cert, key]);
  return { ssl: "on", ssl_cert_file: cert, ssl_key_file: key };
}

/** `settings`: extra server parameters (`-c name=value`), e.g. a bigger shared_buffers for the bench. */
export async function startPostgres(
  settings: Record<string, string> = {},
  options: ClusterOptions = {},
): Promise<PostgresCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oplatomat-pg-"));
  fs.chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", dir]);
  const data = path.join(dir, "data");
  const scram = options.auth === "scram-sha-256";
  const pwfile = path.join(dir, "superuser-password");
  if (scram) {
    fs.writeFileSync(pwfile, `${SUPERUSER_PASSWORD}\n`, { mode: 0o600 });
    if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", pwfile]);
  }
  asPostgres("initdb", [
    "-D",
    data,
    ...(scram ? ["--auth-local=trust", "--auth-host=scram-sha-256", `--pwfile=${pwfile}`] : ["-A", "trust"]),
    "-U",
    "postgres",
    "--no-sync",
    "-E",
    "UTF8",
    "--locale=C",
  ]);
  const port = await freePort();
  const extra = Object.entries({ shared_buffers: "64MB", ...tlsSettings(dir, options.tls), ...settings })
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(" ");
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 ${extra}`;
  const start = () => {
    asPostgres("pg_ctl", [
      "-D",
      data,
      "-o",
      serverOptions,
      "-l",
      path.join(dir, "log"),
      "-w",
      "-t",
      "60",
      "start",
    ]);
  };
  start();
  if (scram) fs.rmSync(pwfile, { force: true });
  const superuser = scram ? `postgres:${SUPERUSER_PASSWORD}` : "postgres";
  const url = (database: string) => `postgres://${superuser}@127.0.0.1:${port}/${database}`;
  let stopped = false;
  return {
    port,
    dir,
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url("postgres") });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    kill() {
      asPostgres("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    },
    start,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        asPostgres("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `sql` statement by statement through one connection to `url`; answers the last one's rows. */
export async function runSql(url: string, sql: string[]): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let rows: unknown[] = [];
    for (const statement of sql) rows = (await client.query(statement)).rows;
    return rows;
  } finally {
    await client.end();
  }
}
