/**
 * When the kiosk is out of order for a visitor because of its hardware: the service door open, the
 * technician's key turned, the printer unable to print a receipt, the card terminal offline. Each
 * device's events switch its own reason in the flow; the flow shows out of order while any is set.
 */
import type { DeviceState, KioskDevices, PrinterStatus, TerminalNeed } from "../../devices/device.ts";

/** What the status modules ask of the payment flow. */
export interface OutOfOrderSwitch {
  setOutOfOrder(key: string, reason: string | null): void;
  /** The printer came back: a receipt that waited for it may be printed now. */
  printerReady(): Promise<unknown>;
}

export const DOOR_REASON = "the service door is open";

/**
 * Why the printer blocks payments, or null. Paper, cover and link are judged together from the
 * latest state and status, so a stale "offline" never outlives the printer coming back.
 */
export function printerBlocking(printer: { state: DeviceState; lastStatus: PrinterStatus }): string | null {
  const s = printer.lastStatus;
  if (printer.state === "offline" || !s.online) return "the printer is offline";
  if (s.paper === "out") return "the printer is out of paper";
  if (s.coverOpen) return "the printer cover is open";
  return null;
}

/** Why the card terminal blocks payments, or null: offline (the line), or refusing the kiosk (its configuration). */
export function terminalBlocking(state: DeviceState): string | null {
  if (state === "offline") return "the card terminal is offline";
  if (state === "error")
    return "the card terminal refuses the kiosk's commands (terminal configuration error)";
  return null;
}

/**
 * Why what the card terminal asks for blocks payments, or null. An initialisation or diagnosis blocks
 * (the terminal refuses payments until it is done): while the driver sends it, and for good once its
 * tries are spent. An end-of-day does not: the flow runs it between visits (out of order meanwhile).
 */
export function terminalNeedBlocking(need: TerminalNeed | null): string | null {
  if (!need || need.action === "end_of_day") return null;
  if (need.by === "technician")
    return `the card terminal needs ${need.action} and the kiosk's attempts did not help (${need.reason})`;
  return `the card terminal asked for ${need.action}; the kiosk is sending it (${need.reason})`;
}

/** Connects the devices' events to the flow's out-of-order reasons (call once, before `open()`). */
export function watchOutOfOrder(devices: KioskDevices, flow: OutOfOrderSwitch): void {
  devices.gpio.on("door", (open) => flow.setOutOfOrder("door", open ? DOOR_REASON : null));
  // The technician's key: visitors see out of order, the screen offers the service login.
  devices.gpio.on("serviceKey", (turned) =>
    flow.setOutOfOrder("service_key", turned ? "service mode (service key turned)" : null),
  );
  let printerBlocked: string | null = null;
  const judgePrinter = () => {
    const blocked = printerBlocking(devices.printer);
    if (blocked === printerBlocked) return;
    const recovered = printerBlocked !== null && blocked === null;
    printerBlocked = blocked;
    flow.setOutOfOrder("printer", blocked);
    if (recovered) void flow.printerReady();
  };
  devices.printer.on("status", judgePrinter);
  devices.printer.on("state", judgePrinter);
  devices.terminal.on("state", (state) => {
    flow.setOutOfOrder("terminal", terminalBlocking(state));
  });
  devices.terminal.on("need", (need) => flow.setOutOfOrder("terminal_need", terminalNeedBlocking(need)));
}

/** Once the devices are open: a door already open counts (no event says so). */
export function noteOpenedDevices(devices: KioskDevices, flow: OutOfOrderSwitch): void {
  if (devices.gpio.doorOpen) flow.setOutOfOrder("door", DOOR_REASON);
}
