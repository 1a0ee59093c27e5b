/** `oplatomat config check FILE`: validates a configuration and names every broken rule by its path. */
import { ConfigError, loadConfig } from "../config/load.ts";
import { configWarnings } from "../config/warnings.ts";
import {
  type CliIo,
  CONFIG_OPTIONS,
  configPathFrom,
  EXIT_OK,
  EXIT_USAGE,
  parseCommandArgs,
  usageError,
} from "./cli-kit.ts";

export const CONFIG_USAGE = `Usage: oplatomat config check FILE
       oplatomat config check [--config FILE] [--data DIR]

Validates a kiosk configuration against config/schema.json and the rules a schema cannot express
(NRB and NIP check digits, recipients that exist, price or variable amount, trusted keys, secret
files and environment variables). Prints "ok" (exit 0), or one "path: problem" line per broken
rule (exit 2). What is allowed but probably not meant (a heartbeat url without its path) is
printed as "warning: path: problem" beside "ok". The file is FILE, else --config FILE, else OPLATOMAT_CONFIG, as for oplatomat start.

Options:
  -c, --config FILE   the configuration to check (instead of FILE)
  --data DIR          accepted as oplatomat start takes it; not used
  -h, --help          this help`;

export async function runConfigCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") {
    io.out(`${CONFIG_USAGE}\n`);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (sub !== "check") throw usageError(`unknown config command ${sub}`, CONFIG_USAGE);
  const { values, positionals } = parseCommandArgs(rest, CONFIG_OPTIONS, CONFIG_USAGE);
  if (values.help) {
    io.out(`${CONFIG_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 1 || (positionals.length === 1 && values.config !== undefined)) {
    throw usageError("expected exactly one FILE (or --config FILE)", CONFIG_USAGE);
  }
  // SPEC §5: a command that reads the configuration takes --config as start does (and §3's
  // OPLATOMAT_CONFIG); the positional FILE of SPEC's table stays the first choice.
  const file = positionals[0] ?? configPathFrom(values.config, io);
  if (file === undefined) throw usageError("expected exactly one FILE (or --config FILE)", CONFIG_USAGE);
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(file, io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const p of error.problems) io.err(`${p.path || "/"}: ${p.message}\n`);
    return EXIT_USAGE;
  }
  for (const w of configWarnings(config)) io.err(`warning: ${w.path}: ${w.message}\n`);
  io.out("ok\n");
  return EXIT_OK;
}
