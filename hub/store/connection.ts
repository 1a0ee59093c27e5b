/**
 * How the hub's `database.url` becomes the `pg` driver's connection settings (parsed by the driver's
 * own `pg-connection-string`). Two things differ from handing the driver the URL as it is:
 * - `sslmode=prefer|require|verify-ca` verify the server's certificate and name as `verify-full` does.
 *   The driver treats them so today, and prints a SECURITY WARNING at every start that its next major
 *   version will stop verifying; the hub keeps verifying and says so in docs/hub.md. A ledger of public
 *   money is not read over a connection anyone in between could answer. `uselibpqcompat=true` in the
 *   URL is the operator's explicit choice of libpq's meanings and is left alone.
 * - With no password in the URL and no `PGPASSWORD`, the password comes from the password file
 *   (`pgpass.ts`), read by the hub: the driver's own reader is deprecated and says so on stderr.
 */
import os from "node:os";
import type pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { type PasswordTarget, passwordFilePath, passwordFromFile } from "./pgpass.ts";

const VERIFIED_ALIASES = new Set(["prefer", "require", "verify-ca"]);

/** `url` with the sslmodes that verify spelled as `verify-full`; an unparsable URL as it is. */
function verifiedModes(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const params = parsed.searchParams;
  const mode = params.get("sslmode");
  if (!mode || !VERIFIED_ALIASES.has(mode) || params.get("uselibpqcompat") === "true") return url;
  params.set("sslmode", "verify-full");
  return parsed.toString();
}

/** Whom the settings connect as, with the driver's and libpq's environment defaults. */
function passwordTarget(config: pg.ClientConfig, env: NodeJS.ProcessEnv): PasswordTarget {
  const host = config.host || env["PGHOST"] || "localhost";
  const user = config.user || env["PGUSER"] || os.userInfo().username;
  return {
    // libpq looks a Unix socket's connection up as host `localhost`.
    host: host.startsWith("/") ? "localhost" : host,
    port: Number(config.port || env["PGPORT"] || 5432),
    database: config.database || env["PGDATABASE"] || user,
    user,
  };
}

export function connectionSettings(url: string, env: NodeJS.ProcessEnv = process.env): pg.ClientConfig {
  const config = { ...parseIntoClientConfig(verifiedModes(url)) };
  if (config.password || env["PGPASSWORD"] !== undefined) return config;
  const target = passwordTarget(config, env);
  const file = passwordFilePath(env);
  // Read at each connection, as libpq does, so a changed file needs no restart. No line: the driver
  // takes undefined as "no password" (its types say string only) and the server's refusal follows,
  // which `missingPasswordAdvice` explains. Throwing here instead leaves the driver's socket open.
  config.password = (() => passwordFromFile(target, file)) as () => string;
  return config;
}

/** Why no password was given for `url`, for an operator: where the hub looked. */
export function missingPasswordAdvice(url: string, env: NodeJS.ProcessEnv = process.env): string {
  const target = passwordTarget(parseIntoClientConfig(verifiedModes(url)), env);
  return `no password was given: none in database.url, PGPASSWORD is not set, and ${passwordFilePath(env)} has no line for ${target.host}:${target.port}:${target.database}:${target.user} (or is missing, or may be read by group or others: it must be mode 0600); put the password there (docs/hub.md)`;
}
