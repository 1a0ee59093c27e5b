/**
 * A stand-in for the settlement platform, for the demo and the tests: stores transactions, their
 * reversals and closed days, totals per recipient, and enforces Idempotency-Keys (FakeHttpServer).
 * It checks what a real platform would: splits sum to the total, a transaction id is booked once.
 */
import { type Answer, FakeReceiver, type FakeServerOptions, isRecord } from "./fake-server.ts";

export interface StoredTransaction {
  transactionId: string;
  body: Record<string, unknown>;
  reversed: boolean;
}

export class FakeSettlement extends FakeReceiver {
  private readonly txs = new Map<string, StoredTransaction>();
  private readonly dayList: Array<Record<string, unknown>> = [];

  private constructor(options: FakeServerOptions) {
    super(options);
  }

  static start(options: FakeServerOptions = {}): Promise<FakeSettlement> {
    return new FakeSettlement(options).listen();
  }

  transactions(): StoredTransaction[] {
    return [...this.txs.values()];
  }

  days(): Array<Record<string, unknown>> {
    return [...this.dayList];
  }

  /** Grosze per recipient over transactions not reversed. */
  totalsPerRecipient(): Record<string, number> {
    const totals: Record<string, number> = {};
    for (const tx of this.txs.values()) {
      if (tx.reversed) continue;
      for (const s of splitsOf(tx.body)) totals[s.recipient] = (totals[s.recipient] ?? 0) + s.amount;
    }
    return totals;
  }

  protected handle(method: string, path: string, body: unknown): Answer {
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    if (method === "POST" && parts.length === 1 && parts[0] === "transactions") return this.book(body);
    if (method === "POST" && parts.length === 3 && parts[0] === "transactions" && parts[2] === "reversal")
      return this.reverse(parts[1]!);
    if (method === "POST" && parts.length === 1 && parts[0] === "days") {
      if (!isRecord(body) || typeof body.date !== "string") return invalid("a day needs a date");
      this.dayList.push(body);
      return { status: 201, body: { accepted: true } };
    }
    if (method === "GET" && parts.length === 4 && parts[0] === "totals") return this.dayTotals(parts[3]!);
    return { status: 404, body: { code: "NOT_FOUND" } };
  }

  private book(body: unknown): Answer {
    if (!isRecord(body) || typeof body.transactionId !== "string" || typeof body.total !== "number")
      return invalid("transactionId and total are required");
    const splits = splitsOf(body);
    if (splits.length === 0) return invalid("no splits");
    if (splits.reduce((a, s) => a + s.amount, 0) !== body.total) return invalid("splits do not sum to total");
    if (this.txs.has(body.transactionId))
      return { status: 409, body: { code: "CONFLICT", detail: "transaction already booked" } };
    this.txs.set(body.transactionId, { transactionId: body.transactionId, body, reversed: false });
    return { status: 201, body: { transactionId: body.transactionId, status: "booked" } };
  }

  private reverse(id: string): Answer {
    const tx = this.txs.get(id);
    if (!tx) return { status: 404, body: { code: "NOT_FOUND", detail: "no such transaction" } };
    if (tx.reversed) return { status: 409, body: { code: "CONFLICT", detail: "already reversed" } };
    tx.reversed = true;
    return { status: 201, body: { transactionId: id, status: "reversed" } };
  }

  private dayTotals(date: string): Answer {
    let count = 0;
    let total = 0;
    for (const tx of this.txs.values()) {
      if (tx.reversed || String(tx.body.paidAt ?? "").slice(0, 10) !== date) continue;
      count++;
      total += Number(tx.body.total);
    }
    return { status: 200, body: { date, count, total, perRecipient: this.totalsPerRecipient() } };
  }
}

function splitsOf(body: Record<string, unknown>): Array<{ recipient: string; amount: number }> {
  if (!Array.isArray(body.splits)) return [];
  const out: Array<{ recipient: string; amount: number }> = [];
  for (const s of body.splits) {
    if (isRecord(s) && typeof s.recipient === "string" && Number.isSafeInteger(s.amount))
      out.push({ recipient: s.recipient, amount: s.amount as number });
  }
  return out;
}

function invalid(detail: string): Answer {
  return { status: 400, body: { code: "VALIDATION", detail } };
}
