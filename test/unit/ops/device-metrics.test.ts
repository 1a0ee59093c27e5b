import { describe, expect, it } from "vitest";
import {
  BaseDevice,
  type CodeScanner,
  type DeviceBaseEvents,
  type EventMap,
  type HealthResult,
  type KioskDevices,
  type KioskIo,
  type KioskIoEvents,
  type PaymentTerminal,
  type PrinterEvents,
  type PrinterStatus,
  type ReceiptPrinter,
  type ScannerEvents,
  type TerminalEvents,
} from "../../../devices/device.ts";
import { bindDeviceMetrics } from "../../../kiosk/ops/device-metrics.ts";
import { KioskMetrics } from "../../../kiosk/ops/metrics.ts";

/** Minimal devices on the real BaseDevice: only the events matter here, not the protocols. */
class Stub<E extends DeviceBaseEvents & EventMap<E>> extends BaseDevice<E> {
  kind = "terminal" as const;
  lastStatus: PrinterStatus = { online: true, paper: "ok", coverOpen: false, failure: false };
  doorOpen = false;
  async open(): Promise<void> {
    this.setState("idle");
  }
  async close(): Promise<void> {
    this.setState("closed");
  }
  async checkHealth(): Promise<HealthResult> {
    return { ok: true, state: this.state, message: "ok" };
  }
  fail(code: string): void {
    this.recordError(code, code);
    this.setState("error");
  }
  fire(event: string, ...args: unknown[]): void {
    (this.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);
  }
}

function devices() {
  const terminal = new Stub<TerminalEvents>("terminal");
  const printer = new Stub<PrinterEvents>("printer");
  const scanner = new Stub<ScannerEvents>("scanner");
  const gpio = new Stub<KioskIoEvents>("gpio");
  const set = {
    terminal: terminal as unknown as PaymentTerminal,
    printer: printer as unknown as ReceiptPrinter,
    scanner: scanner as unknown as CodeScanner,
    gpio: gpio as unknown as KioskIo,
  } satisfies KioskDevices;
  return { terminal, printer, scanner, gpio, set };
}

const value = (text: string, series: string): number | undefined => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe("device events to metrics", () => {
  it("follows device states, errors, paper and the door", async () => {
    const d = devices();
    const metrics = new KioskMetrics({ defaultMetrics: false });
    const detach = bindDeviceMetrics(d.set, metrics);
    expect(value(await metrics.text(), 'oplatomat_device_up{device="terminal"}')).toBe(0);
    await d.terminal.open();
    await d.printer.open();
    let text = await metrics.text();
    expect(value(text, 'oplatomat_device_up{device="terminal"}')).toBe(1);
    d.printer.fail("paper_out");
    d.printer.fire("status", { online: true, paper: "out", coverOpen: false, failure: false });
    d.gpio.fire("door", true);
    text = await metrics.text();
    expect(value(text, 'oplatomat_device_up{device="printer"}')).toBe(0);
    expect(value(text, 'oplatomat_device_errors_total{device="printer",code="paper_out"}')).toBe(1);
    expect(value(text, 'oplatomat_printer_paper{state="out"}')).toBe(1);
    expect(value(text, "oplatomat_door_open")).toBe(1);
    detach();
    d.gpio.fire("door", false);
    expect(value(await metrics.text(), "oplatomat_door_open")).toBe(1);
  });
});
