/**
 * The relay inside a paced serial line (`paced-line.ts`), run as its own process so that its timers
 * are not held up by the driver or the simulator it carries bytes between. It opens the two inner pty
 * ends and lets each byte through, in each direction, only once the line would have carried it: one
 * byte every `byteMicros` µs (11/9600 s at 9600 baud 8N2), queued behind the bytes before it, as a
 * UART does (`paced-direction.ts`).
 *
 *   node paced-relay.(ts|js) <ptyA> <ptyB> <byteMicros>      prints READY once both are open
 */
import { SerialPort } from "serialport";
import { PacedDirection } from "./paced-direction.ts";

function open(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
    port.open((error) => (error ? reject(error) : resolve(port)));
  });
}

async function main(argv: string[]): Promise<void> {
  const [pathA, pathB, micros] = argv;
  const byteMs = Number(micros) / 1000;
  if (!pathA || !pathB || !(byteMs > 0)) throw new Error("usage: paced-relay PTY_A PTY_B BYTE_MICROS");
  const [a, b] = await Promise.all([open(pathA), open(pathB)]);
  const toB = new PacedDirection(byteMs, (bytes) => b.write(bytes));
  const toA = new PacedDirection(byteMs, (bytes) => a.write(bytes));
  a.on("data", (chunk: Buffer) => toB.push(chunk));
  b.on("data", (chunk: Buffer) => toA.push(chunk));
  // socat going away (an unplug of the line) ends the relay too.
  for (const port of [a, b]) port.on("close", () => process.exit(0));
  process.stdout.write("READY\n");
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`paced-relay: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
