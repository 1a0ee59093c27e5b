/** The receipt printer as the composition root builds it. */
import { createTransport } from "../transport/create.ts";
import { DeviceFileTransport } from "../transport/device-file.ts";
import type { BackoffOptions } from "../transport/reconnecting.ts";
import type { ByteTransport, DeviceLogger, TransportConfig } from "../transport/transport.ts";
import { EscPosPrinter, type EscPosPrinterOptions } from "./escpos-printer.ts";
import type { PolishCodePage } from "./render.ts";

export { EscPosPrinter, type EscPosPrinterOptions } from "./escpos-printer.ts";
export { encodeText, keepStatusBack, nativeQr, type PolishCodePage, renderEscPos } from "./render.ts";

export interface EscPosPrinterConfig {
  transport: TransportConfig;
  columns: number;
  codePage?: PolishCodePage;
}

/** Timeouts of the driver and the reconnect backoff of its link; the defaults suit real printers. */
export type EscPosPrinterTuning = Omit<EscPosPrinterOptions, "columns" | "codePage"> & {
  initialDelayMs?: number;
  maxDelayMs?: number;
};

function transportFor(
  config: TransportConfig,
  log: DeviceLogger | undefined,
  backoff: BackoffOptions,
): ByteTransport {
  if (config.type === "device") return new DeviceFileTransport({ path: config.path, ...backoff }, log);
  return createTransport(config, log, backoff);
}

export function createEscPosPrinter(
  config: EscPosPrinterConfig,
  log?: DeviceLogger,
  tuning: EscPosPrinterTuning = {},
): EscPosPrinter {
  const { initialDelayMs, maxDelayMs, ...driver } = tuning;
  const backoff: BackoffOptions = {
    ...(initialDelayMs !== undefined ? { initialDelayMs } : {}),
    ...(maxDelayMs !== undefined ? { maxDelayMs } : {}),
  };
  return new EscPosPrinter(
    transportFor(config.transport, log, backoff),
    { columns: config.columns, ...(config.codePage ? { codePage: config.codePage } : {}), ...driver },
    log,
  );
}
