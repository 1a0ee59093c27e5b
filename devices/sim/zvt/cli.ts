/** `oplatomat sim terminal --tcp PORT | --pty LINKPATH [--profile NAME] [--ack-lost commit|reverse] [--delay MS]`. */
import path from "node:path";
import { createPtyPair, type PtyPair } from "../pty-pair.ts";
import { ZvtTerminalSimulator } from "../zvt-terminal.ts";
import { isTerminalProfileName, TERMINAL_CONDITION_NAMES, TERMINAL_PROFILE_NAMES } from "./profiles.ts";

export const TERMINAL_SIM_USAGE = `usage: oplatomat sim terminal (--tcp PORT | --pty LINKPATH) [options]

A ZVT payment terminal simulator. Amounts ending in 51 grosze are declined, in 52 the customer aborts.
  --tcp PORT            serve ZVT over TCP on 127.0.0.1:PORT (0 = any free port)
  --pty LINKPATH        create a pty pair; the kiosk opens LINKPATH as its serial device
  --host HOST           TCP listen address (default 127.0.0.1)
  --password DIGITS     terminal password (default 000000)
  --ack-lost MODE       commit | reverse: fate of a payment whose 04 0F was not acknowledged (default reverse)
  --delay MS            pause before each intermediate status (default 400)
  --vending             report vending-machine mode (84 9C handshake)
  --profile NAME        behave like a kind of real terminal (default repeats-last-receipt):
                        ${TERMINAL_PROFILE_NAMES.join(", ")};
                        or starting out asking for a command: ${TERMINAL_CONDITION_NAMES.join(", ")}
  --help                this text`;

export interface RunningTerminalSim {
  simulator: ZvtTerminalSimulator;
  /** `tcp://host:port` or the pty link path. */
  address: string;
  stop(): Promise<void>;
}

function take(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const value = argv[i + 1];
  if (value === undefined || value.startsWith("--")) throw new Error(`${name} needs a value`);
  return value;
}

/** Starts the simulator as the arguments say; resolves once it listens. Throws with usage on bad arguments. */
export async function runTerminalSimCli(
  argv: string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<RunningTerminalSim | undefined> {
  if (argv.includes("--help") || argv.includes("-h")) {
    out(TERMINAL_SIM_USAGE);
    return undefined;
  }
  const tcp = take(argv, "--tcp");
  const pty = take(argv, "--pty");
  if ((tcp === undefined) === (pty === undefined))
    throw new Error(`give exactly one of --tcp or --pty\n${TERMINAL_SIM_USAGE}`);
  const ackLost = take(argv, "--ack-lost") ?? "reverse";
  if (ackLost !== "commit" && ackLost !== "reverse") throw new Error("--ack-lost is commit or reverse");
  const delay = Number(take(argv, "--delay") ?? "400");
  if (!Number.isInteger(delay) || delay < 0) throw new Error("--delay is a whole number of milliseconds");
  const password = take(argv, "--password") ?? "000000";
  if (!/^[0-9]{6}$/.test(password)) throw new Error("--password is six digits");
  const profile = take(argv, "--profile") ?? "repeats-last-receipt";
  if (!isTerminalProfileName(profile))
    throw new Error(
      `--profile is one of ${[...TERMINAL_PROFILE_NAMES, ...TERMINAL_CONDITION_NAMES].join(", ")}`,
    );
  const simulator = new ZvtTerminalSimulator({
    profile,
    password,
    ackLostBehaviour: ackLost,
    intermediateDelayMs: delay,
    vendingMode: argv.includes("--vending"),
  });
  if (tcp !== undefined) {
    const port = Number(tcp);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error("--tcp needs a port number");
    const host = take(argv, "--host") ?? "127.0.0.1";
    const actual = await simulator.listenTcp(port, host);
    const address = `tcp://${host}:${actual}`;
    out(`ZVT terminal simulator listening on ${address}`);
    out(`profile: ${profile}`);
    return { simulator, address, stop: () => simulator.stop() };
  }
  const link = path.resolve(pty!);
  let pair: PtyPair | undefined;
  try {
    pair = await createPtyPair({
      dir: path.dirname(link),
      nameA: path.basename(link),
      nameB: `.${path.basename(link)}.sim`,
    });
    await simulator.attachSerial(pair.pathB);
  } catch (error) {
    await pair?.close();
    throw error;
  }
  out(`ZVT terminal simulator on serial ${link} (9600 8N2)`);
  out(`profile: ${profile}`);
  const opened = pair;
  return {
    simulator,
    address: link,
    stop: async () => {
      await simulator.stop();
      await opened.close();
    },
  };
}
