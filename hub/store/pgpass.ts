/**
 * The password of a PostgreSQL connection from a password file, as libpq reads `~/.pgpass`
 * (https://www.postgresql.org/docs/current/libpq-pgpass.html): `PGPASSFILE` or `~/.pgpass`, one
 * `host:port:database:user:password` a line, `*` matching anything, `\:` and `\\` escaped, the first
 * matching line wins, and a file readable by group or others is not used.
 *
 * The hub reads it itself because the `pg` driver's own reading is deprecated: it prints a
 * DeprecationWarning into the operator's log at every start (docs/hub.md keeps the password there).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface PasswordTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** The password file libpq would read, given the environment. */
export function passwordFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env["PGPASSFILE"] ?? path.join(env["HOME"] ?? os.homedir(), ".pgpass");
}

/** One line's five fields, unescaped; undefined for a comment, a blank or a malformed line. */
export function parsePasswordLine(line: string): string[] | undefined {
  if (line.startsWith("#") || line.trim() === "") return undefined;
  const fields: string[] = [];
  let field = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\" && i + 1 < line.length) {
      field += line[++i];
    } else if (c === ":" && fields.length < 4) {
      fields.push(field);
      field = "";
    } else {
      field += c;
    }
  }
  fields.push(field);
  return fields.length === 5 ? fields : undefined;
}

function matches(pattern: string, value: string): boolean {
  return pattern === "*" || pattern === value;
}

/** The first line of `text` naming `target`'s password, or undefined. */
export function findPassword(text: string, target: PasswordTarget): string | undefined {
  const wanted = [target.host, String(target.port), target.database, target.user];
  for (const line of text.split(/\r?\n/)) {
    const fields = parsePasswordLine(line);
    if (fields && wanted.every((value, i) => matches(fields[i] ?? "", value))) return fields[4];
  }
  return undefined;
}

/**
 * The password for `target` from the password file, or undefined when there is none, it is not a
 * regular file, it may be read by group or others (libpq's rule: u=rw or less), or no line matches.
 */
export function passwordFromFile(
  target: PasswordTarget,
  file: string = passwordFilePath(),
): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }
  if (!stat.isFile() || (stat.mode & 0o077) !== 0) return undefined;
  return findPassword(fs.readFileSync(file, "utf8"), target);
}
