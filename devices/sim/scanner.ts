/**
 * QR reader simulators. `SerialScannerSim` sits on the device end of a pty pair and "scans" by
 * writing a code and its terminator, as a reader in USB CDC mode does. `hidPosReports` (re-exported)
 * builds the input reports a HID-POS reader sends, split across reports like a real long QR code,
 * for replay through the driver's own parser: virtual HID (uhid) is not available on these machines.
 */
import { SerialPort } from "serialport";

export { hidPosReports } from "../scanner/hid-pos.ts";

export class SerialScannerSim {
  private port: SerialPort | undefined;

  constructor(
    readonly path: string,
    private readonly terminator = "\r\n",
  ) {}

  async open(): Promise<void> {
    const port = new SerialPort({ path: this.path, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on("error", () => {});
    // Keep a read pending so the port notices when the pty goes away.
    port.on("data", () => {});
    this.port = port;
  }

  /** Writes one code and the terminator; `pieces` > 1 sends it in several writes, as USB may. */
  async scan(code: string, pieces = 1): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) throw new Error("scanner simulator is not open");
    const bytes = Buffer.from(code + this.terminator, "utf8");
    const size = Math.ceil(bytes.length / pieces);
    for (let i = 0; i < bytes.length; i += size) {
      await new Promise<void>((resolve, reject) =>
        port.write(bytes.subarray(i, i + size), (err) => (err ? reject(err) : resolve())),
      );
      await new Promise<void>((resolve, reject) => port.drain((err) => (err ? reject(err) : resolve())));
    }
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}

function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** `oplatomat sim scanner --pty PATH --code TEXT [--terminator cr|lf|crlf]`: scans one code. */
export async function runScannerSimCli(argv: string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(
      "usage: oplatomat sim scanner --pty PATH --code TEXT [--terminator cr|lf|crlf]\n" +
        "  Writes one code into the device end of a pty, as a serial QR reader does.\n",
    );
    return;
  }
  const path = argValue(argv, "--pty");
  const code = argValue(argv, "--code");
  if (!path || code === undefined) throw new Error("sim scanner: give --pty PATH and --code TEXT");
  const terminator = { cr: "\r", lf: "\n", crlf: "\r\n" }[argValue(argv, "--terminator") ?? "crlf"] ?? "\r\n";
  const sim = new SerialScannerSim(path, terminator);
  await sim.open();
  try {
    await sim.scan(code);
  } finally {
    await sim.close();
  }
}
