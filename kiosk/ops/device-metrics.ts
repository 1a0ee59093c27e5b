/**
 * Connects the devices' events to the metrics: state → oplatomat_device_up, error →
 * oplatomat_device_errors_total, printer status → oplatomat_printer_paper, door → oplatomat_door_open.
 * Call once after the devices are constructed; the returned function detaches the listeners.
 */
import type { DeviceState, KioskDevices, PrinterStatus } from "../../devices/device.ts";
import type { KioskMetrics } from "./metrics.ts";

const isUp = (state: DeviceState): boolean => state === "idle" || state === "busy";

export function bindDeviceMetrics(devices: KioskDevices, metrics: KioskMetrics): () => void {
  const detach: Array<() => void> = [];
  for (const device of [devices.terminal, devices.printer, devices.scanner, devices.gpio]) {
    metrics.deviceState(device.name, isUp(device.state));
    const onState = (state: DeviceState): void => metrics.deviceState(device.name, isUp(state));
    const onError = (error: { code: string }): void => metrics.deviceError(device.name, error.code);
    device.on("state", onState);
    device.on("error", onError);
    detach.push(() => {
      device.off("state", onState);
      device.off("error", onError);
    });
  }
  metrics.printerPaper(devices.printer.lastStatus.paper);
  const onStatus = (status: PrinterStatus): void => metrics.printerPaper(status.paper);
  devices.printer.on("status", onStatus);
  metrics.door(devices.gpio.doorOpen);
  const onDoor = (open: boolean): void => metrics.door(open);
  devices.gpio.on("door", onDoor);
  detach.push(() => {
    devices.printer.off("status", onStatus);
    devices.gpio.off("door", onDoor);
  });
  return () => {
    for (const off of detach) off();
  };
}
