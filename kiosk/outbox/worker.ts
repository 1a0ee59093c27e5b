/**
 * Delivers outbox messages, one destination at a time in `seq` order: while the head message of a
 * destination waits for a retry, nothing behind it is sent (a reversal never overtakes its payment).
 * A parked message holds back the later messages of its own payment (kiosk/store/outbox.ts), not
 * the rest of the queue; once requeued it is sent first, then they follow.
 * Every attempt's outcome is written before the next one starts, so attempts and the next retry
 * time survive a restart; a message whose answer was lost is simply sent again under the same
 * Idempotency-Key, and the receiver answers it as the first time.
 *
 * 2xx and 409 → delivered. A 409 to a payment or transaction also raises the `payment_conflict`
 * alarm (SPEC §6: the slip was paid elsewhere; staff refund) in the same transaction, and a
 * `conflict` event for the metric. Another 4xx → parked (`failed`) and a `parked` event for the
 * alert; the queue moves on. 5xx, any other status, a timeout or a connection error → retry, forever.
 */
import { TypedEmitter } from "../../devices/device.ts";
import { raiseAlarm } from "../store/alarms.ts";
import { type Db, inTransaction, withoutSync } from "../store/db.ts";
import {
  type AttemptOutcome,
  markOutboxDelivered,
  markOutboxParked,
  markOutboxRetry,
  nextOutboxMessage,
  type OutboxRow,
} from "../store/outbox.ts";
import { type BackoffPolicy, DEFAULT_BACKOFF, retryDelayMs } from "./backoff.ts";
import { type DestinationBacklog, outboxBacklog } from "./backlog.ts";
import { type HttpClient, HttpTransportError } from "../integrations/http-client.ts";
import { scrubPans } from "../domain/pan.ts";
import { crashPoint } from "../ops/crash-points.ts";

export type { OutboxRow } from "../store/outbox.ts";

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
  /** A receiver answered 409 to a payment: delivered, and the `payment_conflict` alarm was raised. */
  conflict: [info: DeliveryInfo & { alarm: number }];
};

/** The messages whose 409 means "this slip was already paid elsewhere". */
const PAYMENT_KINDS = new Set(["payment", "transaction"]);

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
    return nextOutboxMessage(this.db, destination);
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
      // No retry is ever put further ahead than the back-off's cap: a row further ahead was timed by a
      // clock since set back (NTP stepping it an hour back). It is due now, and the messages behind it
      // with it, not after the hour; its next failure is timed by the clock as it is now.
      if (wait > 0 && wait <= this.backoff.maxDelayMs) {
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
    // The message's id, sent as the Idempotency-Key, is also the X-Request-Id: the receiver (the hub)
    // logs it as `reqId`, and so does every line below, so one delivery's lines on both sides match.
    const reqId = row.id;
    let status: number | undefined;
    let error: string | undefined;
    let conflictAnswer: string | null = null;
    // Crash-matrix points (issue 8): killed before the request, after its answer, after the mark.
    crashPoint("outbox.before-send");
    try {
      const res = await client.request({
        method: "POST",
        path: row.path,
        headers: { "idempotency-key": row.id, "x-request-id": reqId },
        body: row.body,
      });
      status = res.status;
      if (!(status >= 200 && status < 300) && status !== 409) error = `HTTP ${status}: ${res.body}`;
      if (status === 409) conflictAnswer = scrubPans(String(res.body)).slice(0, LAST_ERROR_MAX);
    } catch (e) {
      error = e instanceof HttpTransportError ? `${e.kind}: ${e.message}` : String(e);
    }
    crashPoint("outbox.after-send");
    const at = this.now();
    // A receiver's answer is text we do not control: it goes into the outbox row (read by `outbox
    // list` and the service and admin APIs) and the events, so card numbers are masked there too,
    // before it is cut (a number cut in half would no longer be recognised).
    const lastError = error ? scrubPans(error).slice(0, LAST_ERROR_MAX) : null;
    const outcome: AttemptOutcome = { attempts, status: status ?? null, error: lastError, at };
    if (status !== undefined && ((status >= 200 && status < 300) || status === 409)) {
      const record = () =>
        inTransaction(this.db, () => {
          if (!markOutboxDelivered(this.db, row.id, outcome)) return undefined;
          return status === 409 && PAYMENT_KINDS.has(row.kind)
            ? this.raiseConflict(row, conflictAnswer, at)
            : undefined;
        });
      // A delivered mark that a power cut loses only sends the message again under its
      // Idempotency-Key, answered by the receiver as the first time: it need not wait for the disk
      // (two of a payment's fsyncs). A 409's alarm does.
      const alarm = status === 409 ? record() : withoutSync(this.db, record);
      crashPoint("outbox.marked");
      this.logger?.info({ reqId, ...info, status }, "outbox message delivered");
      this.emit("delivered", { ...info, status });
      if (alarm !== undefined) this.emit("conflict", { ...info, status, alarm });
      return;
    }
    if (status !== undefined && status >= 400 && status < 500) {
      markOutboxParked(this.db, row.id, outcome);
      this.logger?.error({ reqId, ...info, status, error: lastError }, "outbox message refused; parked");
      this.emit("parked", { ...info, status, ...(lastError ? { error: lastError } : {}) });
      return;
    }
    const delayMs = retryDelayMs(attempts, this.backoff, this.random);
    markOutboxRetry(this.db, row.id, outcome, new Date(at.getTime() + delayMs));
    this.logger?.warn(
      { reqId, ...info, status, error: lastError, delayMs },
      "outbox delivery failed; will retry",
    );
    this.emit("retry", {
      ...info,
      delayMs,
      ...(status !== undefined ? { status } : {}),
      ...(lastError ? { error: lastError } : {}),
    });
  }

  private raiseConflict(row: OutboxRow, answer: string | null, at: Date): number {
    const subject = row.session_id ?? row.id;
    const summary = `${row.destination} answered 409 to ${row.kind} ${row.id}: the slip may have been paid twice; check and refund`;
    this.logger?.error(
      { reqId: row.id, id: row.id, destination: row.destination, answer },
      "payment conflict (409)",
    );
    return raiseAlarm(this.db, {
      kind: "payment_conflict",
      subject,
      summary,
      details: { message: row.id, destination: row.destination, answer: answer ?? "" },
      actor: "outbox",
      at,
    });
  }
}
