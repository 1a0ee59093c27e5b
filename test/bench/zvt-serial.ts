/**
 * One ZVT authorization over a serial line paced like a 9600-baud 8N2 UART (socat ptys joined by a
 * relay that lets each byte through only after 11/9600 s; real `serialport` binding) against the
 * simulator with no intermediate delays: the measured exchange next to the wire time of its bytes.
 * The ratio is what the driver adds on top of the line (turnarounds, fixed sleeps, polling).
 */
import { performance } from "node:perf_hooks";
import { createPacedLine } from "../../devices/sim/paced-line.ts";
import { ZvtTerminalSimulator } from "../../devices/sim/zvt-terminal.ts";
import { ZvtTerminal } from "../../devices/terminal/zvt/driver.ts";
import { SerialTransport } from "../../devices/transport/serial.ts";

const BAUD = 9600;
/** ZVT's 8N2: start + 8 data + 2 stop bits a byte (SPEC §8). */
const BITS_PER_BYTE = 11;

export async function benchZvtSerial(): Promise<Array<{ name: string; value: number; unit: string }>> {
  const pair = await createPacedLine({ baudRate: BAUD, bitsPerByte: BITS_PER_BYTE });
  const sim = new ZvtTerminalSimulator({ intermediateDelayMs: 0 });
  const transport = new SerialTransport({ path: pair.pathA, baudRate: BAUD, stopBits: 2 });
  const driver = new ZvtTerminal({ transport, password: "000000", timeouts: { pollIntervalMs: 3_600_000 } });
  try {
    await sim.attachSerial(pair.pathB, BAUD);
    await driver.open();
    const deadline = Date.now() + 10_000;
    while (driver.state !== "idle") {
      if (Date.now() > deadline) throw new Error("terminal did not register");
      await new Promise((r) => setTimeout(r, 5));
    }
    const before = driver.wireBytes;
    const started = performance.now();
    const tx = await driver.authorize({ amount: 16000, persist: () => {} });
    const elapsed = performance.now() - started;
    if (tx.outcome !== "approved") throw new Error(`benchmark authorization ended ${tx.outcome}`);
    const after = driver.wireBytes;
    const bytes = after.written - before.written + (after.read - before.read);
    return [
      { name: "zvt_serial_auth_ms", value: Math.round(elapsed * 100) / 100, unit: "ms" },
      {
        name: "zvt_serial_wire_ms",
        value: Math.round(((bytes * BITS_PER_BYTE * 1000) / BAUD) * 100) / 100,
        unit: "ms",
      },
    ];
  } finally {
    await driver.close();
    await sim.stop();
    await pair.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await benchZvtSerial()) console.log(`${f.name} ${f.value} ${f.unit}`);
}
