/**
 * A serial byte link through the real `serialport` binding. A read is always pending (a `data`
 * listener) and an `error` listener is always attached, because without them an unplugged adapter
 * goes unnoticed and the next write crashes the process. A lost port is reopened with backoff.
 */
import type { SerialPort } from "serialport";
import { type BackoffOptions, type Link, type LinkCallbacks, ReconnectingTransport } from "./reconnecting.ts";
import { heldDevice, samePresentDevice } from "./held-device.ts";
import type { DeviceLogger } from "./transport.ts";

export interface SerialTransportOptions extends BackoffOptions {
  path: string;
  baudRate: number;
  /** ZVT asks for 2 stop bits; printers and scanners use 1 (the default). */
  stopBits?: 1 | 2;
  /** A write not handed to the OS within this many ms fails (default 5000): an unplugged port never calls back. */
  writeTimeoutMs?: number;
  /**
   * How often to check that the device path still names the device this port holds open (default
   * 1000 ms; 0 = never). A pending read does not always notice a vanished pty or adapter, and an
   * unplug and replug quicker than one check leaves the path in place, but on another device.
   */
  presenceCheckMs?: number;
}

// The native binding costs start-up time and memory; a kiosk whose devices all speak TCP never loads it.
let binding: Promise<typeof import("serialport")> | undefined;

export class SerialTransport extends ReconnectingTransport {
  readonly description: string;

  constructor(
    private readonly options: SerialTransportOptions,
    log?: DeviceLogger,
  ) {
    super(log, options);
    this.description = `serial:${options.path}`;
  }

  protected async connectOnce(callbacks: LinkCallbacks): Promise<Link> {
    binding ??= import("serialport");
    const { SerialPort: Port } = await binding;
    return new Promise<Link>((resolve, reject) => {
      const port: SerialPort = new Port({
        path: this.options.path,
        baudRate: this.options.baudRate,
        dataBits: 8,
        parity: "none",
        stopBits: this.options.stopBits ?? 1,
        autoOpen: false,
      });
      let opened = false;
      let presence: NodeJS.Timeout | undefined;
      const stopPresence = (): void => {
        if (presence) clearInterval(presence);
        presence = undefined;
      };
      const pendingWrites = new Set<(error: Error) => void>();
      const fail = (error: Error): void => {
        for (const rejectWrite of pendingWrites) rejectWrite(error);
        pendingWrites.clear();
      };
      port.on("error", (error: Error) => {
        this.log.debug({ transport: this.description, err: error.message }, "serial error");
        if (opened) {
          fail(error);
          if (port.isOpen) port.close(() => {});
          else callbacks.lost(error);
        }
      });
      port.on("close", (error?: Error) => {
        stopPresence();
        if (!opened) return;
        fail(error ?? new Error(`${this.description}: closed`));
        callbacks.lost(error ?? undefined);
      });
      port.on("data", (chunk: Buffer) => callbacks.data(chunk));
      port.open((error) => {
        if (error) {
          port.removeAllListeners("data");
          reject(error);
          return;
        }
        opened = true;
        const held = heldDevice(port);
        const every = this.options.presenceCheckMs ?? 1000;
        if (every > 0) {
          presence = setInterval(() => {
            if (samePresentDevice(this.options.path, held)) return;
            stopPresence();
            const gone = new Error(`${this.description}: device disappeared or was replaced`);
            fail(gone);
            opened = false;
            port.removeAllListeners("data");
            if (port.isOpen) port.close(() => {});
            callbacks.lost(gone);
          }, every);
          presence.unref?.();
        }
        resolve({
          write: (data) =>
            new Promise<void>((res, rej) => {
              if (!port.isOpen) {
                rej(new Error(`${this.description}: link is down`));
                return;
              }
              const timer = setTimeout(() => {
                pendingWrites.delete(done);
                rej(new Error(`${this.description}: write timeout`));
              }, this.options.writeTimeoutMs ?? 5000);
              const done = (writeError?: Error | null): void => {
                clearTimeout(timer);
                pendingWrites.delete(done);
                if (writeError) rej(writeError);
                else res();
              };
              pendingWrites.add(done);
              port.write(data, (writeError) => {
                if (writeError) {
                  done(writeError);
                  return;
                }
                port.drain((drainError) => done(drainError ?? undefined));
              });
            }),
          destroy: () => {
            stopPresence();
            opened = false;
            port.removeAllListeners("data");
            fail(new Error(`${this.description}: closed`));
            if (port.isOpen) port.close(() => {});
          },
        });
      });
    });
  }
}
