/** `oplatomat service hash-pin`: the scrypt hash of a technician PIN for `service.pinHash`. */
import { hashPinCli } from "../auth/pin-hash.ts";
import { type CliIo, EXIT_OK, EXIT_USAGE } from "./cli-kit.ts";

export const SERVICE_USAGE = `Usage: echo PIN | oplatomat service hash-pin

Reads a 6–12 digit PIN from the first line of standard input (never from the command line, so it
stays out of shell history and the process list) and prints the line for service.pinHash.`;

export async function runServiceCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "--help" || sub === "-h" || rest.includes("--help") || rest.includes("-h")) {
    io.out(`${SERVICE_USAGE}\n`);
    return EXIT_OK;
  }
  if (sub !== "hash-pin" || rest.length > 0) {
    io.err(`${SERVICE_USAGE}\n`);
    return EXIT_USAGE;
  }
  return hashPinCli(process.stdin, { write: (t: string) => io.out(t) }, { write: (t: string) => io.err(t) });
}
