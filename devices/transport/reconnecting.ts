/**
 * The reconnect loop shared by the TCP and serial transports: `open()` resolves on the first
 * connection or rejects on the first failure, and in both cases the link keeps coming back by itself
 * with capped exponential backoff until `close()`. Subclasses only know how to connect once.
 */
import { TypedEmitter } from "../device.ts";
import type { ByteTransport, DeviceLogger, TransportEvents } from "./transport.ts";
import { silentLogger } from "./transport.ts";

export interface BackoffOptions {
  /** First retry delay in ms (default 250). */
  initialDelayMs?: number;
  /** Upper bound of the delay in ms (default 5000). */
  maxDelayMs?: number;
}

/** A live link handed back by `connectOnce`. */
export interface Link {
  write(data: Buffer): Promise<void>;
  /** Ends the link on purpose; must not throw. */
  destroy(): void;
}

/** What `connectOnce` gets to report what happens on the link. */
export interface LinkCallbacks {
  data(chunk: Buffer): void;
  /** Called once when the link dies; the loop reconnects unless the transport was closed. */
  lost(error?: Error): void;
}

export abstract class ReconnectingTransport extends TypedEmitter<TransportEvents> implements ByteTransport {
  abstract readonly description: string;
  private link: Link | undefined;
  private wanted = false;
  private timer: NodeJS.Timeout | undefined;
  private delay: number;
  private generation = 0;
  private readonly initialDelay: number;
  private readonly maxDelay: number;

  constructor(
    protected readonly log: DeviceLogger = silentLogger,
    backoff: BackoffOptions = {},
  ) {
    super();
    this.initialDelay = backoff.initialDelayMs ?? 250;
    this.maxDelay = backoff.maxDelayMs ?? 5000;
    this.delay = this.initialDelay;
  }

  /** Opens the link once; resolves with it or rejects. `callbacks` apply to that link only. */
  protected abstract connectOnce(callbacks: LinkCallbacks): Promise<Link>;

  get isOpen(): boolean {
    return this.link !== undefined;
  }

  async open(): Promise<void> {
    if (this.wanted) {
      if (this.link) return;
    }
    this.wanted = true;
    this.clearTimer();
    await this.attempt();
  }

  async write(data: Buffer): Promise<void> {
    const link = this.link;
    if (!link) throw new Error(`${this.description}: link is down`);
    await link.write(data);
  }

  async close(): Promise<void> {
    this.wanted = false;
    this.clearTimer();
    this.generation++;
    const link = this.link;
    this.link = undefined;
    if (link) {
      link.destroy();
      this.emit("close");
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async attempt(): Promise<void> {
    const generation = ++this.generation;
    let alive = true;
    try {
      const link = await this.connectOnce({
        data: (chunk) => {
          if (alive && generation === this.generation) this.emit("data", chunk);
        },
        lost: (error) => {
          if (!alive) return;
          alive = false;
          if (generation !== this.generation) return;
          this.link = undefined;
          this.log.warn({ transport: this.description, err: error?.message }, "link lost");
          this.emit("close", error ?? new Error("link closed by the peer"));
          this.schedule();
        },
      });
      if (!alive || generation !== this.generation || !this.wanted) {
        alive = false;
        link.destroy();
        if (!this.wanted) return;
        throw new Error(`${this.description}: link dropped while opening`);
      }
      this.link = link;
      this.delay = this.initialDelay;
      this.log.info({ transport: this.description }, "link open");
      this.emit("open");
    } catch (error) {
      alive = false;
      if (generation === this.generation && this.wanted && !this.link) this.schedule();
      throw error instanceof Error ? error : new Error(String(error));
    }
  }

  private schedule(): void {
    if (!this.wanted || this.timer) return;
    const delay = this.delay;
    this.delay = Math.min(this.delay * 2, this.maxDelay);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.wanted || this.link) return;
      this.attempt().catch((error: unknown) => {
        this.log.debug(
          { transport: this.description, err: error instanceof Error ? error.message : String(error) },
          "reconnect failed",
        );
      });
    }, delay);
    this.timer.unref?.();
  }
}
