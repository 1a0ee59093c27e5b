/**
 * One payment's exchange with the terminal after the 06 01: reads its 04 0F, has the caller persist it
 * BEFORE answering (the answer is the terminal's commit point), decides the answer, and turns how the
 * command ended into the payment's result. Nothing here is booked as approved that the terminal did not
 * prove for the requested amount and currency.
 */
import {
  type AuthorizationRequest,
  TerminalOutcomeUnknownError,
  type TerminalTransaction,
} from "../../device.ts";
import type { DeviceLogger } from "../../transport/transport.ts";
import { RESULT_PROCESSING_ERROR, resultMessage } from "./codes.ts";
import * as cmd from "./commands.ts";
import { parseStatusInformation, type TerminalCharset } from "./messages.ts";
import type { CommandResult, SessionHandlers } from "./session.ts";
import { lacksResultCode, scrubbedHex, toTransaction } from "./transaction.ts";

export interface StatusReading {
  tx: TerminalTransaction;
  /** False when the answer must be negative whatever `persist` does (the terminal then reverses). */
  acceptable: boolean;
  /** What was wrong, for the device's error log. */
  problem?: { code: string; message: string };
}

/** A 04 0F during a payment: parsed, and checked against what was asked. */
export function readPaymentStatus(
  data: Buffer,
  charset: TerminalCharset,
  asked: { amount: number; currency: number },
): StatusReading {
  let tx: TerminalTransaction;
  try {
    tx = { ...toTransaction(parseStatusInformation(data, charset)), kind: "payment" };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return {
      tx: processingError({ unparsedStatusInformation: scrubbedHex(data) }),
      acceptable: false,
      problem: { code: "unparseable_status_information", message: text },
    };
  }
  if (lacksResultCode(tx)) {
    // Not a proof of approval: answered negatively, so a terminal that did charge reverses.
    return {
      tx,
      acceptable: false,
      problem: { code: "status_information_without_result", message: "04 0F without result code (BMP 27)" },
    };
  }
  if (tx.outcome !== "approved") return { tx, acceptable: true };
  const wrongAmount = tx.amount !== undefined && tx.amount !== asked.amount;
  const wrongCurrency = tx.currency !== undefined && tx.currency !== asked.currency;
  if (!wrongAmount && !wrongCurrency) return { tx, acceptable: true };
  const what = `the terminal approved ${tx.amount ?? "?"} in currency ${tx.currency ?? "?"}; asked were ${asked.amount} in ${asked.currency}`;
  const mismatched: TerminalTransaction = {
    ...processingError({ mismatch: what, terminalResultCode: tx.resultCode }),
    ...pick(tx),
  };
  return { tx: mismatched, acceptable: false, problem: { code: "amount_mismatch", message: what } };
}

function processingError(extra: Record<string, string | number>): TerminalTransaction {
  return {
    kind: "payment",
    outcome: "declined",
    resultCode: RESULT_PROCESSING_ERROR,
    message: resultMessage(RESULT_PROCESSING_ERROR),
    extra,
  };
}

/** The identifying fields of a transaction (never its outcome). */
function pick(tx: TerminalTransaction): Partial<TerminalTransaction> {
  const out: Partial<TerminalTransaction> = {};
  if (tx.amount !== undefined) out.amount = tx.amount;
  if (tx.currency !== undefined) out.currency = tx.currency;
  if (tx.receiptNumber) out.receiptNumber = tx.receiptNumber;
  if (tx.traceNumber) out.traceNumber = tx.traceNumber;
  if (tx.terminalId) out.terminalId = tx.terminalId;
  if (tx.terminalTime) out.terminalTime = tx.terminalTime;
  return out;
}

export interface ExchangeContext {
  request: AuthorizationRequest;
  currency: number;
  charset(): TerminalCharset;
  /** Vending handshake: answer 84 9C while `persist` runs longer than `vendingHoldMs`. */
  vending: boolean;
  vendingHoldMs: number;
  recordError(code: string, message: string): void;
  log: DeviceLogger;
}

interface PersistState {
  promise: Promise<void>;
  settled: boolean;
  failed: boolean;
}

export class PaymentExchange {
  /** The transaction the 04 0F reported (as persisted). */
  result: TerminalTransaction | undefined;
  /** The positive answer to the 04 0F was handed over: the terminal's commit point has passed. */
  committed = false;
  /** The 04 0F was answered negatively: the terminal reverses. */
  negativeSent = false;
  private persistState: PersistState | undefined;

  constructor(private readonly ctx: ExchangeContext) {}

  /** The payment's result is on record (persisted), whatever the terminal still sends. */
  get decided(): boolean {
    return this.persistState?.settled === true;
  }

  handlers(base: SessionHandlers): SessionHandlers {
    return {
      ...base,
      statusInformation: (data) => this.answerStatus(data),
      statusInformationAnswered: (reply) => {
        if (reply[0] === 0x80 || reply[1] === 0x00) {
          if (!this.committed && this.result && !this.negativeSent)
            this.ctx.request.acknowledged?.(this.result);
          this.committed = true;
        }
      },
    };
  }

  private startPersist(data: Buffer): PersistState {
    const reading = readPaymentStatus(data, this.ctx.charset(), {
      amount: this.ctx.request.amount,
      currency: this.ctx.currency,
    });
    if (reading.problem) this.ctx.recordError(reading.problem.code, reading.problem.message);
    const tx = reading.tx;
    this.result = tx;
    this.ctx.log.info(
      {
        resultCode: tx.resultCode,
        outcome: tx.outcome,
        receipt: tx.receiptNumber,
        trace: tx.traceNumber,
        amount: tx.amount,
      },
      "zvt: status information",
    );
    const state: PersistState = { settled: false, failed: !reading.acceptable, promise: Promise.resolve() };
    state.promise = (async () => {
      try {
        await this.ctx.request.persist(tx);
      } catch (error) {
        state.failed = true;
        this.ctx.recordError("persist_failed", error instanceof Error ? error.message : String(error));
      } finally {
        state.settled = true;
      }
    })();
    return state;
  }

  private async answerStatus(data: Buffer): Promise<Buffer> {
    this.persistState ??= this.startPersist(data);
    const state = this.persistState;
    if (this.ctx.vending && !state.settled) {
      await Promise.race([state.promise, delay(this.ctx.vendingHoldMs)]);
      if (!state.settled) return cmd.negativeAck(0x9c);
    } else {
      await state.promise;
    }
    if (state.failed) {
      this.negativeSent = true;
      return cmd.negativeAck(RESULT_PROCESSING_ERROR);
    }
    return cmd.positiveAck();
  }

  /** The payment's result from how the command ended (06 0F completion or 06 1E abort). */
  finalResult(outcome: CommandResult): TerminalTransaction {
    const result = this.result;
    if (outcome.kind !== "abort") {
      if (!result)
        throw new TerminalOutcomeUnknownError("the terminal completed without a status information");
      return this.negativeSent ? { ...result, outcome: "aborted" } : result;
    }
    if (result && !this.negativeSent && result.outcome !== "approved") return result;
    if (result && !this.committed && !this.negativeSent && outcome.answerUnconfirmed) {
      // TCP: we accepted the approval, then the terminal aborted with nothing in between to show it
      // took our answer. It kept the payment (commit point passed) or reversed it after waiting in
      // vain: not guessed, the terminal is asked (recovery, 06 20).
      throw new TerminalOutcomeUnknownError(
        `the terminal aborted (result ${outcome.resultCode}) right after the approval was accepted; whether it took the acceptance is unknown`,
      );
    }
    // After the commit point an abort does not undo the payment (PA00P015 §2.2.9).
    if (result && this.committed && !this.negativeSent) return result;
    const code = outcome.resultCode;
    return {
      kind: "payment",
      outcome: code === 0x6c || this.negativeSent ? "aborted" : "declined",
      resultCode: code,
      message: resultMessage(code),
      ...(result ? pick(result) : {}),
    };
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
