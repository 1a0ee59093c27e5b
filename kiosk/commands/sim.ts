/** `oplatomat sim terminal|printer|scanner`: runs one device simulator; options belong to the simulator. */
import {
  CliExit,
  type CliIo,
  EXIT_OK,
  EXIT_USAGE,
  exitCodeOf,
  importCommand,
  usageError,
} from "./cli-kit.ts";

const SIMULATORS = {
  terminal: {
    load: () => import("../../devices/sim/zvt/cli.ts"),
    exportName: "runTerminalSimCli",
    usage: `Usage: oplatomat sim terminal (--tcp PORT | --pty LINKPATH) [--ack-lost commit|reverse]

A ZVT payment terminal simulator on a TCP port or one end of a pty (serial framing).`,
  },
  printer: {
    load: () => import("../../devices/sim/escpos-printer.ts"),
    exportName: "runPrinterSimCli",
    usage: `Usage: oplatomat sim printer (--tcp PORT | --pty PATH)

An ESC/POS receipt printer simulator on a TCP port or one end of an existing pty pair (make one with
socat first); prints what it receives as text.`,
  },
  scanner: {
    load: () => import("../../devices/sim/scanner.ts"),
    exportName: "runScannerSimCli",
    usage: `Usage: oplatomat sim scanner --pty PATH --code TEXT

A serial QR reader simulator: writes TEXT and the line terminator into a pty.`,
  },
} as const;

export const SIM_USAGE = `Usage: oplatomat sim <terminal|printer|scanner> [simulator options]

Runs one device simulator standalone, speaking the same bytes as the real device, until stopped.
Run oplatomat sim <device> --help for its options.`;

export async function runSimCommand(argv: string[], io: CliIo): Promise<number> {
  const [device, ...rest] = argv;
  if (device === undefined || device === "--help" || device === "-h") {
    io.out(`${SIM_USAGE}\n`);
    return device === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (!Object.hasOwn(SIMULATORS, device)) throw usageError(`unknown simulator ${device}`, SIM_USAGE);
  const sim = SIMULATORS[device as keyof typeof SIMULATORS];
  const wantsHelp = rest.includes("--help") || rest.includes("-h");
  let run: (...args: unknown[]) => unknown;
  try {
    run = await importCommand(sim.load, sim.exportName, `sim ${device}`);
  } catch (error) {
    // The simulator's own help is the full one; without the module, this summary still answers.
    if (!wantsHelp || !(error instanceof CliExit)) throw error;
    io.out(`${sim.usage}\n`);
    return EXIT_OK;
  }
  try {
    return exitCodeOf(await run(rest));
  } catch (error) {
    // Simulators reject bad arguments with a plain Error whose message carries their usage.
    throw new CliExit(EXIT_USAGE, error instanceof Error ? error.message : String(error));
  }
}
