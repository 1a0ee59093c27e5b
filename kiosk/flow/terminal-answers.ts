/**
 * The terminal's answers in the words the flow stores and shows: what may be journaled of a
 * transaction (never more than a masked PAN), the stage an attempt reached, the 06 20 answer as the
 * recovery decision table reads it, and what staff see of an unresolved payment.
 */
import { ANSWER_IN_ENGLISH, STAGE_IN_ENGLISH } from "../../contracts/undecided-payments.ts";
import type { LastTransactionAnswer, TerminalTransaction } from "../../devices/device.ts";
import { maskPan, scrubPans } from "../domain/pan.ts";
import type {
  AnswerClass,
  RepeatedTransaction,
  StoredStage,
  TerminalAnswer,
} from "../domain/recovery-match.ts";
import type { JournalRow } from "../store/records.ts";
import type { SessionRow } from "../store/sessions.ts";

/** What may be journaled of a terminal answer: never more than a masked PAN. */
export function transactionData(tx: TerminalTransaction): Record<string, unknown> {
  return {
    outcome: tx.outcome,
    resultCode: tx.resultCode,
    amount: tx.amount ?? null,
    traceNumber: tx.traceNumber ?? null,
    receiptNumber: tx.receiptNumber ?? null,
    terminalId: tx.terminalId ?? null,
    authCode: tx.authCode ?? null,
    maskedPan: tx.maskedPan ? maskPan(tx.maskedPan) : null,
    cardBrand: tx.cardBrand ?? null,
    terminalTime: tx.terminalTime ?? null,
  };
}

/** The stage a session's attempt reached; rows from before stages were stored are read by their state. */
export function stageOf(row: SessionRow): StoredStage {
  if (row.terminal_stage) return row.terminal_stage;
  return row.state === "approved" || row.receipt_no ? "result_stored" : "nothing_sent";
}

/** The device's 06 20 answer in the domain's words (the device transaction kept for booking it). */
export function terminalAnswerOf(last: LastTransactionAnswer): {
  answer: TerminalAnswer;
  tx: TerminalTransaction | null;
} {
  if (last.kind !== "transaction") {
    const answer: TerminalAnswer =
      last.kind === "unreadable" ? { kind: "unreadable", detail: last.detail } : { kind: last.kind };
    return { answer, tx: null };
  }
  const d = last.tx;
  const tx: RepeatedTransaction = { kind: d.kind, outcome: d.outcome };
  if (d.amount !== undefined) tx.amount = d.amount;
  if (d.receiptNumber) tx.receiptNumber = d.receiptNumber;
  if (d.traceNumber) tx.traceNumber = d.traceNumber;
  if (d.originalTraceNumber) tx.originalTraceNumber = d.originalTraceNumber;
  if (d.terminalTime) tx.terminalTime = d.terminalTime;
  return { answer: { kind: "transaction", tx }, tx: d };
}

/** What the journal keeps of the terminal's answer (shown to staff resolving an unknown payment). */
export function answerData(answer: TerminalAnswer): Record<string, unknown> {
  if (answer.kind === "transaction") return { kind: "transaction", ...answer.tx };
  if (answer.kind === "unreadable") return { kind: "unreadable", detail: scrubPans(answer.detail) };
  return { kind: answer.kind };
}

/** The approval an unknown session already stored (or just its amount), for staff who book it as charged. */
export function storedApproval(row: SessionRow): TerminalTransaction {
  const tx: TerminalTransaction = {
    kind: "payment",
    outcome: "approved",
    resultCode: 0,
    message: { pl: "Płatność zaakceptowana", en: "Payment approved", uk: "Платіж схвалено" },
    amount: row.total,
  };
  if (row.receipt_no) tx.receiptNumber = row.receipt_no;
  if (row.trace_no) tx.traceNumber = row.trace_no;
  if (row.terminal_id) tx.terminalId = row.terminal_id;
  if (row.auth_code) tx.authCode = row.auth_code;
  if (row.masked_pan) tx.maskedPan = row.masked_pan;
  if (row.card_brand) tx.cardBrand = row.card_brand;
  if (row.terminal_time) tx.terminalTime = row.terminal_time;
  return tx;
}

/** The recovery data of a session's latest journal entry that has it (stage, answer class, terminal answer). */
export function lastRecoveryData(journal: JournalRow[]): Record<string, unknown> | null {
  for (const entry of [...journal].reverse()) {
    if (!entry.data) continue;
    const data = JSON.parse(entry.data) as Record<string, unknown>;
    if ("stage" in data && "answer" in data) return data;
  }
  return null;
}

/** How far an attempt got, in words for office staff (the admin API's texts are English). */
function stageInWords(stage: StoredStage): string {
  return STAGE_IN_ENGLISH[stage] ?? stage;
}

/** The answer class recovery journaled (null: not asked yet), in words. */
function answerInWords(answer: string | null): string {
  if (answer === null) return "not asked yet";
  return Object.hasOwn(ANSWER_IN_ENGLISH, answer) ? ANSWER_IN_ENGLISH[answer as AnswerClass] : answer;
}

/**
 * A payment whose outcome only staff can settle, as the service console and the admin API list it:
 * when it started, its (first) slip and case, how far it got and the terminal's answer, each also in
 * words, and the receipt number of an approval the kiosk stored. No card data.
 */
export interface UnresolvedPayment {
  id: string;
  total: number;
  slip: string | null;
  caseRef: string | null;
  startedAt: string | null;
  stage: StoredStage;
  stageText: string;
  receiptNo: string | null;
  traceNo: string | null;
  /** The answer class recovery journaled (`nothing`, `older_transaction`, …); null before it asked. */
  answer: string | null;
  answerText: string;
  terminalAnswer: Record<string, unknown> | null;
}

/** One unknown session as staff see it, with the recovery data of its journal. */
export function unresolvedPaymentOf(
  row: SessionRow,
  terminalAnswer: Record<string, unknown> | null,
): UnresolvedPayment {
  const stage = stageOf(row);
  const answer = typeof terminalAnswer?.["answer"] === "string" ? terminalAnswer["answer"] : null;
  return {
    id: row.id,
    total: row.total,
    slip: row.slip_id,
    caseRef: row.case_ref,
    startedAt: row.authorizing_at,
    stage,
    stageText: stageInWords(stage),
    receiptNo: row.receipt_no,
    traceNo: row.trace_no,
    answer,
    answerText: answerInWords(answer),
    terminalAnswer,
  };
}
