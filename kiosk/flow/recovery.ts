/**
 * Recovery: every payment a crash, a lost answer or a restart left in flight ends in a known state,
 * by the decision table of kiosk/domain/recovery-match.ts (what the kiosk stored × what the terminal
 * repeats). A payment the terminal cannot prove stays unknown and keeps the kiosk out of order until
 * the terminal answers or staff resolve it. Runs on the terminal only inside the flow's TerminalLock.
 */
import type { PaymentTerminal, TerminalTransaction } from "../../devices/device.ts";
import {
  type AttemptFacts,
  committedByStage,
  decideRecovery,
  recoveredPaidAt,
  type TerminalAnswer,
} from "../domain/recovery-match.ts";
import { appendAudit, journalOf } from "../store/records.ts";
import type { SessionRow } from "../store/sessions.ts";
import type { Booking } from "./booking.ts";
import { FlowError } from "./errors.ts";
import { type FlowDependencies, FlowPart } from "./ports.ts";
import {
  answerData,
  lastRecoveryData,
  stageOf,
  storedApproval,
  terminalAnswerOf,
  type UnresolvedPayment,
  unresolvedPaymentOf,
} from "./terminal-answers.ts";
import { abandonVisit, transition, tryTransition } from "./transition.ts";

/** Asks the terminal again this long after it did not answer. */
const RETRY_MS = 5_000;

export class Recovery extends FlowPart<
  Pick<FlowDependencies, "config" | "store" | "log"> & {
    terminal: PaymentTerminal;
    booking: Booking;
    now: () => Date;
    /** Runs recovery again, in turn with the flow's other work. */
    retry: () => void;
  }
> {
  private retryTimer: NodeJS.Timeout | null = null;

  /** Stops a pending retry (the flow is closing). */
  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  /** After a restart: abandoned summaries are cancelled, payments in flight resolved one by one. */
  async recoverAll(): Promise<void> {
    for (const row of this.store.abandoned()) {
      abandonVisit(this.store, row.id, "restart: the visitor's session was abandoned");
    }
    for (const row of this.store.unfinished()) {
      await this.recoverSession(row.id);
    }
    this.host.publish();
  }

  /**
   * Resolves one session left in authorizing, unknown, approved or printing by the recovery decision
   * table (kiosk/domain/recovery-match.ts): what the kiosk stored × what the terminal repeats.
   */
  async recoverSession(id: string): Promise<void> {
    const row = this.store.get(id);
    if (!row) return;
    if (row.state === "printing") {
      // Printing may or may not have completed; printing again could duplicate it. A technician reprints.
      tryTransition(
        this.store,
        this.deps.log,
        id,
        "finish",
        "restart during printing: receipt not printed again",
        {
          receipt_printed: 0,
          error_code: "RECEIPT_NOT_PRINTED",
        },
      );
      return;
    }
    if (row.state !== "authorizing" && row.state !== "unknown" && row.state !== "approved") return;
    if (row.state === "authorizing") {
      tryTransition(this.store, this.deps.log, id, "lose", "restart: outcome unknown", {
        payment_status: "unknown",
      });
    }
    const stage = stageOf(row);
    // After the commit point the terminal is not even asked: nothing it repeats can undo the payment.
    const asked = committedByStage(stage) ? null : await this.askTerminal(id);
    const answer = asked?.answer ?? null;
    const current = this.store.get(id) as SessionRow;
    const previous = current.authorizing_at
      ? this.store.previousTransaction(id, current.authorizing_at)
      : null;
    const facts: AttemptFacts = {
      total: current.total,
      receiptNo: current.receipt_no,
      traceNo: current.trace_no,
      authorizingAt: current.authorizing_at,
      stage,
    };
    const { decision, answer: cls } = answer
      ? decideRecovery(facts, answer, previous, this.config.kiosk.timezone)
      : { decision: "paid" as const, answer: "not asked" };
    const data = { stage, answer: cls, terminal: answer ? answerData(answer) : null };
    if (decision === "paid") await this.recoverAsPaid(id, asked?.tx ?? null, data);
    else if (decision === "not_charged") this.recoverAsNotCharged(id, data);
    else this.leaveUnknown(id, decision, data);
    this.judgeOutOfOrder();
    this.host.publish();
  }

  /** 06 20, in the domain's words: any failure to get an answer is `no_answer`. */
  private async askTerminal(id: string): Promise<{ answer: TerminalAnswer; tx: TerminalTransaction | null }> {
    try {
      return terminalAnswerOf(await this.deps.terminal.lastTransaction());
    } catch (e) {
      this.deps.log.error(
        { session: id, err: String(e) },
        "cannot ask the terminal; payment stays unresolved",
      );
      return { answer: { kind: "no_answer" }, tx: null };
    }
  }

  private async recoverAsPaid(
    id: string,
    tx: TerminalTransaction | null,
    data: Record<string, unknown>,
  ): Promise<void> {
    const row = this.store.get(id) as SessionRow;
    if (row.state === "unknown") {
      if (tx && tx.receiptNumber !== row.receipt_no) {
        // The terminal's time of the transaction, not the recovery's (issue 12, defect 5).
        const paidAt = recoveredPaidAt(
          tx.terminalTime,
          { from: new Date(row.authorizing_at ?? this.now()), to: this.now() },
          this.config.kiosk.timezone,
        );
        if (!paidAt) this.deps.log.warn({ session: id }, "terminal time implausible; recovery time stamped");
        this.deps.booking.persistResult(id, tx, paidAt ?? undefined);
      } else {
        transition(this.store, id, "approve", "recovered: the stored approval stands", {
          payment_status: "approved",
          error_code: null,
        });
      }
    }
    await this.deps.booking.commitAndPrint(
      id,
      `recovered: paid (${String(data["answer"])} at ${String(data["stage"])})`,
    );
  }

  recoverAsNotCharged(id: string, data: Record<string, unknown>): void {
    const current = this.store.get(id) as SessionRow;
    tryTransition(
      this.store,
      this.deps.log,
      id,
      "notCharged",
      `recovered: not charged (${String(data["answer"])})`,
      { payment_status: "declined", error_code: "NOT_CHARGED" },
      { data },
    );
    this.host.emit("paymentFinished", { outcome: "not_charged", amount: current.total });
    this.host.settled(id);
  }

  /**
   * The terminal cannot prove the outcome (or did not answer): the session stays unknown, its slip
   * stays blocked, and the kiosk takes no payment until staff resolve it (or the terminal answers).
   */
  private leaveUnknown(id: string, decision: "unknown" | "ask_again", data: Record<string, unknown>): void {
    const current = this.store.get(id) as SessionRow;
    const reason =
      decision === "ask_again"
        ? "recovery: the terminal did not answer; asking again"
        : `recovery: the terminal cannot prove the outcome (${String(data["answer"])}); staff must resolve it`;
    // Only staff can settle it now: the visitor's screen stops saying "please wait" and sends them to staff.
    tryTransition(
      this.store,
      this.deps.log,
      id,
      "stillUnknown",
      reason,
      { payment_status: "unknown", error_code: decision === "unknown" ? "PAYMENT_UNRESOLVED" : null },
      { data },
    );
    if (decision === "ask_again") {
      this.scheduleRecoveryRetry();
      return;
    }
    this.deps.log.error(
      { session: id, amount: current.total, ...data },
      "payment outcome unknown; staff must resolve it",
    );
    appendAudit(this.store.db, {
      actor: "kiosk",
      action: "payment_unresolved",
      target: id,
      details: { amount: current.total, ...data },
    });
  }

  /** Out of order for payments while any payment's outcome is unknown. */
  judgeOutOfOrder(): void {
    const open = this.store.unfinished().some((r) => r.state === "unknown");
    this.host.setOutOfOrder(
      "recovery",
      open ? "a payment's outcome is unknown: staff must check it with the card terminal" : null,
    );
  }

  /** Sessions whose outcome is unknown, for the service console and the admin API, with the terminal's last answer. */
  unresolvedPayments(): UnresolvedPayment[] {
    return this.store
      .unfinished()
      .filter((r) => r.state === "unknown")
      .map((r) => unresolvedPaymentOf(r, lastRecoveryData(journalOf(this.store.db, r.id))));
  }

  /** The terminal did not answer: ask again a little later (once; a pending retry is kept). */
  private scheduleRecoveryRetry(): void {
    if (this.retryTimer || this.host.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.deps.retry();
    }, RETRY_MS);
    this.retryTimer.unref();
  }

  /** Staff's verdict on an unknown payment (PaymentFlow.resolveUnknown), audited before it takes effect. */
  async resolve(
    id: string,
    { verdict, note, receiptNo }: { verdict: "charged" | "not_charged"; note: string; receiptNo?: string },
    actor: string,
  ): Promise<SessionRow> {
    const row = this.store.get(id);
    if (row?.state !== "unknown") throw new FlowError("CONFLICT", `payment ${id} is not awaiting resolution`);
    appendAudit(this.store.db, {
      actor,
      action: "payment.resolve",
      target: id,
      details: { verdict, note, amount: row.total, ...(receiptNo ? { receiptNo } : {}) },
    });
    if (verdict === "charged") {
      const paidAt = row.paid_at ? new Date(row.paid_at) : undefined;
      const tx = storedApproval(row);
      // The terminal's receipt staff found on its journal, when the kiosk never stored one.
      if (receiptNo) tx.receiptNumber = receiptNo;
      this.deps.booking.persistResult(id, tx, paidAt);
      await this.deps.booking.commitAndPrint(id, `resolved by ${actor}: charged (${note})`, {}, false);
    } else {
      this.recoverAsNotCharged(id, { answer: "staff", actor, note });
    }
    // The driver refuses end-of-day while a lost payment is open (a reversal is impossible after it);
    // once staff decided the last one, the day can close again without a restart.
    if (!this.store.unfinished().some((r) => r.state === "unknown"))
      this.deps.terminal.lostOutcomesSettled?.();
    this.judgeOutOfOrder();
    this.host.publish();
    return this.store.get(id) as SessionRow;
  }
}
