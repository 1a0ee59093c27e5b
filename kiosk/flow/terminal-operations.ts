/**
 * Staff's operations on the one terminal between visits: a same-day void and end-of-day. Each waits
 * for whatever holds the terminal now (never interleaved with a visitor's payment or its recovery);
 * each is refused outright while the visitor's own payment is in progress.
 */
import type { PaymentTerminal } from "../../devices/device.ts";
import { type EndOfDayInput, type EndOfDayResult, runEndOfDay } from "./end-of-day.ts";
import { FlowError } from "./errors.ts";
import type { FlowDependencies } from "./ports.ts";
import { inProgress } from "./states.ts";
import type { TerminalLock } from "./terminal-lock.ts";
import type { VisitScreen } from "./visit-screen.ts";
import { type VoidResult, voidPayment } from "./void-payment.ts";

export interface TerminalOperationsDependencies extends Pick<FlowDependencies, "config" | "store"> {
  terminal: PaymentTerminal;
  terminalLock: TerminalLock;
  screen: VisitScreen;
  now: () => Date;
}

export class TerminalOperations {
  constructor(private readonly deps: TerminalOperationsDependencies) {}

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
