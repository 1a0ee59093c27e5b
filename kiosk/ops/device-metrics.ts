/**
 * Connects the devices' events to the metrics: state → oplatomat_device_up, error →
 * oplatomat_device_errors_total, printer status → oplatomat_printer_paper, door → oplatomat_door_open.
 * Call once after the devices are constructed; the returned function detaches the listeners.
 */
import type {
  Device,
  DeviceBaseEvents,
  DeviceState,
  EventMap,
  KioskDevices,
  PrinterStatus,
} from "../../devices/device.ts";
import type { KioskMetrics } from "./metrics.ts";

const isUp = (state: DeviceState): boolean => state === "idle" || state === "busy";

export function bindDeviceMetrics(devices: KioskDevices, metrics: KioskMetrics): () => void {
  const detach: Array<() => void> = [];
  const watch = <E extends DeviceBaseEvents & EventMap<E>>(device: Device<E>): void => {
    const base = device as unknown as Device<DeviceBaseEvents>;
    metrics.deviceState(base.name, isUp(base.state));
    const onState = (state: DeviceState): void => metrics.deviceState(base.name, isUp(state));
    const onError = (error: { code: string }): void => metrics.deviceError(base.name, error.code);
    base.on("state", onState);
    base.on("error", onError);
    detach.push(() => {
      base.off("state", onState);
      base.off("error", onError);
    });
  };
  watch(devices.terminal);
  watch(devices.printer);
  watch(devices.scanner);
  watch(devices.gpio);
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
