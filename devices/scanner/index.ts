/** The QR reader as the composition root builds it from `devices.scanner`. */
import type { CodeScanner } from "../device.ts";
import { SerialTransport } from "../transport/serial.ts";
import type { DeviceLogger } from "../transport/transport.ts";
import { type HidBackend, HidPosScanner, nodeHidBackend } from "./hid-scanner.ts";
import { KeyboardWedgeScanner } from "./keyboard.ts";
import { isUnstableSerialName, SerialScanner } from "./serial-scanner.ts";

export { ArmedScanner } from "./armed-scanner.ts";
export { DEFAULT_LAYOUT, HID_POS_USAGE_PAGE, HidPosReassembler, hidPosReports } from "./hid-pos.ts";
export { type HidBackend, type HidHandle, HidPosScanner, selectHidPos } from "./hid-scanner.ts";
export { KeyboardWedgeScanner } from "./keyboard.ts";
export { LineSplitter } from "./lines.ts";
export { isUnstableSerialName, SerialScanner } from "./serial-scanner.ts";

export type ScannerConfig =
  | { type: "keyboard" }
  | { type: "hid"; vendorId: number; productId: number; serialNumber?: string }
  | { type: "serial"; path: string; baudRate: number };

export interface ScannerTuning {
  initialDelayMs?: number;
  maxDelayMs?: number;
  hidBackend?: () => Promise<HidBackend>;
}

export function createScanner(
  config: ScannerConfig,
  log?: DeviceLogger,
  tuning: ScannerTuning = {},
): CodeScanner {
  switch (config.type) {
    case "keyboard":
      return new KeyboardWedgeScanner("scanner");
    case "hid":
      return new HidPosScanner(
        {
          identity: {
            vendorId: config.vendorId,
            productId: config.productId,
            ...(config.serialNumber ? { serialNumber: config.serialNumber } : {}),
          },
          ...(tuning.initialDelayMs !== undefined ? { initialDelayMs: tuning.initialDelayMs } : {}),
          ...(tuning.maxDelayMs !== undefined ? { maxDelayMs: tuning.maxDelayMs } : {}),
        },
        tuning.hidBackend ?? nodeHidBackend,
        log,
      );
    case "serial":
      if (isUnstableSerialName(config.path)) {
        log?.warn(
          { path: config.path },
          "scanner configured by a kernel name that changes with plug order; use /dev/serial/by-id/…",
        );
      }
      return new SerialScanner(
        new SerialTransport(
          {
            path: config.path,
            baudRate: config.baudRate,
            initialDelayMs: tuning.initialDelayMs ?? 250,
            maxDelayMs: tuning.maxDelayMs ?? 2000,
          },
          log,
        ),
        log,
      );
  }
}
