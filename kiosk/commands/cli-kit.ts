/**
 * What every `oplatomat` command shares: argument parsing with `--help`, exit codes, the config path
 * rule (`--config` or OPLATOMAT_CONFIG), and where the database lives under `--data`.
 */
import path from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config/load.ts";
import type { ParsedYamlCache } from "../config/parsed-yaml-cache.ts";
import type { KioskConfig } from "../config/types.ts";

/** 0 ok, 1 a verification failed, 2 usage or configuration error. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  now(): Date;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  now: () => new Date(),
};

/** Ends a command with an exit code and a message for standard error. */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = "CliExit";
  }
}

export function usageError(message: string, usage?: string): CliExit {
  return new CliExit(EXIT_USAGE, usage ? `${message}\n\n${usage}` : message);
}

type Options = NonNullable<ParseArgsConfig["options"]>;
const HELP = { help: { type: "boolean", short: "h" } } as const;

/** Strict `parseArgs` with `--help` added; unknown options and missing values become usage errors. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options: { ...options, ...HELP }, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error), usage);
  }
}

export const CONFIG_OPTIONS = {
  config: { type: "string", short: "c" },
  data: { type: "string" },
} as const;

/** `--config`, else OPLATOMAT_CONFIG, else undefined. */
export function configPathFrom(flag: string | undefined, io: CliIo): string | undefined {
  return flag ?? (io.env["OPLATOMAT_CONFIG"] || undefined);
}

/** Loads a configuration, turning its problems into a usage-class exit that names each path. */
export function loadConfigOrExit(file: string, io: CliIo, cache?: ParsedYamlCache): KioskConfig {
  try {
    return loadConfig(file, io.env, cache);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliExit(EXIT_USAGE, error.message);
    throw error;
  }
}

export function requireConfig(
  flag: string | undefined,
  io: CliIo,
  usage: string,
  cache?: ParsedYamlCache,
): { path: string; config: KioskConfig } {
  const file = configPathFrom(flag, io);
  if (!file) throw usageError("no configuration: pass --config FILE or set OPLATOMAT_CONFIG", usage);
  return { path: file, config: loadConfigOrExit(file, io, cache) };
}

/**
 * The database file, as kiosk/main.ts places it: an absolute `storage.path` as written; a relative one
 * by its file name inside `--data DIR` when given, else relative to the working directory.
 */
export function databasePath(config: KioskConfig, dataDir?: string): string {
  if (path.isAbsolute(config.storage.path)) return config.storage.path;
  if (dataDir) return path.resolve(dataDir, path.basename(config.storage.path));
  return path.resolve(config.storage.path);
}

/**
 * The daemon's data directory (its generated receipt key, parsed-configuration cache, reports), as
 * `oplatomat start` chooses it: `--data DIR`, else the directory of `storage.path`. A command given
 * only the kiosk's `--config` finds what a daemon started with only that `--config` wrote.
 */
export function dataDirectory(config: KioskConfig, dataDir?: string): string {
  return path.resolve(dataDir ?? path.dirname(config.storage.path));
}

export function rejectPositionals(positionals: string[], usage: string): void {
  if (positionals.length > 0) throw usageError(`unexpected argument ${positionals[0]}`, usage);
}

/**
 * Imports a command's implementation only when it runs, so a module that is missing (another part of
 * the kiosk not installed or not written yet) fails that one command clearly instead of the whole CLI.
 * `load` is a literal `import("…")`, so the release build (an esbuild bundle) finds and splits it.
 */
export async function importCommand(
  load: () => Promise<object>,
  exportName: string,
  command: string,
): Promise<(...args: unknown[]) => unknown> {
  let mod: Record<string, unknown>;
  try {
    mod = (await load()) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND")
      throw new CliExit(EXIT_USAGE, `oplatomat ${command} is not available: ${(error as Error).message}`);
    throw error;
  }
  const fn = mod[exportName];
  if (typeof fn !== "function") {
    throw new CliExit(
      EXIT_USAGE,
      `oplatomat ${command} is not available: its module does not export ${exportName}`,
    );
  }
  return fn as (...args: unknown[]) => unknown;
}

/** A delegated command's result: a number is its exit code; anything else means it succeeded. */
export function exitCodeOf(result: unknown): number {
  return typeof result === "number" && Number.isInteger(result) ? result : EXIT_OK;
}

/** `YYYY-MM-DD` naming a real day, else a usage error. */
export function dayOption(name: string, value: string | undefined, usage: string): string {
  if (value === undefined) throw usageError(`--${name} YYYY-MM-DD is required`, usage);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!date || date.toISOString().slice(0, 10) !== value) {
    throw usageError(`--${name} ${value}: expected a real day as YYYY-MM-DD`, usage);
  }
  return value;
}

export function portOption(value: string | undefined, usage: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw usageError(`--port ${value}: expected 0–65535`, usage);
  return Number(value);
}

export function enumOption<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  usage: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw usageError(`--${name} ${value}: expected one of ${allowed.join(", ")}`, usage);
  }
  return value as T;
}

/** A file option given as `--out ""` names no file: a usage error, not standard output. */
export function fileOption(name: string, value: string | undefined, usage: string): void {
  if (value === "") throw usageError(`--${name} needs a file name`, usage);
}
