/**
 * Operations on the one terminal between visits: staff's same-day void and end-of-day, and the
 * end-of-day the terminal itself asks for. Each waits for whatever holds the terminal now (never
 * interleaved with a visitor's payment or its recovery); each is refused outright while the visitor's
 * own payment is in progress.
 */
import type { PaymentTerminal, TerminalNeed } from "../../devices/device.ts";
import { type EndOfDayInput, type EndOfDayResult, runEndOfDay, unresolvedPayments } from "./end-of-day.ts";
import { FlowError } from "./errors.ts";
import type { FlowDependencies } from "./ports.ts";
import { awaitsVisitor, inProgress } from "./states.ts";
import type { TerminalLock } from "./terminal-lock.ts";
import type { VisitScreen } from "./visit-screen.ts";
import { type VoidResult, voidPayment } from "./void-payment.ts";

export interface TerminalOperationsDependencies
  extends Pick<FlowDependencies, "config" | "store" | "log" | "endOfDay"> {
  terminal: PaymentTerminal;
  terminalLock: TerminalLock;
  screen: VisitScreen;
  now: () => Date;
}

export class TerminalOperations {
  /** The terminal's end-of-day request already answered (run, or tried and failed): never run twice. */
  private answeredRequest: number | null = null;
  /** The request last put off (logged once per request). */
  private deferredRequest: number | null = null;

  constructor(private readonly deps: TerminalOperationsDependencies) {}

  /**
   * The terminal asks for an end-of-day (ZVT terminal status F0 reconciliation required, B1 memory
   * full). The kiosk's own end-of-day answers it (the one the schedule and the service console run:
   * the batch's totals stored and reconciled, the day queued for settlement, audited with actor
   * `terminal`), at most once per request. Never while a payment is unresolved (a reversal would be
   * impossible afterwards), a visitor is on screen, or the terminal is held: the driver repeats the
   * request at each idle poll, so a request put off is looked at again then.
   */
  async endOfDayAsked(need: TerminalNeed): Promise<EndOfDayResult | null> {
    if (need.action !== "end_of_day" || need.request === this.answeredRequest) return null;
    const { log } = this.deps;
    const blocked = this.endOfDayBlockedBy();
    if (blocked) {
      if (this.deferredRequest !== need.request) {
        this.deferredRequest = need.request;
        log.warn(
          { request: need.request, code: need.code, blocked },
          `the terminal asks for an end-of-day (${need.reason}); put off: ${blocked}`,
        );
      }
      return null;
    }
    this.answeredRequest = need.request;
    log.warn(
      { request: need.request, code: need.code },
      `the terminal asks for an end-of-day (${need.reason}); running the kiosk's end-of-day`,
    );
    try {
      const result = await this.endOfDay("terminal", this.deps.endOfDay ?? {});
      log.info(
        { request: need.request, day: result.day, closingId: result.closingId, mismatch: result.mismatch },
        "the end-of-day the terminal asked for is done",
      );
      return result;
    } catch (error) {
      // Not tried again for this request: a technician sees the terminal's status and the error.
      log.error(
        { request: need.request, err: error instanceof Error ? error.message : String(error) },
        "the end-of-day the terminal asked for failed; not tried again until the terminal asks anew",
      );
      return null;
    }
  }

  /** Why the end-of-day the terminal asks for must wait now, or null. */
  private endOfDayBlockedBy(): string | null {
    const row = this.deps.screen.current();
    if (row && (inProgress(row.state) || awaitsVisitor(row.state)))
      return `a visit is on screen (session ${row.id}, ${row.state})`;
    const open = unresolvedPayments(this.deps.store.db);
    if (open.length > 0) return `${open.length} payment(s) not yet resolved`;
    const lock = this.deps.terminalLock;
    if (lock.busy) return `the terminal is busy (${lock.heldBy ?? "queued work"})`;
    return null;
  }

  /** Same-day void (void-payment.ts); the visitor's payment still in progress cannot be voided yet. */
  void(id: string, actor: string, reason: string): Promise<VoidResult> {
    const row = this.deps.screen.current();
    if (row?.id === id && inProgress(row.state)) {
      return Promise.reject(new FlowError("CONFLICT", "the payment is still in progress"));
    }
    const { store, terminal, config, now } = this.deps;
    const input = { db: store.db, terminal, config, paymentId: id, actor, reason, now };
    return this.deps.terminalLock.run("void", () => voidPayment(input));
  }

  /** End-of-day (end-of-day.ts) with the kiosk out of order meanwhile, so no payment starts during it. */
  async endOfDay(
    actor: string,
    options: Pick<EndOfDayInput, "reportDirectory" | "log"> = {},
  ): Promise<EndOfDayResult> {
    const { store, terminal, config, now, screen } = this.deps;
    const row = screen.current();
    if (row && inProgress(row.state)) {
      throw new FlowError("CONFLICT", "a payment is in progress; end-of-day must wait");
    }
    screen.setOutOfOrder("end_of_day", "end-of-day in progress");
    try {
      const input = { db: store.db, terminal, config, now, actor, ...options };
      return await this.deps.terminalLock.run("end-of-day", () => runEndOfDay(input));
    } finally {
      screen.setOutOfOrder("end_of_day", null);
    }
  }
}
