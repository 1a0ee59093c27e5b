/** A TCP byte link with keepalive and automatic reconnect (terminals on port 20007, printers on 9100). */
import net from "node:net";
import { type BackoffOptions, type Link, type LinkCallbacks, ReconnectingTransport } from "./reconnecting.ts";
import type { DeviceLogger } from "./transport.ts";

export interface TcpTransportOptions extends BackoffOptions {
  host: string;
  port: number;
  /** Give up a connection attempt after this many ms (default 5000). */
  connectTimeoutMs?: number;
  /** TCP keepalive initial delay in ms (default 10 000), so a half-open peer is noticed. */
  keepAliveMs?: number;
}

export class TcpTransport extends ReconnectingTransport {
  readonly description: string;

  constructor(
    private readonly options: TcpTransportOptions,
    log?: DeviceLogger,
  ) {
    super(log, options);
    this.description = `tcp://${options.host}:${options.port}`;
  }

  protected connectOnce(callbacks: LinkCallbacks): Promise<Link> {
    return new Promise<Link>((resolve, reject) => {
      const socket = net.connect({ host: this.options.host, port: this.options.port });
      let connected = false;
      const timer = setTimeout(() => {
        socket.destroy(new Error(`${this.description}: connect timeout`));
      }, this.options.connectTimeoutMs ?? 5000);
      socket.on("error", (error) => {
        if (!connected) {
          clearTimeout(timer);
          reject(error);
        }
        // After connecting, `close` follows every error and reports the loss.
      });
      socket.on("close", (hadError) => {
        clearTimeout(timer);
        if (connected) callbacks.lost(hadError ? new Error("socket error") : undefined);
        else reject(new Error(`${this.description}: closed while connecting`));
      });
      socket.on("data", (chunk: Buffer) => callbacks.data(chunk));
      socket.on("connect", () => {
        connected = true;
        clearTimeout(timer);
        socket.setNoDelay(true);
        socket.setKeepAlive(true, this.options.keepAliveMs ?? 10_000);
        resolve({
          write: (data) =>
            new Promise<void>((res, rej) => {
              if (socket.destroyed) {
                rej(new Error(`${this.description}: link is down`));
                return;
              }
              socket.write(data, (error) => (error ? rej(error) : res()));
            }),
          destroy: () => {
            socket.removeAllListeners("data");
            socket.destroy();
          },
        });
      });
    });
  }
}
