/**
 * ESC/POS receipt printer driver. Before each job it asks DLE EOT 1–4 and refuses to start on paper
 * out, cover open, failure or offline; during the job it listens to automatic status back (switched
 * back on after receiptline's reset turns it off); the job counts as printed only when the printer
 * answers the GS r 1 that ends it, which it does after everything before it was processed. A printer
 * that ignores GS r 1 (asked once per link, before its first job) cannot give that proof: its job ends
 * on a ready real-time status after the job's bytes were sent, and a fault it reports still fails it. When a job
 * fails midway, the printer's buffers are cleared (DLE ENQ 2) so the interrupted job cannot resume by
 * itself once the fault is fixed: the retry the flow sends is then the only copy printed.
 */
import {
  BaseDevice,
  type HealthResult,
  type PrinterEvents,
  type PrinterReadiness,
  type PrinterStatus,
  PrintError,
  type PrintJob,
  type ReceiptPrinter,
} from "../device.ts";
import type { ByteTransport, DeviceLogger } from "../transport/transport.ts";
import { silentLogger } from "../transport/transport.ts";
import { keepStatusBack, type PolishCodePage, renderEscPos } from "./render.ts";
import {
  ASB_MASK,
  DLE_ENQ_CLEAR,
  DLE_EOT,
  GS_A,
  isReady,
  notReadyReason,
  readinessOf,
  realtimeToStatus,
  type StatusMessage,
  StatusReader,
} from "./status.ts";

export interface EscPosPrinterOptions {
  columns: number;
  codePage?: PolishCodePage;
  /** How long one DLE EOT reply may take (default 2000 ms). */
  statusTimeoutMs?: number;
  /** How long a job may take from the last byte sent to the GS r reply (default 60 000 ms). */
  jobTimeoutMs?: number;
  /** While not ready, ask DLE EOT this often to notice recovery (default 5000 ms). */
  pollIntervalMs?: number;
  /**
   * While idle and ready, ask DLE EOT this often (default 30 000 ms): a printer without automatic status
   * back says nothing by itself when its paper runs out between receipts.
   */
  idlePollIntervalMs?: number;
}

type PrintErrorCode = "paper_out" | "cover_open" | "offline" | "failure" | "timeout";

interface RunningJob {
  done(): void;
  fail(code: PrintErrorCode, message: string): void;
}

/** DLE EOT 1–4: printer, offline cause, error cause, roll paper sensor. */
const STATUS_QUERIES = [1, 2, 3, 4] as const;
const ALL_STATUS_QUERIES = Buffer.concat(STATUS_QUERIES.map((n) => DLE_EOT(n)));

/** GS r 1: transmit paper sensor status; answered after everything sent before it was processed. */
const GS_R_PAPER = Buffer.from([0x1d, 0x72, 0x01]);

/** The next turn of the event loop: what the current one wrote is on its way by then. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One DLE EOT question waiting for its reply byte. */
interface RealtimeSlot {
  answered: boolean;
  /** Its round gave up waiting: the byte, if it still comes, is dropped. */
  stale: boolean;
  answer(byte: number | undefined): void;
}

const UNKNOWN_STATUS: PrinterStatus = { online: false, paper: "ok", coverOpen: false, failure: false };

export class EscPosPrinter extends BaseDevice<PrinterEvents> implements ReceiptPrinter {
  readonly kind = "printer" as const;
  private current: PrinterStatus = UNKNOWN_STATUS;
  private readonly reader = new StatusReader();
  /**
   * One slot per DLE EOT sent, in order: the printer answers them one byte each, in the order asked.
   * A slot whose round gave up waiting stays here (`stale`) so the late byte it was owed is dropped
   * when it comes, instead of being taken as the answer to a later question (which would read, say,
   * the roll-paper byte as the offline cause: paper end seen as paper present).
   */
  private readonly realtimeSlots: RealtimeSlot[] = [];
  private job: RunningJob | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private statusChain: Promise<unknown> = Promise.resolve();
  private pollTimer: NodeJS.Timeout | undefined;
  /** The pending poll is the slow one of an idle, ready printer. */
  private idlePolling = false;
  private opened = false;
  /** Whether this printer answers GS r 1 (so confirms each job); unknown until asked on this link. */
  private confirmsJobs: boolean | undefined;
  private readonly paperWaiters: Array<() => void> = [];
  /** Set when the printer stopped answering or the link dropped; cleared when it answers again. */
  private silent = false;
  /**
   * When the last round gave up waiting for replies (see `lateRepliesSettled`), on the monotonic clock:
   * only a duration is measured from it, which a wall clock stepped by NTP must not stretch.
   */
  private staleSince = 0;
  private readonly statusTimeoutMs: number;
  private readonly jobTimeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly idlePollIntervalMs: number;
  private readonly codePage: PolishCodePage;

  constructor(
    private readonly transport: ByteTransport,
    private readonly options: EscPosPrinterOptions,
    private readonly log: DeviceLogger = silentLogger,
    name = "printer",
  ) {
    super(name);
    this.statusTimeoutMs = options.statusTimeoutMs ?? 2000;
    this.jobTimeoutMs = options.jobTimeoutMs ?? 60_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 5000;
    this.idlePollIntervalMs = options.idlePollIntervalMs ?? 30_000;
    this.codePage = options.codePage ?? "cp852";
    transport.on("data", (chunk) => this.onData(chunk));
    transport.on("open", () => this.onLinkOpen());
    transport.on("close", (error) => this.onLinkClosed(error));
  }

  get lastStatus(): PrinterStatus {
    return { ...this.current };
  }

  async open(): Promise<void> {
    this.opened = true;
    this.setState("offline");
    try {
      await this.transport.open();
      // Resolve with a known state: the first status answer (or its absence) decides it.
      const s = await this.status().catch(() => undefined);
      if (s && !this.job) this.setState(isReady(s) ? "idle" : "error");
    } catch (error) {
      this.recordError(
        "offline",
        `printer unreachable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    this.schedulePoll();
  }

  async close(): Promise<void> {
    this.opened = false;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    this.job?.fail("offline", "printer closed");
    await this.transport.close();
    this.flushWaiters();
    this.setState("closed");
  }

  async checkHealth(): Promise<HealthResult> {
    let message: string;
    try {
      const s = await this.status();
      const reason = notReadyReason(s);
      message = reason ? `not ready: ${reason}` : s.paper === "near_end" ? "ready, paper near end" : "ready";
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    const s = this.current;
    return {
      ok: this.state !== "offline" && isReady(s),
      state: this.state,
      message,
      details: {
        transport: this.transport.description,
        online: s.online,
        paper: s.paper,
        coverOpen: s.coverOpen,
        failure: s.failure,
      },
    };
  }

  /** Asks DLE EOT 1–4; rejects with PrintError `offline` when the printer does not answer. */
  status(): Promise<PrinterStatus> {
    const run = this.statusChain.then(() => this.queryStatus());
    this.statusChain = run.catch(() => {});
    return run;
  }

  async readiness(): Promise<PrinterReadiness> {
    try {
      return readinessOf(await this.status());
    } catch {
      return { ready: false, reason: "offline" };
    }
  }

  print(job: PrintJob): Promise<void> {
    const run = this.queue.then(() => this.runJob(job));
    this.queue = run.catch(() => {});
    return run;
  }

  private async queryStatus(): Promise<PrinterStatus> {
    if (!this.transport.isOpen) throw new PrintError("printer link is down", "offline");
    // A real-time command is answered as it arrives, one byte, in order: the four questions go out
    // together and are answered in one round trip, not four (each is a wait on the line).
    await this.lateRepliesSettled();
    const [b1, b2, b3, b4] = await this.realtimeRound();
    if (b1 === undefined || b2 === undefined || b3 === undefined || b4 === undefined) {
      this.silent = true;
      this.updateStatus({ ...this.current, online: false });
      this.setState("offline");
      // Found silent by a question of its own (readiness before a payment): watched closely from now
      // on, so its return is noticed in a fast poll, not at the next idle one.
      this.schedulePoll();
      throw new PrintError("printer does not answer status requests", "offline");
    }
    const status = realtimeToStatus({ 1: b1, 2: b2, 3: b3, 4: b4 });
    if (this.silent) {
      // It answers again after a silence (maybe a power cycle): it may have forgotten status back,
      // and it may still hold part of a job we already reported as failed.
      this.silent = false;
      await this.transport.write(Buffer.concat([DLE_ENQ_CLEAR, GS_A(ASB_MASK)])).catch(() => {});
    }
    this.updateStatus(status);
    if (!isReady(status)) this.schedulePoll();
    return status;
  }

  /**
   * Sends DLE EOT 1–4 and collects their four reply bytes. Each reply may take `statusTimeoutMs` after
   * the one before (a printer may answer real-time commands one after the other, slowly); when one does
   * not come in time, the round ends with `undefined` for the missing ones.
   */
  private realtimeRound(): Promise<Array<number | undefined>> {
    return new Promise((resolve) => {
      const replies: Array<number | undefined> = [];
      const slots: RealtimeSlot[] = [];
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        if (timer) clearTimeout(timer);
        timer = undefined;
        while (replies.length < STATUS_QUERIES.length) replies.push(undefined);
        resolve(replies);
      };
      const arm = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          // Given up: the unanswered slots stay queued as stale, to swallow their late bytes.
          for (const slot of slots) if (!slot.answered) slot.stale = true;
          this.staleSince = performance.now();
          finish();
        }, this.statusTimeoutMs);
      };
      for (const _ of STATUS_QUERIES) {
        const slot: RealtimeSlot = {
          answered: false,
          stale: false,
          answer: (byte) => {
            slot.answered = true;
            if (slot.stale) return;
            if (byte === undefined) {
              for (const other of slots) other.stale = other.stale || !other.answered;
              finish();
              return;
            }
            replies.push(byte);
            if (replies.length === STATUS_QUERIES.length) finish();
            else arm();
          },
        };
        slots.push(slot);
        this.realtimeSlots.push(slot);
      }
      arm();
      this.transport.write(ALL_STATUS_QUERIES).catch(() => {});
    });
  }

  /**
   * Before new questions: late answers still owed to a round that gave up are waited for (and dropped),
   * at most `statusTimeoutMs` after it gave up; a printer that never sends them is not waited for longer.
   */
  private async lateRepliesSettled(): Promise<void> {
    while (this.realtimeSlots.some((slot) => slot.stale)) {
      if (performance.now() - this.staleSince >= this.statusTimeoutMs) {
        this.dropStaleSlots();
        return;
      }
      await new Promise<void>((resolve) => setTimeout(resolve, 20));
    }
  }

  private dropStaleSlots(): void {
    for (let i = this.realtimeSlots.length - 1; i >= 0; i--) {
      if (this.realtimeSlots[i]!.stale) this.realtimeSlots.splice(i, 1);
    }
  }

  private async runJob(job: PrintJob): Promise<void> {
    if (!this.opened) throw new PrintError("printer is not open", "offline");
    // The status question goes out first; the job is encoded while the printer answers it (the
    // encoding is most of the driver's own time in a receipt, the answer a round trip on the line).
    const asked = this.status();
    asked.catch(() => {});
    await nextTurn();
    const bytes = this.encode(job);
    let before: PrinterStatus;
    try {
      before = await asked;
    } catch (error) {
      throw this.failed(
        job,
        error instanceof PrintError ? error.code : "offline",
        "no status before the job",
      );
    }
    const reason = notReadyReason(before);
    if (reason) throw this.failed(job, reason, "printer not ready before the job");

    const confirms = await this.answersPaperStatus();
    this.setState("busy");
    const finished = new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const end = () => {
        if (timer) clearTimeout(timer);
        this.job = undefined;
      };
      this.job = {
        done: () => {
          end();
          resolve();
        },
        fail: (code, message) => {
          end();
          reject(new PrintError(message, code));
        },
      };
      const running = this.job;
      this.transport.write(bytes).then(
        () => {
          if (this.job !== running) return;
          timer = setTimeout(() => void this.jobTimedOut(running), this.jobTimeoutMs);
          if (!confirms) void this.endUnconfirmedJob(running);
        },
        (error: unknown) =>
          running.fail("offline", `write failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    });
    try {
      await finished;
    } catch (error) {
      const code = error instanceof PrintError ? error.code : "failure";
      // Keep the interrupted job from resuming on its own when the fault is fixed.
      if (this.transport.isOpen) await this.transport.write(DLE_ENQ_CLEAR).catch(() => {});
      throw this.failed(job, code, error instanceof Error ? error.message : String(error));
    }
    this.count("receipts_printed");
    this.log.info({ job: job.id }, "receipt printed");
    // The printer answered after the job, so it printed; the status query only refreshes what we show.
    await this.status().catch(() => {});
    this.setState(isReady(this.current) ? "idle" : "error");
  }

  /**
   * Asks once per link whether the printer answers GS r 1 (only while ready: a printer stopped by paper
   * end does not execute it). Idle, a printer that does answers within a status round trip.
   */
  private async answersPaperStatus(): Promise<boolean> {
    if (this.confirmsJobs !== undefined) return this.confirmsJobs;
    const answered = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        const i = this.paperWaiters.indexOf(waiter);
        if (i >= 0) this.paperWaiters.splice(i, 1);
        resolve(false);
      }, this.statusTimeoutMs);
      const waiter = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.paperWaiters.push(waiter);
    });
    await this.transport.write(GS_R_PAPER).catch(() => {});
    this.confirmsJobs = await answered;
    if (!this.confirmsJobs) {
      this.log.warn(
        { transport: this.transport.description },
        "printer does not answer GS r 1: jobs end on its ready status, without its proof that they were processed",
      );
    }
    return this.confirmsJobs;
  }

  /** A printer that cannot confirm a job: the job ends on the next status round, ready or not. */
  private async endUnconfirmedJob(running: RunningJob): Promise<void> {
    try {
      const s = await this.status();
      if (this.job !== running) return;
      const reason = notReadyReason(s);
      if (reason) running.fail(reason, `printer reported ${reason} after the job`);
      else running.done();
    } catch {
      if (this.job === running) running.fail("offline", "the printer stopped answering during the job");
    }
  }

  /** The job's bytes: receiptline's ESC/POS, with automatic status back kept on. */
  private encode(job: PrintJob): Buffer {
    const options = { columns: this.options.columns, codePage: this.codePage };
    return keepStatusBack(renderEscPos(job.document, options), ASB_MASK);
  }

  private async jobTimedOut(running: RunningJob): Promise<void> {
    if (this.job !== running) return;
    try {
      const s = await this.status();
      running.fail(notReadyReason(s) ?? "timeout", "the printer did not finish the job in time");
    } catch {
      running.fail("offline", "the printer stopped answering during the job");
    }
  }

  private failed(job: PrintJob, code: PrintErrorCode, message: string): PrintError {
    this.count(`jobs_failed_${code}`);
    this.recordError(code, `${message} (${code})`);
    this.log.warn({ job: job.id, code }, "receipt not printed");
    if (this.state !== "offline") this.setState(code === "offline" ? "offline" : "error");
    this.schedulePoll();
    return new PrintError(message, code);
  }

  private onData(chunk: Buffer): void {
    for (const message of this.reader.push(chunk)) this.onMessage(message);
  }

  private onMessage(message: StatusMessage): void {
    switch (message.kind) {
      case "realtime": {
        const slot = this.realtimeSlots.shift();
        slot?.answer(message.byte);
        return;
      }
      case "asb": {
        this.updateStatus(message.status);
        const reason = notReadyReason(message.status);
        if (reason && this.job) this.job.fail(reason, `printer reported ${reason} during the job`);
        if (!this.job && this.state !== "busy") this.setState(reason ? "error" : "idle");
        if (reason) this.schedulePoll();
        return;
      }
      case "paper":
        this.confirmsJobs = true;
        for (const waiter of this.paperWaiters.splice(0)) waiter();
        this.job?.done();
        return;
    }
  }

  private updateStatus(status: PrinterStatus): void {
    const previous = this.current;
    this.current = status;
    if (
      previous.online !== status.online ||
      previous.paper !== status.paper ||
      previous.coverOpen !== status.coverOpen ||
      previous.failure !== status.failure
    ) {
      if (status.paper === "out" && previous.paper !== "out") this.count("paper_out_events");
      if (status.paper === "near_end" && previous.paper !== "near_end") this.count("paper_near_end_events");
      this.emit("status", { ...status });
    }
  }

  private onLinkOpen(): void {
    this.reader.reset();
    this.flushWaiters();
    // Maybe another printer on this link: whether it answers GS r 1 is asked again before its first job.
    this.confirmsJobs = undefined;
    // A fresh link: switch automatic status back on (the printer answers with its status at once).
    this.transport.write(GS_A(ASB_MASK)).catch(() => {});
    this.status().then(
      (s) => {
        if (!this.job) this.setState(isReady(s) ? "idle" : "error");
      },
      () => {},
    );
  }

  private onLinkClosed(error?: Error): void {
    this.silent = true;
    this.flushWaiters();
    this.job?.fail("offline", `printer link lost${error ? `: ${error.message}` : ""}`);
    if (this.opened) {
      this.updateStatus({ ...this.current, online: false });
      this.setState("offline");
      this.count("disconnects");
    }
  }

  private flushWaiters(): void {
    // A new link owes nothing: whatever the old one still owed is forgotten.
    for (const slot of this.realtimeSlots.splice(0)) slot.answer(undefined);
  }

  /**
   * Keeps asking DLE EOT: often while the printer is not ready (or silent), so recovery is noticed
   * without automatic status back, and now and then while idle, so a fault that comes while nothing
   * prints (paper out, cover opened) is noticed before the next card is charged. Not during a job.
   */
  private schedulePoll(): void {
    if (!this.opened) return;
    const ready = this.state === "idle" && isReady(this.current);
    if (this.pollTimer) {
      // A fault while the slow idle poll is pending: ask often from now on.
      if (ready || !this.idlePolling) return;
      clearTimeout(this.pollTimer);
    }
    this.idlePolling = ready;
    this.pollTimer = setTimeout(
      () => {
        this.pollTimer = undefined;
        if (!this.opened) return;
        if (this.job || !this.transport.isOpen) {
          this.schedulePoll();
          return;
        }
        this.status().then(
          (s) => {
            if (!this.job) this.setState(isReady(s) ? "idle" : "error");
            this.schedulePoll();
          },
          () => this.schedulePoll(),
        );
      },
      ready ? this.idlePollIntervalMs : this.pollIntervalMs,
    );
    this.pollTimer.unref?.();
  }
}
