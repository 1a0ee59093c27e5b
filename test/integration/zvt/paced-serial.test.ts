/**
 * The ZVT driver over a serial line paced like a 9600-baud 8N2 UART (socat ptys joined by a relay that
 * lets each byte through only after its 11/9600 s): a bare pty delivers a whole frame at once, which
 * hides a driver that expects an ACK sooner than the wire can bring it.
 */
import { SerialPort } from "serialport";
import { afterEach, describe, expect, it } from "vitest";
import { createPacedLine, type PacedLine } from "../../../devices/sim/paced-line.ts";
import { ZvtTerminalSimulator } from "../../../devices/sim/zvt-terminal.ts";
import { ZvtTerminal } from "../../../devices/terminal/zvt/driver.ts";
import { SerialTransport } from "../../../devices/transport/serial.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function pacedLine(): Promise<PacedLine> {
  const line = await createPacedLine({ baudRate: 9600, bitsPerByte: 11 });
  cleanups.push(() => line.close());
  return line;
}

function openPort(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  cleanups.push(() => new Promise<void>((r) => (port.isOpen ? port.close(() => r()) : r())));
  return new Promise((resolve, reject) => port.open((e) => (e ? reject(e) : resolve(port))));
}

describe("a paced 9600-baud 8N2 serial line", () => {
  it("carries bytes in order, no faster than the wire", async () => {
    const line = await pacedLine();
    const [a, b] = await Promise.all([openPort(line.pathA), openPort(line.pathB)]);
    const sent = Buffer.from(Array.from({ length: 200 }, (_, i) => i));
    const got: Buffer[] = [];
    const started = performance.now();
    const arrived = new Promise<number>((resolve) => {
      b.on("data", (chunk: Buffer) => {
        got.push(chunk);
        if (Buffer.concat(got).length >= sent.length) resolve(performance.now() - started);
      });
    });
    a.write(sent);
    const elapsed = await arrived;
    expect(Buffer.concat(got)).toEqual(sent);
    // A lower bound only: a loaded machine may be slower, never faster than 200 × 11/9600 s.
    expect(elapsed).toBeGreaterThanOrEqual(200 * line.byteMs - 1);
  });

  it("takes a card payment end to end through the driver and the simulator", async () => {
    const line = await pacedLine();
    const sim = new ZvtTerminalSimulator({ intermediateDelayMs: 0 });
    cleanups.push(() => sim.stop());
    await sim.attachSerial(line.pathB, 9600);
    const transport = new SerialTransport({ path: line.pathA, baudRate: 9600, stopBits: 2 });
    const driver = new ZvtTerminal({
      transport,
      password: "000000",
      timeouts: { pollIntervalMs: 3_600_000 },
    });
    cleanups.push(() => driver.close());
    await driver.open();
    const deadline = Date.now() + 15_000;
    while (driver.state !== "idle" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(driver.state).toBe("idle");
    const persisted: number[] = [];
    const tx = await driver.authorize({ amount: 16_000, persist: (t) => void persisted.push(t.amount ?? 0) });
    expect(tx.outcome).toBe("approved");
    expect(tx.amount).toBe(16_000);
    expect(persisted).toEqual([16_000]);
    expect(sim.turnover().map((t) => t.amount)).toEqual([16_000]);
  });
});
