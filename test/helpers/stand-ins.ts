/**
 * TEST STAND-INS for the scanner and the kiosk I/O, for flow tests that do not exercise them:
 * in-memory, no bytes. The real drivers and their simulators are tested under test/integration.
 */
import {
  BaseDevice,
  type CodeScanner,
  type HealthResult,
  type KioskIo,
  type KioskIoEvents,
  type LightMode,
  type LightName,
  type ScannerEvents,
} from "../../devices/device.ts";

export class StandInScanner extends BaseDevice<ScannerEvents> implements CodeScanner {
  readonly kind = "scanner" as const;
  armed = false;
  constructor() {
    super("scanner");
  }
  arm(): void {
    this.armed = true;
  }
  disarm(): void {
    this.armed = false;
  }
  /** A code as the reader would deliver it: only while armed, then disarmed. */
  read(code: string): void {
    if (!this.armed) {
      this.count("stray_codes");
      this.emit("stray", code);
      return;
    }
    this.armed = false;
    this.emit("data", code);
  }
  async open(): Promise<void> {
    this.setState("idle");
  }
  async close(): Promise<void> {
    this.setState("closed");
  }
  async checkHealth(): Promise<HealthResult> {
    return { ok: true, state: this.state, message: "test stand-in scanner" };
  }
}

export class StandInIo extends BaseDevice<KioskIoEvents> implements KioskIo {
  readonly kind = "gpio" as const;
  doorOpen = false;
  serviceKeyTurned = false;
  headphonesPlugged = false;
  readonly lights = new Map<LightName, LightMode>();
  constructor() {
    super("gpio");
  }
  setLight(light: LightName, mode: LightMode): void {
    this.lights.set(light, mode);
  }
  setDoor(open: boolean): void {
    this.doorOpen = open;
    this.emit("door", open);
  }
  async open(): Promise<void> {
    this.setState("idle");
  }
  async close(): Promise<void> {
    this.setState("closed");
  }
  async checkHealth(): Promise<HealthResult> {
    return { ok: true, state: this.state, message: "test stand-in I/O" };
  }
}
