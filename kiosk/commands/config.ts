/** `oplatomat config check FILE`: validates a configuration and names every broken rule by its path. */
import { ConfigError, loadConfig } from "../config/load.ts";
import { type CliIo, EXIT_OK, EXIT_USAGE, parseCommandArgs, usageError } from "./cli-kit.ts";

export const CONFIG_USAGE = `Usage: oplatomat config check FILE

Validates a kiosk configuration against config/schema.json and the rules a schema cannot express
(NRB and NIP check digits, recipients that exist, price or variable amount, trusted keys, secret
files and environment variables). Prints "ok" (exit 0), or one "path: problem" line per broken
rule (exit 2).

Options:
  -h, --help   this help`;

export async function runConfigCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") {
    io.out(`${CONFIG_USAGE}\n`);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (sub !== "check") throw usageError(`unknown config command ${sub}`, CONFIG_USAGE);
  const { values, positionals } = parseCommandArgs(rest, {}, CONFIG_USAGE);
  if (values.help) {
    io.out(`${CONFIG_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw usageError("expected exactly one FILE", CONFIG_USAGE);
  try {
    loadConfig(positionals[0]!, io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const p of error.problems) io.err(`${p.path || "/"}: ${p.message}\n`);
    return EXIT_USAGE;
  }
  io.out("ok\n");
  return EXIT_OK;
}
