/**
 * What the simulated terminal really charged: every transaction with its receipt and trace number,
 * amount and state, grouped in batches closed by end-of-day. Tests compare it with the kiosk's database.
 */

export type SimTransactionState =
  /** Approved by the host, 04 0F sent, the kiosk's answer not yet in. */
  | "pending"
  /** Approved and acknowledged (or kept after a lost acknowledgement): the card was charged. */
  | "charged"
  /** Reversed by 06 30. */
  | "reversed"
  /** The kiosk answered the 04 0F negatively or never answered, and the terminal undid it. */
  | "auto_reversed"
  | "declined"
  | "aborted"
  /** A reversal booked by 06 30: a transaction of its own (receipt, trace), `originalTrace` names the payment. */
  | "reversal";

export interface SimTransaction {
  receiptNumber: number;
  traceNumber: number;
  amount: number;
  at: Date;
  state: SimTransactionState;
  resultCode: number;
  batch: number;
  /** Set once the kiosk acknowledged the 04 0F positively. */
  acknowledged: boolean;
  /** Reversals: the trace number of the payment reversed (BMP 37). */
  originalTrace?: number;
}

export class TurnoverStore {
  private readonly list: SimTransaction[] = [];
  private receiptCounter = 0;
  private traceCounter = 0;
  private batchNumber = 1;

  nextTrace(): number {
    this.traceCounter = (this.traceCounter % 999_999) + 1;
    return this.traceCounter;
  }

  /** Records a new transaction with fresh receipt and trace numbers. */
  add(entry: {
    amount: number;
    at: Date;
    state: SimTransactionState;
    resultCode: number;
    originalTrace?: number;
  }): SimTransaction {
    this.receiptCounter = (this.receiptCounter % 9999) + 1;
    const tx: SimTransaction = {
      ...entry,
      receiptNumber: this.receiptCounter,
      traceNumber: this.nextTrace(),
      batch: this.batchNumber,
      acknowledged: false,
    };
    this.list.push(tx);
    return tx;
  }

  last(): SimTransaction | undefined {
    return this.list[this.list.length - 1];
  }

  findOpen(receiptNumber: number): SimTransaction | undefined {
    return this.list.find((t) => t.receiptNumber === receiptNumber && t.batch === this.batchNumber);
  }

  wasInClosedBatch(receiptNumber: number): boolean {
    return this.list.some((t) => t.receiptNumber === receiptNumber && t.batch < this.batchNumber);
  }

  /** Charged transactions of the open batch. */
  openBatch(): SimTransaction[] {
    return this.list.filter((t) => t.batch === this.batchNumber && t.state === "charged");
  }

  closeBatch(): { transactions: SimTransaction[]; receiptFrom: number; receiptTo: number } {
    const inBatch = this.list.filter((t) => t.batch === this.batchNumber);
    const charged = inBatch.filter((t) => t.state === "charged");
    this.batchNumber++;
    return {
      transactions: charged,
      receiptFrom: inBatch[0]?.receiptNumber ?? 0,
      receiptTo: inBatch[inBatch.length - 1]?.receiptNumber ?? 0,
    };
  }

  /** Every charged transaction, in all batches: the money really taken. */
  charged(): SimTransaction[] {
    return this.list.filter((t) => t.state === "charged").map((t) => ({ ...t }));
  }

  all(): SimTransaction[] {
    return this.list.map((t) => ({ ...t }));
  }
}
