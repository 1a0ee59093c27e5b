/** `oplatomat start` and `oplatomat demo`: thin wrappers; the daemon itself is kiosk/daemon.ts (around kiosk/main.ts) and kiosk/demo.ts. */
import { parsedYamlCacheIn } from "../config/parsed-yaml-cache.ts";
import type { KioskConfig } from "../config/types.ts";
import {
  type CliIo,
  CONFIG_OPTIONS,
  EXIT_OK,
  exitCodeOf,
  importCommand,
  parseCommandArgs,
  portOption,
  rejectPositionals,
  requireConfig,
} from "./cli-kit.ts";

/** What `runStart` in kiosk/daemon.ts receives (its `StartOptions`). The file was validated once already. */
export interface StartCommandOptions {
  /** Path of the configuration file. */
  config: string;
  /** That file as validated here, so the daemon does not read and validate it a second time. */
  loaded: KioskConfig;
  /** Overrides `server.port`. */
  port?: number;
  /** Directory of the database and other state. */
  data?: string;
}

/** What `runDemo` in kiosk/demo.ts receives. */
export interface DemoCommandOptions {
  port?: number;
  data?: string;
  attended?: boolean;
}

export const START_USAGE = `Usage: oplatomat start [--config FILE] [--port N] [--data DIR]

Runs the kiosk daemon.

Options:
  -c, --config FILE   kiosk configuration (OPLATOMAT_CONFIG if absent)
  --port N            overrides server.port
  --data DIR          directory of the database and other state
  -h, --help          this help`;

export const DEMO_USAGE = `Usage: oplatomat demo [--port N] [--data DIR] [--attended]

Runs the daemon with the demo office (config/demo.yaml), simulated terminal, printer and scanner,
fake office-system and settlement servers, and prints the UI address and a few valid sample slips.

Options:
  --port N     port of the UI and API (default from config/demo.yaml)
  --data DIR   directory of the demo's database and other state
  --attended   an office cash desk (kiosk.mode attended) with two sample cashiers, PINs printed
  -h, --help   this help`;

export async function runStartCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...CONFIG_OPTIONS, port: { type: "string" } },
    START_USAGE,
  );
  if (values.help) {
    io.out(`${START_USAGE}\n`);
    return EXIT_OK;
  }
  rejectPositionals(positionals, START_USAGE);
  const port = portOption(values.port, START_USAGE);
  // Validated here so a broken file is reported before the daemon's modules load.
  // With --data, the configuration's parsed YAML is kept there for the next start (issue 17).
  const cache = values.data ? parsedYamlCacheIn(values.data) : undefined;
  const { path, config } = requireConfig(values.config, io, START_USAGE, cache);
  const runStart = await importCommand(() => import("../daemon.ts"), "runStart", "start");
  const options: StartCommandOptions = { config: path, loaded: config };
  if (port !== undefined) options.port = port;
  if (values.data) options.data = values.data;
  return exitCodeOf(await runStart(options));
}

export async function runDemoCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { port: { type: "string" }, data: { type: "string" }, attended: { type: "boolean" } },
    DEMO_USAGE,
  );
  if (values.help) {
    io.out(`${DEMO_USAGE}\n`);
    return EXIT_OK;
  }
  rejectPositionals(positionals, DEMO_USAGE);
  const port = portOption(values.port, DEMO_USAGE);
  const runDemo = await importCommand(() => import("../demo.ts"), "runDemo", "demo");
  const options: DemoCommandOptions = {};
  if (port !== undefined) options.port = port;
  if (values.data) options.data = values.data;
  if (values.attended) options.attended = true;
  return exitCodeOf(await runDemo(options));
}
