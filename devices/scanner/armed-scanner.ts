/**
 * What every reader shares (UnifiedPOS DataEventEnabled with AutoDisable): a code is delivered only
 * while armed, and delivering it disarms the reader; a code read while disarmed is a stray — counted,
 * emitted as `stray`, and otherwise ignored.
 */
import { BaseDevice, type CodeScanner, type ScannerEvents } from "../device.ts";

export abstract class ArmedScanner extends BaseDevice<ScannerEvents> implements CodeScanner {
  readonly kind = "scanner" as const;
  private isArmed = false;

  get armed(): boolean {
    return this.isArmed;
  }

  arm(): void {
    this.isArmed = true;
  }

  disarm(): void {
    this.isArmed = false;
  }

  /** Called by the concrete reader with each complete code. */
  protected deliver(code: string): void {
    this.count("codes_read");
    if (this.isArmed) {
      this.isArmed = false;
      this.count("codes_delivered");
      this.emit("data", code);
    } else {
      this.count("stray_codes");
      this.emit("stray", code);
    }
  }
}
