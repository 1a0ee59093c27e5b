/**
 * IN-MEMORY FAKE, not a protocol simulator: a printer that keeps documents instead of printing
 * bytes. For flow unit tests and the `fake` protocol; `devices/sim/escpos-printer.ts` speaks ESC/POS.
 */
import {
  BaseDevice,
  type HealthResult,
  type PrintJob,
  PrintError,
  type PrinterEvents,
  type PrinterReadiness,
  type PrinterStatus,
  type ReceiptPrinter,
} from "../device.ts";
import { readinessOf } from "../printer/status.ts";

export class FakePrinter extends BaseDevice<PrinterEvents> implements ReceiptPrinter {
  readonly kind = "printer" as const;
  readonly printed: PrintJob[] = [];
  /** When set, the next jobs fail with this code. */
  failWith: PrintError["code"] | null = null;
  lastStatus: PrinterStatus = { online: true, paper: "ok", coverOpen: false, failure: false };

  constructor() {
    super("printer");
  }

  async open(): Promise<void> {
    this.setState("idle");
  }

  async close(): Promise<void> {
    this.setState("closed");
  }

  async checkHealth(): Promise<HealthResult> {
    return { ok: !this.failWith, state: this.state, message: "in-memory fake printer" };
  }

  async status(): Promise<PrinterStatus> {
    return this.lastStatus;
  }

  async readiness(): Promise<PrinterReadiness> {
    return readinessOf(this.lastStatus);
  }

  setStatus(status: Partial<PrinterStatus>): void {
    this.lastStatus = { ...this.lastStatus, ...status };
    this.emit("status", this.lastStatus);
  }

  async print(job: PrintJob): Promise<void> {
    if (this.failWith) {
      this.recordError(this.failWith, "fake printer failure");
      throw new PrintError("fake printer failure", this.failWith);
    }
    this.printed.push(job);
    this.count("receipts_printed");
  }
}
