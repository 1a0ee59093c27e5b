/**
 * Booking a charge the terminal made: its answer stored before the terminal is acknowledged, the
 * commit (state and outbox reports in one transaction), then the receipt. A printer failure never
 * undoes a payment; a reprint is recorded through the table like every other change.
 */
import type { TerminalTransaction } from "../../devices/device.ts";
import { maskPan } from "../domain/pan.ts";
import type { ReceiptModel } from "../domain/receipt.ts";
import { signReceiptCode } from "../domain/receipt-code.ts";
import { businessDay, compactSecond, isoWithOffset } from "../domain/time.ts";
import { crashPoint } from "../ops/crash-points.ts";
import { appendAudit } from "../store/records.ts";
import { readSessions, type SessionPatch, type SessionRow } from "../store/sessions.ts";
import { FlowError } from "./errors.ts";
import { type FlowDependencies, FlowPart } from "./ports.ts";
import { receiptModelOf } from "./receipt-model.ts";
import { transactionData } from "./terminal-answers.ts";
import { transition, tryTransition } from "./transition.ts";

export class Booking extends FlowPart<
  Pick<
    FlowDependencies,
    "config" | "store" | "printer" | "receiptKey" | "renderReceipt" | "enqueuePaymentReports" | "log"
  > & { now: () => Date }
> {
  /**
   * Stores the terminal's answer. Runs before the driver acknowledges the terminal (its commit point).
   * `paidAt`: when a recovered payment was made by the terminal's clock (defaults to now).
   */
  persistResult(id: string, tx: TerminalTransaction, paidAt?: Date): void {
    const now = paidAt ?? this.now();
    const tz = this.config.kiosk.timezone;
    const data = transactionData(tx);
    if (tx.outcome === "approved") {
      const row = this.store.get(id) as SessionRow;
      const verification = signReceiptCode(
        {
          kiosk: this.config.kiosk.id,
          payment: id,
          office: row.office_id,
          slip: row.slip_id,
          total: row.total,
          paidAt: compactSecond(now, tz),
          kid: this.deps.receiptKey.kid,
        },
        this.deps.receiptKey.privateKey,
      );
      transition(
        this.store,
        id,
        "approve",
        "terminal approved",
        {
          payment_status: "approved",
          paid_at: isoWithOffset(now, tz),
          business_day: businessDay(now, tz),
          auth_code: tx.authCode ?? null,
          masked_pan: tx.maskedPan ? maskPan(tx.maskedPan) : null,
          card_brand: tx.cardBrand ?? null,
          terminal_id: tx.terminalId ?? null,
          trace_no: tx.traceNumber ?? null,
          receipt_no: tx.receiptNumber ?? null,
          terminal_time: tx.terminalTime ?? null,
          verification_code: verification,
          error_code: null,
          terminal_stage: "result_stored",
        },
        { data, now: this.now().toISOString() },
      );
    } else {
      const cancelled = this.host.cancelRequested || tx.outcome === "aborted";
      transition(
        this.store,
        id,
        "decline",
        `terminal ${tx.outcome} (result ${tx.resultCode})`,
        { payment_status: "declined", error_code: cancelled ? "CANCELLED" : "DECLINED" },
        { data, now: this.now().toISOString() },
      );
    }
    this.host.publish();
  }

  /**
   * The terminal committed the payment: report it (outbox, same transaction as the state change),
   * then print, then wake the outbox. A printer failure never undoes the payment.
   */
  async commitAndPrint(id: string, reason: string, patch: SessionPatch = {}, print = true): Promise<void> {
    const now = this.now();
    const row = transition(
      this.store,
      id,
      "commit",
      reason,
      { ...patch, committed_at: now.toISOString() },
      { extra: () => this.deps.enqueuePaymentReports(id) },
    );
    crashPoint("flow.committed");
    try {
      await this.finishCommitted(id, row, now, print);
    } finally {
      // The reports are stored with the commit; they go out after the visitor's receipt, so their
      // deliveries and writes do not hold up the printer (the outbox polls for them anyway).
      this.host.emit("reportsEnqueued");
    }
  }

  /** After the commit: the outcome shown and counted, then the receipt (or the finish without one). */
  private async finishCommitted(id: string, row: SessionRow, now: Date, print: boolean): Promise<void> {
    const started = row.authorizing_at ? new Date(row.authorizing_at) : now;
    this.host.emit("paymentFinished", {
      outcome: "approved",
      amount: row.total,
      seconds: (now.getTime() - started.getTime()) / 1000,
    });
    this.host.clearTerminalMessage();
    this.host.publish();
    if (print) {
      await this.printReceipt(id);
      return;
    }
    tryTransition(
      this.store,
      this.deps.log,
      id,
      "finish",
      "no receipt printed: resolved by staff, reprint on request",
      {
        receipt_printed: 0,
      },
    );
    this.host.publish();
  }

  private async printReceipt(id: string): Promise<void> {
    let printed = false;
    let why = "";
    try {
      const model = readSessions(this.store.db, () =>
        receiptModelOf(
          this.config,
          this.store.get(id) as SessionRow,
          this.store.lines(id),
          this.store.slips(id),
          {
            terminalReceipt: [...this.host.terminalReceipt],
          },
        ),
      );
      await this.deps.printer.print({ id: `${id}-receipt`, document: this.deps.renderReceipt(model) });
      printed = true;
      crashPoint("flow.printed");
    } catch (e) {
      why = e instanceof Error ? e.message : String(e);
      this.deps.log.warn({ session: id, err: why }, "receipt not printed");
    }
    tryTransition(
      this.store,
      this.deps.log,
      id,
      "finish",
      printed ? "receipt printed" : `receipt not printed: ${why}`,
      printed ? { receipt_printed: 1 } : { receipt_printed: 0, error_code: "RECEIPT_NOT_PRINTED" },
    );
    crashPoint("flow.done");
    this.host.settled(id);
    this.host.publish();
  }

  /** The receipt of a booked payment (null before its commit). */
  receiptModel(id: string): ReceiptModel | null {
    const row = this.store.get(id);
    if (!row?.committed_at) return null;
    return receiptModelOf(this.config, row, this.store.lines(id), this.store.slips(id));
  }

  /** The payment whose receipt was last retried when the printer came back (see `retryReceipt`). */
  private retriedReceipt: string | undefined;

  /**
   * The printer is ready again: the visit's own receipt, if it failed, prints now (a fault is logged).
   * Once per payment: a receipt whose job ended in a lost link may well have come out (the printer
   * closed the connection before answering the GS r 1 that confirms it), and a printer that closes it
   * after every job would otherwise print the same receipt at each reconnection, in a loop. After that
   * one retry the visitor has the reprint (SPEC §1a) and staff the service console.
   */
  async retryReceipt(row: SessionRow): Promise<void> {
    if (row.state !== "done" || row.receipt_printed === 1 || row.payment_status !== "approved") return;
    if (this.retriedReceipt === row.id) return;
    this.retriedReceipt = row.id;
    await this.reprint(row.id, { copy: false }).catch((e: unknown) => {
      this.deps.log.warn({ err: String(e) }, "receipt retry failed");
    });
  }

  /** Prints a receipt again (technician's reprint, or the printer came back for the visitor on screen). */
  async reprint(id: string, options: { copy: boolean }): Promise<void> {
    const row = this.store.get(id);
    if (
      !row ||
      (row.payment_status !== "approved" && row.payment_status !== "reversed") ||
      !row.committed_at
    ) {
      throw new FlowError("NOT_FOUND", `no approved payment ${id}`);
    }
    const model = receiptModelOf(this.config, row, this.store.lines(id), this.store.slips(id), {
      reprint: options.copy,
    });
    try {
      await this.deps.printer.print({
        id: `${id}-reprint-${Date.now()}`,
        document: this.deps.renderReceipt(model),
      });
    } catch (e) {
      // A refusal with the catalogue's code (503), not a failure of the kiosk (500).
      throw new FlowError(
        "PRINTER_UNAVAILABLE",
        `the receipt could not be printed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    // Through the table like every other change of a payment (it used to bypass it): the visit's
    // own receipt that came out late also clears the error the visitor was shown.
    transition(
      this.store,
      id,
      "receiptPrinted",
      options.copy ? "receipt copy printed" : "receipt printed after the printer came back",
      options.copy ? { receipt_printed: 1 } : { receipt_printed: 1, error_code: null },
      {
        extra: () =>
          appendAudit(this.store.db, {
            actor: "kiosk",
            action: "receipt_printed",
            target: id,
            details: { copy: options.copy },
          }),
      },
    );
    this.host.shown(id);
  }
}
