/** The receipt printer as the composition root builds it. */
import { createTransport } from "../transport/create.ts";
import { DeviceFileTransport } from "../transport/device-file.ts";
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

function transportFor(config: TransportConfig, log?: DeviceLogger): ByteTransport {
  if (config.type === "device") return new DeviceFileTransport({ path: config.path }, log);
  return createTransport(config, log);
}

export function createEscPosPrinter(
  config: EscPosPrinterConfig,
  log?: DeviceLogger,
  tuning: Omit<EscPosPrinterOptions, "columns" | "codePage"> = {},
): EscPosPrinter {
  return new EscPosPrinter(
    transportFor(config.transport, log),
    { columns: config.columns, ...(config.codePage ? { codePage: config.codePage } : {}), ...tuning },
    log,
  );
}
