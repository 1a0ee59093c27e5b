/**
 * The payment run against the terminal: what must hold before a card is asked, the intent to charge
 * written before the terminal hears of it, and the terminal's answer carried to its row of the table
 * (approved → booked and printed, declined or refused → the visitor may try again or leave, lost →
 * recovery). Runs on the terminal only inside the flow's TerminalLock.
 */
import {
  type PaymentTerminal,
  type TerminalTransaction,
  TerminalCommandError,
  TerminalOutcomeUnknownError,
} from "../../devices/device.ts";
import { scrubPans } from "../domain/pan.ts";
import { crashPoint } from "../ops/crash-points.ts";
import type { SessionRow } from "../store/sessions.ts";
import { isDatabaseFull } from "../store/space.ts";
import type { Booking } from "./booking.ts";
import { FlowError } from "./errors.ts";
import { type FlowDependencies, FlowPart } from "./ports.ts";
import type { Recovery } from "./recovery.ts";
import { awaitsVisitor } from "./states.ts";
import type { TerminalLock } from "./terminal-lock.ts";
import { transition, tryTransition } from "./transition.ts";
import type { VisitScreen } from "./visit-screen.ts";

export class PaymentRun extends FlowPart<
  Pick<FlowDependencies, "config" | "store" | "printer" | "log"> & {
    terminal: PaymentTerminal;
    booking: Booking;
    recovery: Recovery;
    terminalLock: TerminalLock;
    screen: VisitScreen;
    now: () => Date;
  }
> {
  /** The visitor asked the terminal to abort the attempt now running. */
  cancelRequested = false;
  /** The visitor's copy of the terminal's receipt text of the attempt now running (PANs scrubbed). */
  readonly receipt: string[] = [];
  /** The session whose `request_sent` stage is already written (one write per attempt). */
  private stageSeen: string | null = null;

  /** The terminal's prompts and receipt text belong to the attempt on screen. */
  listen(): void {
    const { terminal, screen } = this.deps;
    terminal.on("intermediate", (status) => {
      if (!screen.id) return;
      this.terminalAnswered(screen.id);
      screen.terminalSaid(status.message, status.code);
    });
    terminal.on("receiptText", (lines, copy) => {
      if (screen.id) this.terminalAnswered(screen.id);
      // The merchant's and the administration copy are not the visitor's (issue 12 defect 6).
      if (copy === "merchant" || copy === "administration") return;
      this.receipt.push(...lines.map((l) => scrubPans(l)));
    });
  }

  /** The terminal showed it received the 06 01 (recovery's stage `request_sent`). */
  private terminalAnswered(id: string): void {
    if (this.stageSeen === id) return;
    this.stageSeen = id;
    this.store.advanceStage(id, "request_sent", ["nothing_sent"]);
  }

  /**
   * Refuses a payment the kiosk cannot take now. The terminal's lock is checked last, with nothing
   * awaited between it and the payment being queued on the terminal.
   */
  async assertMayPay(row: SessionRow): Promise<void> {
    if (this.deps.screen.outOfOrder) throw new FlowError("DEVICE_UNAVAILABLE", "out of order");
    const terminal = this.deps.terminal;
    if (terminal.state === "offline" || terminal.state === "closed" || terminal.state === "error") {
      throw new FlowError("DEVICE_UNAVAILABLE", "the card terminal is unavailable");
    }
    await this.assertPrinterReady(row.id);
    const lock = this.deps.terminalLock;
    if (lock.busy) {
      throw new FlowError(
        "DEVICE_UNAVAILABLE",
        `the card terminal is busy (${lock.heldBy ?? "queued work"}); try again shortly`,
      );
    }
  }

  /**
   * Asks the printer before any card is charged (issue 12 defect 5): one without automatic status
   * back says nothing by itself when its paper runs out while idle, and a visitor charged without a
   * receipt is worse than one sent to the cash desk. Its answer may put the kiosk out of order and end
   * the summary on screen meanwhile, so the session is looked at again afterwards.
   */
  private async assertPrinterReady(id: string): Promise<void> {
    const readiness = await this.deps.printer.readiness();
    if (!readiness.ready) {
      this.deps.log.warn({ session: id, reason: readiness.reason }, "payment refused: printer not ready");
      throw new FlowError("PRINTER_UNAVAILABLE", `the receipt printer is not ready (${readiness.reason})`);
    }
    const row = this.store.get(id);
    if (!row || !awaitsVisitor(row.state)) {
      throw new FlowError("DEVICE_UNAVAILABLE", "out of order");
    }
  }

  /**
   * The intent to charge (row `pay`), written before the terminal is asked; then the attempt starts
   * afresh. A slip another session holds meanwhile (the store's unique index) ends this one as paid.
   */
  begin(row: SessionRow, now: Date): void {
    try {
      transition(
        this.store,
        row.id,
        "pay",
        "payment started",
        {
          payment_status: "authorizing",
          attempts: row.attempts + 1,
          authorizing_at: now.toISOString(),
          error_code: null,
          terminal_stage: "nothing_sent",
        },
        { now: now.toISOString(), data: { amount: row.total, attempt: row.attempts + 1 } },
      );
    } catch (e) {
      if (e instanceof Error && /UNIQUE constraint failed/.test(e.message)) {
        transition(this.store, row.id, "abandon", "slip already paid", { error_code: "SLIP_ALREADY_PAID" });
        this.host.publish();
        throw new FlowError("SLIP_ALREADY_PAID", "this slip has already been paid", {
          reason: "changed_meanwhile",
        });
      }
      if (isDatabaseFull(e)) this.deps.screen.databaseFull();
      throw e;
    }
    crashPoint("flow.authorizing.written");
    // A new attempt: its own terminal prompts, receipt text and cancel request; no time-out.
    this.stageSeen = null;
    this.cancelRequested = false;
    this.receipt.length = 0;
    this.deps.screen.stopIdleTimer();
    this.deps.screen.clearTerminalMessage();
  }

  /** The visitor cancels at the terminal: it decides (an abort it accepts ends the attempt cancelled). */
  async abort(): Promise<void> {
    this.cancelRequested = true;
    await this.deps.terminal.abort().catch((e: unknown) => {
      this.deps.log.warn({ err: String(e) }, "terminal abort failed");
    });
  }

  /** Asks the terminal to charge session `id` and carries its answer to the table. */
  async authorize(id: string, startedAt: Date): Promise<void> {
    try {
      const tx = await this.askTerminal(id);
      if (tx.outcome === "approved") {
        await this.deps.booking.commitAndPrint(id, "terminal confirmed", {
          terminal_stage: "completion_seen",
        });
      } else {
        this.finishNotApproved(id, startedAt);
      }
    } catch (e) {
      if (e instanceof TerminalCommandError) {
        this.deps.log.warn(
          { session: id, resultCode: e.resultCode, err: e.message },
          "terminal refused the payment",
        );
        this.safeMove(id, "refuse", `terminal refused: ${e.message}`, {
          payment_status: "declined",
          error_code: "TERMINAL_UNAVAILABLE",
        });
        // Not the card's bank: the terminal could not run the payment (busy, not ready, a fault).
        this.finishNotApproved(id, startedAt, "error");
        return;
      }
      const why = e instanceof TerminalOutcomeUnknownError ? e.message : `unexpected: ${String(e)}`;
      this.deps.log.error({ session: id, err: why }, "payment outcome unknown; recovering");
      this.safeMove(id, "lose", `outcome unknown: ${why}`, { payment_status: "unknown" });
      this.host.publish();
      await this.deps.recovery.recoverSession(id);
    }
  }

  /** The terminal's answer, stored before the terminal is acknowledged (its commit point). */
  private async askTerminal(id: string): Promise<TerminalTransaction> {
    const row = this.store.get(id) as SessionRow;
    let persisted = false;
    const tx = await this.deps.terminal.authorize({
      amount: row.total,
      persist: (t) => {
        this.deps.booking.persistResult(id, t);
        persisted = true;
        crashPoint("flow.result.persisted");
      },
      acknowledged: (t) => {
        if (t.outcome !== "approved") return;
        this.store.advanceStage(id, "result_acknowledged", ["result_stored"]);
        crashPoint("flow.result.acknowledged");
      },
    });
    crashPoint("flow.completion.received");
    if (!persisted) this.deps.booking.persistResult(id, tx);
    return tx;
  }

  private safeMove(...args: Parameters<typeof transition> extends [unknown, ...infer R] ? R : never): void {
    tryTransition(this.store, this.deps.log, ...args);
  }

  /**
   * Declined, aborted or refused: a visitor who asked to cancel ends cancelled, else may try again.
   * `error` when the terminal refused the command itself rather than the card being declined.
   */
  private finishNotApproved(id: string, startedAt: Date, outcome: "declined" | "error" = "declined"): void {
    const row = this.store.get(id);
    if (!row) return;
    const seconds = (this.now().getTime() - startedAt.getTime()) / 1000;
    if (this.cancelRequested && row.state === "declined") {
      this.safeMove(id, "abandon", "cancelled by the visitor");
      this.host.emit("paymentFinished", { outcome: "cancelled", amount: row.total, seconds });
    } else {
      this.host.emit("paymentFinished", { outcome, amount: row.total, seconds });
    }
    this.cancelRequested = false;
    const screen = this.deps.screen;
    screen.clearTerminalMessage();
    screen.settled(id);
    screen.publish();
  }
}
