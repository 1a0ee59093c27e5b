/**
 * `oplatomat hub start|migrate|demo|hash-password` (SPEC §9). bin/oplatomat.mjs sends `hub …` here, so
 * the hub and the kiosk never import each other; only the pure domain and the contracts are shared.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadHubConfig, HubConfigError } from "./config/load.ts";
import type { HubConfig } from "./config/types.ts";
import { startHub } from "./main.ts";
import { createHubLogger, type Logger } from "./ops/logger.ts";
import { explainDatabaseError, openHubDb } from "./store/db.ts";
import { migrate } from "./store/migrate.ts";
import { hashPassword } from "./staff/password.ts";

export const HUB_USAGE = `Usage: oplatomat hub <command> [options]

Commands:
  start [--config FILE] [--port N]   run the settlement hub
  migrate [--config FILE]            apply the database migrations and exit
  demo [--port N] [--data DIR] [--kind kiosk|desk]
                                     run the hub on an embedded database with a demo office (its device a
                                     kiosk or a cash desk); prints the address and a staff login
  hash-password                      hash a staff password read from standard input

The configuration is --config FILE, else OPLATOMAT_HUB_CONFIG, else OPLATOMAT_CONFIG.
Exit codes: 0 ok, 2 usage or configuration error, 69 the database refused the hub or cannot be reached.`;

/* Each command's own usage, as the kiosk's commands have theirs (SPEC §5: `--help` on every command). */

export const HUB_START_USAGE = `Usage: oplatomat hub start [--config FILE] [--port N]

Runs the settlement hub: the devices' ingest (POST /transactions, /transactions/{id}/reversal, /days,
/fleet/heartbeat), the staff API and the back-office page at /, and /health, /ready and /metrics.
Missing database migrations are applied first when the hub's role owns its tables; a read-and-write
role stops instead (exit 69: run oplatomat hub migrate as the owner). Stops on SIGINT or SIGTERM.

Options:
  --config FILE   the hub's configuration (OPLATOMAT_HUB_CONFIG, else OPLATOMAT_CONFIG, if absent)
  --port N        listen on N instead of server.port (0: any free port)
  -h, --help      this help

Logs JSON lines to standard output (service "oplatomat-hub"; docs/operations.md, "Logs").
Environment: OPLATOMAT_LOG_LEVEL (default info).
Exit codes: 0 ok, 2 usage or configuration error, 69 the database refused the hub or cannot be reached.`;

export const HUB_MIGRATE_USAGE = `Usage: oplatomat hub migrate [--config FILE]

Applies the database migrations the hub's database does not have yet, then exits; prints the ones
applied, or that the database is up to date. Run it as the owner of the hub's tables (with a
configuration of its own when the service's role only reads and writes: docs/hub.md), before
restarting the service after an upgrade.

Options:
  --config FILE   the hub's configuration (OPLATOMAT_HUB_CONFIG, else OPLATOMAT_CONFIG, if absent)
  -h, --help      this help

Exit codes: 0 ok, 2 usage or configuration error, 69 the database refused the hub or cannot be reached.`;

export const HUB_DEMO_USAGE = `Usage: oplatomat hub demo [--port N] [--data DIR] [--kind kiosk|desk]

Runs the hub on an embedded database with a demo office and one device; prints the address and a
staff login for the back-office page. No configuration file is read.

Options:
  --port N          listen on N (default 8090)
  --data DIR        the embedded database's directory (default: a new temporary directory)
  --kind kiosk|desk the demo device: a kiosk or a cash desk (default kiosk)
  -h, --help        this help

Logs JSON lines to standard error (service "oplatomat-hub"). Environment: OPLATOMAT_LOG_LEVEL (default info).
Stops on SIGINT or SIGTERM, and, started by another process with an IPC channel (as oplatomat demo
starts it), when that process ends, however it ends.`;

export const HUB_HASH_PASSWORD_USAGE = `Usage: oplatomat hub hash-password < FILE

Reads a staff password (at least 8 characters) from the first line of standard input and prints its
hash for a staff login's passwordHash in the hub's configuration. The password is never an argument,
so it stays out of the shell's history and the process list.

Options:
  -h, --help   this help

Exit codes: 0 ok, 2 a password shorter than 8 characters.`;

/** EX_UNAVAILABLE: the database refused the connection (password, grants) or is not there. */
const DATABASE_UNAVAILABLE = 69;

export interface HubCliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

const processIo: HubCliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
};

/** A usage error, printed with the usage of the command it was made to (the hub's, else). */
class UsageError extends Error {
  constructor(
    message: string,
    readonly usage = HUB_USAGE,
  ) {
    super(message);
  }
}

function args(argv: string[], options: Record<string, { type: "string" | "boolean" }>, usage: string) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
    }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw new UsageError((error as Error).message, usage);
  }
}

function port(value: string | boolean | undefined, usage: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw new UsageError(`--port ${String(value)}: expected 0–65535`, usage);
  return Number(value);
}

function config(flag: string | boolean | undefined, io: HubCliIo, usage: string): HubConfig {
  // SPEC §9 validates the hub's file "like §3", whose variable is OPLATOMAT_CONFIG: taken last, so a
  // machine that runs a kiosk beside the hub keeps the hub's own variable first.
  // A variable set but empty (`OPLATOMAT_HUB_CONFIG=` in a unit or a shell) names no file: the next one is read.
  const file =
    (typeof flag === "string" ? flag : undefined) ||
    io.env["OPLATOMAT_HUB_CONFIG"] ||
    io.env["OPLATOMAT_CONFIG"];
  if (!file)
    throw new UsageError(
      "no configuration: pass --config FILE or set OPLATOMAT_HUB_CONFIG (or OPLATOMAT_CONFIG)",
      usage,
    );
  return loadHubConfig(file, io.env);
}

/** How long a hub whose parent is gone gives its close before it exits anyway. */
const PARENT_GONE_CLOSE_MS = 10_000;

/**
 * Stops after closing the listener and the database: on SIGINT or SIGTERM (a second one while stopping
 * is ignored), and when the process that started this one with an IPC channel is gone. `oplatomat demo`
 * starts `hub demo` so (kiosk/demo-hub.ts): killed by SIGKILL it runs no handler, and its hub ran on,
 * holding its port and its embedded database's directory. The kernel closes the channel of a process
 * that dies however it dies, so 'disconnect' comes then, and the hub reads and writes nothing on it.
 */
function stopOnSignals(close: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, "stopping");
    close().finally(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  if (process.channel)
    process.once("disconnect", () => {
      stop("the parent process is gone");
      // Nobody is left to escalate, as `oplatomat demo` does after 10 s of a SIGTERM (kiosk/demo-hub.ts)
      // and systemd after its stop timeout: a close that hangs must not keep the port.
      setTimeout(() => process.exit(1), PARENT_GONE_CLOSE_MS).unref();
    });
}

async function start(argv: string[], io: HubCliIo): Promise<number> {
  const v = args(argv, { config: { type: "string" }, port: { type: "string" } }, HUB_START_USAGE);
  if (v["help"]) return help(io, HUB_START_USAGE);
  const c = config(v["config"], io, HUB_START_USAGE);
  const p = port(v["port"], HUB_START_USAGE);
  let started: Awaited<ReturnType<typeof startHub>>;
  const logger = createHubLogger({ level: io.env["OPLATOMAT_LOG_LEVEL"] ?? "info" });
  try {
    started = await startHub(c, {
      logger,
      ...(p !== undefined ? { port: p } : {}),
    });
  } catch (error) {
    return databaseFailure(c, error, io);
  }
  const { hub, url } = started;
  io.err(`oplatomat hub listening on ${url}\n`);
  stopOnSignals(() => hub.close(), logger);
  return 0;
}

async function runMigrate(argv: string[], io: HubCliIo): Promise<number> {
  const v = args(argv, { config: { type: "string" } }, HUB_MIGRATE_USAGE);
  if (v["help"]) return help(io, HUB_MIGRATE_USAGE);
  const c = config(v["config"], io, HUB_MIGRATE_USAGE);
  const db = await openHubDb(c.database);
  try {
    const applied = await migrate(db);
    io.out(applied.length ? `applied migrations ${applied.join(", ")}\n` : "the database is up to date\n");
  } catch (error) {
    return databaseFailure(c, error, io);
  } finally {
    await db.close();
  }
  return 0;
}

/** A database's refusal is told to the operator (exit 69); anything else is a bug and thrown on. */
function databaseFailure(c: HubConfig, error: unknown, io: HubCliIo): number {
  const text = explainDatabaseError(c.database, error);
  if (text === undefined) throw error;
  io.err(text);
  return DATABASE_UNAVAILABLE;
}

async function demo(argv: string[], io: HubCliIo): Promise<number> {
  const v = args(
    argv,
    { port: { type: "string" }, data: { type: "string" }, kind: { type: "string" } },
    HUB_DEMO_USAGE,
  );
  if (v["help"]) return help(io, HUB_DEMO_USAGE);
  const kind = v["kind"] ?? "kiosk";
  if (kind !== "kiosk" && kind !== "desk")
    throw new UsageError(`--kind ${String(kind)}: expected kiosk or desk`, HUB_DEMO_USAGE);
  const { demoHubConfig } = await import("./demo.ts");
  const data =
    typeof v["data"] === "string"
      ? path.resolve(v["data"])
      : fs.mkdtempSync(path.join(os.tmpdir(), "oplatomat-hub-"));
  const setup = await demoHubConfig(data, port(v["port"], HUB_DEMO_USAGE) ?? 8090, kind);
  // Its log goes to stderr: standard output is the announcement below, which `oplatomat demo` reads
  // (kiosk/demo-hub.ts) and whose child's stderr is the kiosk demo's `<log file>.hub`.
  const logger = createHubLogger({ level: io.env["OPLATOMAT_LOG_LEVEL"] ?? "info", destination: 2 });
  const { hub, url } = await startHub(setup.config, { logger });
  io.out(
    `oplatomat hub demo on ${url}\n  staff login: ${setup.login} / ${setup.password}\n  data: ${data}\n`,
  );
  stopOnSignals(() => hub.close(), logger);
  return 0;
}

async function hashPasswordCommand(argv: string[], io: HubCliIo): Promise<number> {
  const v = args(argv, {}, HUB_HASH_PASSWORD_USAGE);
  if (v["help"]) return help(io, HUB_HASH_PASSWORD_USAGE);
  let text = "";
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes("\n")) break;
  }
  const password = (text.split(/\r?\n/)[0] ?? "").trim();
  if (password.length < 8)
    throw new UsageError(
      "a password is at least 8 characters (read from standard input)",
      HUB_HASH_PASSWORD_USAGE,
    );
  io.out(`${await hashPassword(password)}\n`);
  return 0;
}

function help(io: HubCliIo, usage: string): number {
  io.out(`${usage}\n`);
  return 0;
}

const COMMANDS: Record<string, (argv: string[], io: HubCliIo) => Promise<number>> = {
  start,
  migrate: runMigrate,
  demo,
  "hash-password": hashPasswordCommand,
};

export async function runHubCli(argv: string[], io: HubCliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.err : io.out)(`${HUB_USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.err(`unknown hub command ${name}\n\n${HUB_USAGE}\n`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${error.usage}\n`);
      return 2;
    }
    if (error instanceof HubConfigError) {
      io.err(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
