/** The simulated kiosk I/O for tests and the demo: tests flip the door, the service key and the headphone jack. */
import type { HealthResult, LightMode, LightName } from "../device.ts";
import { KioskIoBase } from "./kiosk-io-base.ts";

export class SimKioskIo extends KioskIoBase {
  async open(): Promise<void> {
    this.setState("idle");
  }

  async close(): Promise<void> {
    this.setState("closed");
  }

  async checkHealth(): Promise<HealthResult> {
    return {
      ok: this.state === "idle",
      state: this.state,
      message: "simulated kiosk I/O",
      details: { doorOpen: this.doorOpen, serviceKeyTurned: this.serviceKeyTurned },
    };
  }

  setLight(light: LightName, mode: LightMode): void {
    this.lights.set(light, mode);
  }

  setDoor(open: boolean): void {
    this.changeDoor(open);
  }

  setServiceKey(turned: boolean): void {
    this.changeServiceKey(turned);
  }

  /** As if a visitor plugged headphones into the jack (or pulled them out). */
  setHeadphones(plugged: boolean): void {
    this.changeHeadphones(plugged);
  }
}
