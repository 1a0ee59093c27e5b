/**
 * The keyboard-wedge reader: the scanner types into the kiosk browser, whose UI recognises a fast key
 * burst ending in Enter and posts it to /api/scan. Nothing reaches the daemon through this device;
 * it exists so the flow and the health checks see a scanner like any other.
 */
import type { HealthResult } from "../device.ts";
import { ArmedScanner } from "./armed-scanner.ts";

export class KeyboardWedgeScanner extends ArmedScanner {
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
      message: "keyboard wedge: codes arrive through the kiosk UI (/api/scan)",
    };
  }
}
