/**
 * A QR reader in serial (USB CDC) mode: each code ends with a terminator. The port is configured by a
 * stable name (/dev/serial/by-id/…); the transport reopens that same name after an unplug, so the
 * reader comes back even when the kernel hands it a different /dev/ttyACMn.
 */
import type { HealthResult } from "../device.ts";
import type { ByteTransport, DeviceLogger } from "../transport/transport.ts";
import { silentLogger } from "../transport/transport.ts";
import { ArmedScanner } from "./armed-scanner.ts";
import { LineSplitter } from "./lines.ts";

/** `/dev/ttyUSB0`-style names change with plug order; stable names live under /dev/serial/by-id. */
export function isUnstableSerialName(path: string): boolean {
  return /^\/dev\/tty(USB|ACM)\d+$/.test(path);
}

export class SerialScanner extends ArmedScanner {
  private readonly lines = new LineSplitter();
  private opened = false;

  constructor(
    private readonly transport: ByteTransport,
    private readonly log: DeviceLogger = silentLogger,
    name = "scanner",
  ) {
    super(name);
    transport.on("data", (chunk) => {
      for (const code of this.lines.push(chunk)) this.deliver(code);
    });
    transport.on("open", () => {
      this.lines.reset();
      this.setState("idle");
    });
    transport.on("close", (error) => {
      if (!this.opened) return;
      this.lines.reset();
      this.count("disconnects");
      if (error) this.recordError("offline", `scanner lost: ${error.message}`);
      this.setState("offline");
    });
  }

  async open(): Promise<void> {
    this.opened = true;
    this.setState("offline");
    try {
      await this.transport.open();
    } catch (error) {
      this.log.warn({ err: error instanceof Error ? error.message : String(error) }, "scanner absent");
      this.recordError("offline", "scanner absent; waiting for it");
    }
  }

  async close(): Promise<void> {
    this.opened = false;
    await this.transport.close();
    this.setState("closed");
  }

  async checkHealth(): Promise<HealthResult> {
    const ok = this.state === "idle";
    return {
      ok,
      state: this.state,
      message: ok ? "serial reader connected" : "serial reader missing",
      details: { transport: this.transport.description, armed: this.armed },
    };
  }
}
