/**
 * A byte link over a device file such as /dev/usb/lp0 (the kernel's usblp driver). Writes go to the
 * file; status comes back by reading it where the kernel supports that (usblp does for bidirectional
 * printers). The file is opened non-blocking and polled, because a blocking read would hold one of
 * libuv's few worker threads for as long as the printer stays silent. When the file vanishes (printer
 * unplugged) the link is lost and reopened with backoff, like the other transports.
 */
import fs from "node:fs";
import { type BackoffOptions, type Link, type LinkCallbacks, ReconnectingTransport } from "./reconnecting.ts";
import type { DeviceLogger } from "./transport.ts";

export interface DeviceFileOptions extends BackoffOptions {
  path: string;
  /** How often to look for bytes the device sent back (default 50 ms). */
  readIntervalMs?: number;
}

const RETRY_CODES = new Set(["EAGAIN", "EWOULDBLOCK", "EINTR"]);

function code(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;
}

export class DeviceFileTransport extends ReconnectingTransport {
  readonly description: string;
  private readonly path: string;
  private readonly readIntervalMs: number;

  constructor(options: DeviceFileOptions, log?: DeviceLogger) {
    super(log, options);
    this.path = options.path;
    this.readIntervalMs = options.readIntervalMs ?? 50;
    this.description = `device:${options.path}`;
  }

  protected async connectOnce(callbacks: LinkCallbacks): Promise<Link> {
    const flags = fs.constants.O_RDWR | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY;
    let readable = true;
    const fd = await fs.promises.open(this.path, flags).catch(async (error: unknown) => {
      // Some device files are write-only (a unidirectional printer port): print without status.
      if (code(error) !== "EACCES" && code(error) !== "EINVAL") throw error;
      readable = false;
      return fs.promises.open(this.path, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    });
    let alive = true;
    let timer: NodeJS.Timeout | undefined;
    const lose = (error?: Error) => {
      if (!alive) return;
      alive = false;
      if (timer) clearTimeout(timer);
      fd.close().catch(() => {});
      callbacks.lost(error);
    };
    const buffer = Buffer.alloc(1024);
    const poll = () => {
      timer = undefined;
      if (!alive) return;
      fd.read(buffer, 0, buffer.length, null).then(
        ({ bytesRead }) => {
          if (!alive) return;
          if (bytesRead > 0) callbacks.data(Buffer.from(buffer.subarray(0, bytesRead)));
          timer = setTimeout(poll, bytesRead > 0 ? 0 : this.readIntervalMs);
        },
        (error: unknown) => {
          if (!alive) return;
          if (RETRY_CODES.has(code(error) ?? "")) timer = setTimeout(poll, this.readIntervalMs);
          else lose(error instanceof Error ? error : new Error(String(error)));
        },
      );
    };
    if (readable) poll();
    const write = async (data: Buffer): Promise<void> => {
      let offset = 0;
      while (offset < data.length) {
        if (!alive) throw new Error(`${this.description}: link is down`);
        try {
          const { bytesWritten } = await fd.write(data, offset, data.length - offset, null);
          offset += bytesWritten;
        } catch (error) {
          if (RETRY_CODES.has(code(error) ?? "")) {
            await new Promise((r) => setTimeout(r, 10));
            continue;
          }
          const err = error instanceof Error ? error : new Error(String(error));
          lose(err);
          throw err;
        }
      }
    };
    return { write, destroy: () => lose() };
  }
}
