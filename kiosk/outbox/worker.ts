/**
 * Delivers outbox messages, one destination at a time in `seq` order: while the head message of a
 * destination waits for a retry, nothing behind it is sent (a reversal never overtakes its payment).
 * Every attempt's outcome is written before the next one starts, so attempts and the next retry
 * time survive a restart; a message whose answer was lost is simply sent again under the same
 * Idempotency-Key, and the receiver answers it as the first time.
 *
 * 2xx and 409 → delivered. Another 4xx → parked (`failed`) and a `parked` event for the alert;
 * the queue moves on. 5xx, any other status, a timeout or a connection error → retry, forever.
 */
import { TypedEmitter } from "../../devices/device.ts";
import type { Db } from "../store/db.ts";
import { type BackoffPolicy, DEFAULT_BACKOFF, retryDelayMs } from "./backoff.ts";
import { type DestinationBacklog, outboxBacklog } from "./backlog.ts";
import { type HttpClient, HttpTransportError } from "../integrations/http-client.ts";
import { crashPoint } from "../ops/crash-points.ts";

export interface OutboxRow {
  seq: number;
  id: string;
  destination: string;
  kind: string;
  path: string;
  session_id: string | null;
  body: string;
  attempts: number;
  next_attempt_at: string;
}

export interface DeliveryInfo {
  id: string;
  destination: string;
  kind: string;
  attempts: number;
  status?: number;
  error?: string;
}

export type OutboxEvents = {
  delivered: [info: DeliveryInfo];
  /** A receiver refused the message for good: someone must look at it. */
  parked: [info: DeliveryInfo];
  retry: [info: DeliveryInfo & { delayMs: number }];
};

export interface OutboxLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface OutboxWorkerOptions {
  db: Db;
  /** A client per configured destination; messages for others wait (visible in the backlog). */
  clients: Partial<Record<string, HttpClient>>;
  now?: () => Date;
  random?: () => number;
  backoff?: BackoffPolicy;
  /** How often an idle destination looks for new rows nobody kicked for (ms). */
  pollMs?: number;
  logger?: OutboxLogger;
}

const LAST_ERROR_MAX = 500;

/**
 * Test hook for the crash and chaos suites (added by the proof work, issue 8):
 * `OPLATOMAT_OUTBOX_BACKOFF_MS=<base>[,<max>]` shortens retries so a thousand faulty deliveries
 * finish in minutes. Unset in production, where the default policy applies.
 */
function backoffFromEnv(): BackoffPolicy | undefined {
  const text = process.env["OPLATOMAT_OUTBOX_BACKOFF_MS"];
  if (!text) return undefined;
  const [base, max] = text.split(",").map(Number);
  if (!base || !Number.isInteger(base) || base < 1) return undefined;
  return { baseDelayMs: base, maxDelayMs: max && Number.isInteger(max) && max >= base ? max : base * 32 };
}

export class OutboxWorker extends TypedEmitter<OutboxEvents> {
  private readonly db: Db;
  private readonly clients: Partial<Record<string, HttpClient>>;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly backoff: BackoffPolicy;
  private readonly pollMs: number;
  private readonly logger: OutboxLogger | undefined;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly wakers = new Set<() => void>();

  constructor(options: OutboxWorkerOptions) {
    super();
    this.db = options.db;
    this.clients = options.clients;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? backoffFromEnv() ?? DEFAULT_BACKOFF;
    this.pollMs = options.pollMs ?? 2_000;
    this.logger = options.logger;
  }

  get started(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = Object.keys(this.clients)
      .filter((d) => this.clients[d])
      .map((d) => this.loop(d));
  }

  /** Stops after the attempts in flight end (each is bounded by its request deadline). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.kick();
    await Promise.all(this.loops);
    this.loops = [];
  }

  /** Wakes every destination now: a message was just enqueued. Harmless when idle or stopped. */
  kick(): void {
    for (const wake of [...this.wakers]) wake();
  }

  backlog(): DestinationBacklog[] {
    return outboxBacklog(this.db, this.now());
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.wakers.add(done);
    });
  }

  private head(destination: string): OutboxRow | undefined {
    return this.db
      .prepare(
        `SELECT seq, id, destination, kind, path, session_id, body, attempts, next_attempt_at
           FROM outbox WHERE destination = ? AND status = 'pending' ORDER BY seq LIMIT 1`,
      )
      .get(destination) as OutboxRow | undefined;
  }

  private async loop(destination: string): Promise<void> {
    const client = this.clients[destination]!;
    while (this.running) {
      let row: OutboxRow | undefined;
      try {
        row = this.head(destination);
      } catch (e) {
        this.logger?.error({ err: e, destination }, "outbox read failed");
        await this.sleep(this.pollMs);
        continue;
      }
      if (!row) {
        await this.sleep(this.pollMs);
        continue;
      }
      const wait = Date.parse(row.next_attempt_at) - this.now().getTime();
      if (wait > 0) {
        await this.sleep(Math.min(wait, this.pollMs));
        continue;
      }
      try {
        await this.attempt(client, row);
      } catch (e) {
        // Recording the outcome failed (database full, closed): the row is unchanged and is simply
        // attempted again; the receiver's idempotency makes the repeat harmless.
        this.logger?.error({ err: e, id: row.id }, "outbox bookkeeping failed");
        await this.sleep(this.pollMs);
      }
    }
  }

  private async attempt(client: HttpClient, row: OutboxRow): Promise<void> {
    const attempts = row.attempts + 1;
    const info: DeliveryInfo = { id: row.id, destination: row.destination, kind: row.kind, attempts };
    let status: number | undefined;
    let error: string | undefined;
    // Crash-matrix points (issue 8): killed before the request, after its answer, after the mark.
    crashPoint("outbox.before-send");
    try {
      const res = await client.request({
        method: "POST",
        path: row.path,
        headers: { "idempotency-key": row.id },
        body: row.body,
      });
      status = res.status;
      if (!(status >= 200 && status < 300) && status !== 409) error = `HTTP ${status}: ${res.body}`;
    } catch (e) {
      error = e instanceof HttpTransportError ? `${e.kind}: ${e.message}` : String(e);
    }
    crashPoint("outbox.after-send");
    const at = this.now();
    const lastError = error ? error.slice(0, LAST_ERROR_MAX) : null;
    if (status !== undefined && ((status >= 200 && status < 300) || status === 409)) {
      this.db
        .prepare(
          `UPDATE outbox SET status = 'delivered', attempts = ?, last_status = ?, last_error = ?, delivered_at = ?
            WHERE id = ? AND status = 'pending'`,
        )
        .run(attempts, status, lastError, at.toISOString(), row.id);
      crashPoint("outbox.marked");
      this.emit("delivered", { ...info, status });
      return;
    }
    if (status !== undefined && status >= 400 && status < 500) {
      this.db
        .prepare(
          "UPDATE outbox SET status = 'failed', attempts = ?, last_status = ?, last_error = ? WHERE id = ? AND status = 'pending'",
        )
        .run(attempts, status, lastError, row.id);
      this.logger?.error({ ...info, status, error: lastError }, "outbox message refused; parked");
      this.emit("parked", { ...info, status, ...(lastError ? { error: lastError } : {}) });
      return;
    }
    const delayMs = retryDelayMs(attempts, this.backoff, this.random);
    this.db
      .prepare(
        "UPDATE outbox SET attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'pending'",
      )
      .run(attempts, status ?? null, lastError, new Date(at.getTime() + delayMs).toISOString(), row.id);
    this.logger?.warn({ ...info, status, error: lastError, delayMs }, "outbox delivery failed; will retry");
    this.emit("retry", {
      ...info,
      delayMs,
      ...(status !== undefined ? { status } : {}),
      ...(lastError ? { error: lastError } : {}),
    });
  }
}
