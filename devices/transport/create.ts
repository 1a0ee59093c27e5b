/** Builds the byte transport SPEC §3 describes (`devices.*.transport`). */
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

/**
 * `device` links (e.g. /dev/usb/lp0) belong to the printer layer's `devices/transport/device-file.ts`;
 * use `createTransportAsync` for them, which loads that module on demand.
 */
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
    case "device":
      throw new Error(
        `transport type "device" (${config.path}) is unsupported by createTransport; use createTransportAsync`,
      );
  }
}

interface DeviceFileModule {
  DeviceFileTransport: new (options: { path: string }, log?: DeviceLogger) => ByteTransport;
}

/** Like `createTransport`, and also builds `device` links through the printer layer's module. */
export async function createTransportAsync(
  config: TransportConfig,
  log?: DeviceLogger,
  tuning: TransportTuning = {},
): Promise<ByteTransport> {
  if (config.type !== "device") return createTransport(config, log, tuning);
  const modulePath = "./device-file.ts";
  const loaded = (await import(modulePath)) as Partial<DeviceFileModule>;
  if (typeof loaded.DeviceFileTransport !== "function") {
    throw new Error(`transport type "device" is unsupported: device-file.ts exports no DeviceFileTransport`);
  }
  return new loaded.DeviceFileTransport({ path: config.path }, log);
}
