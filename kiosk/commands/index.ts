/** Dispatches `oplatomat <command>` to its module; every failure becomes an exit code and a message. */
import { CliExit, type CliIo, EXIT_OK, EXIT_USAGE, processIo } from "./cli-kit.ts";

export const MAIN_USAGE = `Usage: oplatomat <command> [options]

Commands:
  start                   run the kiosk daemon
  demo                    run the daemon with the demo office and simulated devices
  keys generate           write an Ed25519 key pair
  keys export-receipt-key print the kiosk's receipt public key (PEM)
  slip issue              sign an OPL1 payment slip
  slip verify             decode and check an OPL1 payload
  receipt verify          decode and check an OPLR1 receipt code
  config check            validate a configuration file
  report settlement       the day's settlement report
  report payouts          the day's Elixir-O transfer file
  export payments         the accounting export
  outbox list|requeue     messages to the office systems; put parked ones back in line
  backup restore          restore the database from a backup copy (daemon stopped)
  sim terminal|printer|scanner   run one device simulator
  service hash-pin        hash a technician PIN (read from standard input)
  hub start|migrate|demo  the settlement hub (oplatomat hub --help)

Run oplatomat <command> --help for a command's options.
Exit codes: 0 ok, 1 a verification failed, 2 usage or configuration error.`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

/** Loaded on use: a command starts without compiling the others (the SQLite binding, ajv, qrcode). */
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import("./daemon.ts")).runStartCommand,
  demo: async () => (await import("./daemon.ts")).runDemoCommand,
  keys: async () => (await import("./keys.ts")).runKeysCommand,
  slip: async () => (await import("./slip.ts")).runSlipCommand,
  receipt: async () => (await import("./receipt.ts")).runReceiptCommand,
  config: async () => (await import("./config.ts")).runConfigCommand,
  report: async () => (await import("./reports.ts")).runReportCommand,
  export: async () => (await import("./reports.ts")).runExportCommand,
  outbox: async () => (await import("./outbox.ts")).runOutboxCommand,
  backup: async () => (await import("./backup.ts")).runBackupCommand,
  sim: async () => (await import("./sim.ts")).runSimCommand,
  service: async () => (await import("./service.ts")).runServiceCommand,
};

export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(`${MAIN_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    io.out(`${MAIN_USAGE}\n`);
    return EXIT_OK;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.err(`unknown command ${name}\n\n${MAIN_USAGE}\n`);
    return EXIT_USAGE;
  }
  try {
    const command = await load();
    return await command(rest, io);
  } catch (error) {
    if (error instanceof CliExit) {
      io.err(`${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
