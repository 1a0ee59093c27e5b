/**
 * IN-MEMORY FAKE, not a protocol simulator: a payment terminal that speaks no bytes. It serves
 * fast flow unit tests and the `fake` protocol of the configuration. The ZVT simulator in
 * `devices/sim/zvt-terminal.ts` is the one that speaks the wire protocol.
 */
import {
  type AbortAnswer,
  type AuthorizationRequest,
  BaseDevice,
  type HealthResult,
  type LastTransactionAnswer,
  type PaymentTerminal,
  type TerminalEndOfDay,
  type TerminalEvents,
  TerminalOutcomeUnknownError,
  type TerminalTransaction,
} from "../device.ts";

/** What the next authorization does. `lost`: the terminal charges, but its answer never arrives. */
export type FakeBehaviour = "approve" | "decline" | "never" | "lost" | "lostUncharged";

const APPROVED = { pl: "Płatność zaakceptowana", en: "Payment approved", uk: "Платіж схвалено" };
const DECLINED = { pl: "Odmowa", en: "Declined", uk: "Відмовлено" };
const ABORTED = { pl: "Przerwano", en: "Aborted", uk: "Перервано" };

export class FakeTerminal extends BaseDevice<TerminalEvents> implements PaymentTerminal {
  readonly kind = "terminal" as const;
  behaviour: FakeBehaviour = "approve";
  /** Transactions that really charged a card (reversals removed): what the acquirer will pay out. */
  readonly turnover: TerminalTransaction[] = [];
  /** Transactions already in a closed batch: end-of-day totals cover only the open one, as on a real terminal. */
  private readonly closed = new WeakSet<TerminalTransaction>();
  private last: TerminalTransaction | null = null;
  private receipt = 0;
  private pending: ((tx: TerminalTransaction) => void) | null = null;
  /** When set, `lastTransaction` answers `no_answer` (the terminal is unreachable). */
  unreachable = false;
  /** When set, `lastTransaction` answers this instead of the last transaction (e.g. `nothing`, `unreadable`). */
  repeatAnswer: LastTransactionAnswer | undefined;

  constructor() {
    super("terminal");
  }

  async open(): Promise<void> {
    this.setState("idle");
  }

  async close(): Promise<void> {
    this.setState("closed");
  }

  async checkHealth(): Promise<HealthResult> {
    return { ok: this.state === "idle", state: this.state, message: "in-memory fake terminal" };
  }

  private record(
    outcome: TerminalTransaction["outcome"],
    amount: number,
    kind: TerminalTransaction["kind"] = "payment",
  ): TerminalTransaction {
    this.receipt += 1;
    const tx: TerminalTransaction = {
      kind,
      outcome,
      resultCode: outcome === "approved" ? 0 : outcome === "declined" ? 0x05 : 0x6c,
      message: outcome === "approved" ? APPROVED : outcome === "declined" ? DECLINED : ABORTED,
      amount,
      traceNumber: String(this.receipt).padStart(6, "0"),
      receiptNumber: String(this.receipt).padStart(4, "0"),
      terminalId: "52100001",
      terminalTime: new Date(Date.now() + 3_600_000).toISOString().slice(0, 19),
    };
    if (outcome === "approved" && kind === "payment") {
      tx.authCode = `A${String(this.receipt).padStart(5, "0")}`;
      tx.maskedPan = "************0119";
      tx.cardBrand = "VISA";
    }
    return tx;
  }

  async authorize(request: AuthorizationRequest): Promise<TerminalTransaction> {
    this.setState("busy");
    this.count("transactions");
    this.emit("intermediate", {
      code: 0x0a,
      message: { pl: "Włóż kartę", en: "Insert card", uk: "Вставте картку" },
    });
    try {
      const behaviour = this.behaviour;
      if (behaviour === "never") {
        return await new Promise<TerminalTransaction>((resolve) => {
          this.pending = resolve;
        });
      }
      if (behaviour === "lost" || behaviour === "lostUncharged") {
        const tx = this.record(behaviour === "lost" ? "approved" : "declined", request.amount);
        this.last = tx;
        if (tx.outcome === "approved") this.turnover.push(tx);
        throw new TerminalOutcomeUnknownError("fake: the answer was lost");
      }
      const tx = this.record(behaviour === "approve" ? "approved" : "declined", request.amount);
      try {
        await request.persist(tx);
      } catch {
        // The ECR refused to acknowledge: a terminal reverses on its own.
        this.last = { ...tx, outcome: "aborted", resultCode: 0x6c, message: ABORTED };
        return this.last;
      }
      this.last = tx;
      if (tx.outcome === "approved") this.turnover.push(tx);
      request.acknowledged?.(tx);
      return tx;
    } finally {
      this.pending = null;
      this.setState("idle");
    }
  }

  async abort(): Promise<AbortAnswer> {
    if (!this.pending) return "idle";
    const tx = this.record("aborted", 0);
    this.last = tx;
    this.pending(tx);
    return "accepted";
  }

  /** Sets what the terminal remembers as its last transaction (a restarted kiosk asks for it). */
  presetLast(tx: TerminalTransaction | null): void {
    this.last = tx;
    if (tx?.outcome === "approved") this.turnover.push(tx);
  }

  async lastTransaction(): Promise<LastTransactionAnswer> {
    if (this.unreachable) return { kind: "no_answer", detail: "fake: terminal unreachable" };
    if (this.repeatAnswer) return this.repeatAnswer;
    return this.last ? { kind: "transaction", tx: this.last } : { kind: "nothing" };
  }

  /** A reversal is a transaction of its own (own receipt and trace), and becomes the last one. */
  async reverse(receiptNumber: string): Promise<TerminalTransaction> {
    const i = this.turnover.findIndex((t) => t.receiptNumber === receiptNumber);
    if (i < 0) throw new Error(`fake: no transaction with receipt ${receiptNumber}`);
    const [original] = this.turnover.splice(i, 1) as [TerminalTransaction];
    const reversal = this.record("approved", original.amount ?? 0, "reversal");
    if (original.traceNumber) reversal.originalTraceNumber = original.traceNumber;
    this.last = reversal;
    return reversal;
  }

  async endOfDay(): Promise<TerminalEndOfDay> {
    const batch = this.turnover.filter((t) => !this.closed.has(t));
    for (const t of batch) this.closed.add(t);
    return { total: batch.reduce((a, t) => a + (t.amount ?? 0), 0), count: batch.length };
  }

  async diagnose(): Promise<HealthResult> {
    return this.checkHealth();
  }
}
