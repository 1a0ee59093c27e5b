/** Builds the byte transport SPEC §3 describes (`devices.*.transport`). */
import { DeviceFileTransport } from "./device-file.ts";
import { SerialTransport } from "./serial.ts";
import { TcpTransport } from "./tcp.ts";
import type { ByteTransport, DeviceLogger, TransportConfig } from "./transport.ts";

export interface TransportTuning {
  /** Serial stop bits (ZVT wants 2). */
  stopBits?: 1 | 2;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Serial: how often to check the device path still exists (ms). */
  presenceCheckMs?: number;
}

export function createTransport(
  config: TransportConfig,
  log?: DeviceLogger,
  tuning: TransportTuning = {},
): ByteTransport {
  switch (config.type) {
    case "tcp":
      return new TcpTransport({ host: config.host, port: config.port, ...tuning }, log);
    case "serial":
      return new SerialTransport({ path: config.path, baudRate: config.baudRate, ...tuning }, log);
    case "device": {
      const { initialDelayMs, maxDelayMs } = tuning;
      return new DeviceFileTransport(
        {
          path: config.path,
          ...(initialDelayMs !== undefined ? { initialDelayMs } : {}),
          ...(maxDelayMs !== undefined ? { maxDelayMs } : {}),
        },
        log,
      );
    }
  }
}

/** Kept for callers written before `device` links were built synchronously. */
export async function createTransportAsync(
  config: TransportConfig,
  log?: DeviceLogger,
  tuning: TransportTuning = {},
): Promise<ByteTransport> {
  return createTransport(config, log, tuning);
}
