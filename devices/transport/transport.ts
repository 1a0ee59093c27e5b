/**
 * A byte stream to a device: TCP, serial line, or a device file. One transport per link; drivers
 * speak their protocol over it and never touch sockets or file descriptors themselves.
 */
import type { TypedEmitter } from "../device.ts";

export type TransportEvents = {
  data: [chunk: Buffer];
  /** Emitted on every (re)connection. */
  open: [];
  /** Emitted when the link is lost or closed; `error` says why when it was not asked for. */
  close: [error?: Error];
};

export interface ByteTransport extends TypedEmitter<TransportEvents> {
  /** e.g. `tcp://127.0.0.1:20007`, `serial:/dev/serial/by-id/usb-FTDI…`. For logs and health. */
  readonly description: string;
  readonly isOpen: boolean;
  /**
   * Starts the link. Resolves once connected, or rejects on the first failure; in both cases, until
   * `close()`, the transport keeps reconnecting with capped backoff by itself after any loss.
   */
  open(): Promise<void>;
  /** Writes all bytes (resolves once handed to the OS); rejects when the link is down. */
  write(data: Buffer): Promise<void>;
  /** Stops the link and any reconnecting. */
  close(): Promise<void>;
}

/** The transport settings of SPEC §3 (`devices.*.transport`). */
export type TransportConfig =
  | { type: "tcp"; host: string; port: number }
  | { type: "serial"; path: string; baudRate: number }
  | { type: "device"; path: string };

/** Logger shape the device layer accepts (pino-compatible); devices log protocol facts, never card data. */
export interface DeviceLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: DeviceLogger = { debug() {}, info() {}, warn() {}, error() {} };
