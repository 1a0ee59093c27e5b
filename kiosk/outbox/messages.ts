/**
 * Pure builders of the bodies sent to the office system (PiK) and the settlement platform
 * (SPEC §6), and of the reversal messages (docs/integrations.md). Nothing here does I/O: the
 * enqueuer reads the payment, these functions shape it, the outbox stores the result verbatim so
 * every retry sends byte-identical bodies under the same Idempotency-Key.
 */
import type { PikPayment, PikPaymentReversal } from "../../contracts/office-system.ts";
import type {
  CardBody,
  SettlementDay,
  SettlementReversal,
  SettlementTransaction,
  TerminalTotals,
} from "../../contracts/settlement.ts";
import type { PaymentRecord } from "../store/payment-record.ts";

export type Destination = "pik" | "settlement";
export type MessageKind = "payment" | "transaction" | "day" | "payment_reversal" | "transaction_reversal";

export interface OutboundMessage {
  /** Stable per (destination, kind, subject): re-enqueueing the same fact cannot create a second row. */
  id: string;
  destination: Destination;
  kind: MessageKind;
  /** Path below the destination's base URL, percent-encoded. */
  path: string;
  sessionId: string | null;
  body: OutboundBody;
}

/** What the outbox sends: a message of SPEC §6 (contracts/office-system.ts, contracts/settlement.ts). */
export type OutboundBody =
  | PikPayment
  | PikPaymentReversal
  | SettlementTransaction
  | SettlementReversal
  | SettlementDay;

export type { CardBody } from "../../contracts/settlement.ts";

function cardOf(p: PaymentRecord): CardBody {
  return {
    brand: p.card.brand,
    maskedPan: p.card.maskedPan,
    authCode: p.card.authCode,
    terminalId: p.card.terminalId,
    traceNumber: p.card.traceNumber,
  };
}

export function messageId(destination: Destination, kind: MessageKind, subject: string): string {
  return `${destination}.${kind}.${subject}`;
}

const seg = encodeURIComponent;

/** What one PiK payment message is about: a slip, the lines it carries and its total. */
interface PikPart {
  paymentId: string;
  slip: string;
  caseRef: string;
  total: number;
  lines: PaymentRecord["lines"];
}

/**
 * The PiK payment messages of a payment (SPEC §6). PiK knows only its own slips: a payment of
 * services only sends nothing, and each slip is a message of its own lines and total, under the
 * payment's id (`<payment id>.<n>` when there are several). Services and the handling fee stay with
 * settlement, one slip or several alike: PiK compares what it hears with the slip it issued, and the
 * fee is the operator's money, not a component of the office's case.
 */
export function pikParts(p: PaymentRecord): PikPart[] {
  return p.slips.map((x) => ({
    paymentId: p.slips.length > 1 ? `${p.id}.${x.no}` : p.id,
    slip: x.id,
    caseRef: x.caseRef,
    total: x.total,
    lines: p.lines.filter((l) => l.slip === x.id),
  }));
}

/** PiK `POST /payments`, one per slip of the payment. */
export function pikPaymentMessages(p: PaymentRecord): OutboundMessage[] {
  return pikParts(p).map((part) => ({
    id: messageId("pik", "payment", part.paymentId),
    destination: "pik",
    kind: "payment",
    path: "/payments",
    sessionId: p.id,
    body: {
      paymentId: part.paymentId,
      office: p.officeId,
      kiosk: p.kioskId,
      slip: part.slip,
      case: part.caseRef,
      total: part.total,
      currency: p.currency,
      paidAt: p.paidAt,
      lines: part.lines.map((l) => ({ code: l.code, amount: l.amount, recipient: l.recipient })),
      card: cardOf(p),
    } satisfies PikPayment,
  }));
}

/** Settlement `POST /transactions`: one split per line; the handling fee is a split to its recipient. */
export function settlementTransactionMessage(p: PaymentRecord): OutboundMessage {
  return {
    id: messageId("settlement", "transaction", p.id),
    destination: "settlement",
    kind: "transaction",
    path: "/transactions",
    sessionId: p.id,
    body: {
      transactionId: p.id,
      office: p.officeId,
      kiosk: p.kioskId,
      paidAt: p.paidAt,
      total: p.total,
      slip: p.slipId,
      case: p.caseRef,
      slips: p.slips.map((x) => ({ slip: x.id, case: x.caseRef, total: x.total })),
      splits: p.lines.map((l) => ({
        recipient: l.recipient,
        nrb: l.recipientNrb,
        component: l.code,
        amount: l.amount,
        ...(l.slip ? { slip: l.slip } : {}),
      })),
      card: cardOf(p),
      // Attended mode: who took the payment (an extra member; one-desk receivers ignore it).
      ...(p.cashierId ? { cashier: p.cashierId } : {}),
    } satisfies SettlementTransaction,
  };
}

export interface ReversalFacts {
  reversedAt: string;
  reason: string;
  /** The terminal's reversal trace number, when it gave one. */
  terminalTraceNumber?: string | null;
}

/** PiK `POST /payments/{paymentId}/reversal`, one per payment message: the slip is open again at the office. */
export function pikReversalMessages(p: PaymentRecord, r: ReversalFacts): OutboundMessage[] {
  return pikParts(p).map((part) => ({
    id: messageId("pik", "payment_reversal", part.paymentId),
    destination: "pik",
    kind: "payment_reversal",
    path: `/payments/${seg(part.paymentId)}/reversal`,
    sessionId: p.id,
    body: {
      paymentId: part.paymentId,
      office: p.officeId,
      kiosk: p.kioskId,
      slip: part.slip,
      total: part.total,
      currency: p.currency,
      reversedAt: r.reversedAt,
      reason: r.reason,
    } satisfies PikPaymentReversal,
  }));
}

/** Settlement `POST /transactions/{transactionId}/reversal`: every split of the transaction is cancelled. */
export function settlementReversalMessage(p: PaymentRecord, r: ReversalFacts): OutboundMessage {
  return {
    id: messageId("settlement", "transaction_reversal", p.id),
    destination: "settlement",
    kind: "transaction_reversal",
    path: `/transactions/${seg(p.id)}/reversal`,
    sessionId: p.id,
    body: {
      transactionId: p.id,
      office: p.officeId,
      kiosk: p.kioskId,
      total: p.total,
      currency: p.currency,
      reversedAt: r.reversedAt,
      reason: r.reason,
      terminalTraceNumber: r.terminalTraceNumber ?? null,
    } satisfies SettlementReversal,
  };
}

export interface DayFacts {
  office: string;
  kiosk: string;
  /** YYYY-MM-DD, Europe/Warsaw. */
  date: string;
  /** The kiosk's own count and total of the day's payments still approved (reversals excluded). */
  count: number;
  total: number;
  terminalTotals: TerminalTotals;
  /** The `terminal_days` row: a day closed twice yields two distinct messages. */
  closingId: number;
}

/**
 * Settlement `POST /days`, after the terminal's end-of-day. Its id's parts are joined by `_`, as a
 * payment id's are (kiosk/store/sessions.ts): joined by `.`, the digits at a kiosk id's end, the
 * date's and the closing's (`K001.2026-12-08.12`) read as one dot-grouped number of 13 digits or
 * more, which the logs' card mask masks when it passes the Luhn check (one time in ten), so the id
 * in both daemons' lines was no longer the message's id. Messages already in an outbox keep theirs.
 */
export function settlementDayMessage(d: DayFacts): OutboundMessage {
  return {
    id: messageId("settlement", "day", `${d.office}_${d.kiosk}_${d.date}_${d.closingId}`),
    destination: "settlement",
    kind: "day",
    path: "/days",
    sessionId: null,
    body: {
      office: d.office,
      kiosk: d.kiosk,
      date: d.date,
      count: d.count,
      total: d.total,
      terminalTotals: d.terminalTotals,
    } satisfies SettlementDay,
  };
}
