/**
 * Writes outbox rows. Synchronous and transaction-neutral on purpose: the flow calls these inside
 * the same SQLite transaction that records the approval or reversal, so the fact and the message
 * about it commit together or not at all. Ids are deterministic, and the insert ignores an id that
 * already exists, so enqueueing the same fact twice (e.g. during recovery) cannot double a message.
 */
import type { KioskConfig } from "../config/types.ts";
import type { Db } from "../store/db.ts";
import {
  pikPaymentMessages,
  pikReversalMessages,
  settlementReversalMessage,
  settlementTransactionMessage,
} from "./messages.ts";
import { insertOutboxMessage } from "../store/outbox.ts";
import { loadPaymentRecord } from "../store/payment-record.ts";

export { insertOutboxMessage } from "../store/outbox.ts";

/**
 * The messages reporting an approved payment: to PiK, one per slip, when it is configured with
 * `reporting: direct` (with `receipt` the visitor shows the receipt to the clerk instead; a payment of
 * services only is not PiK's), and to settlement when configured.
 */
export function enqueuePaymentReports(
  db: Db,
  sessionId: string,
  config: KioskConfig,
  now: Date = new Date(),
): void {
  const payment = loadPaymentRecord(db, sessionId);
  const pik = config.integrations.pik;
  if (pik && pik.reporting === "direct") {
    for (const m of pikPaymentMessages(payment)) insertOutboxMessage(db, m, now);
  }
  if (config.integrations.settlement) insertOutboxMessage(db, settlementTransactionMessage(payment), now);
}

/**
 * The messages reporting a same-day void. PiK hears of it only when it heard of the payment
 * (`reporting: direct`). Ordered after the payment message by the outbox's per-destination order.
 */
export function enqueueReversalReports(
  db: Db,
  sessionId: string,
  config: KioskConfig,
  reason: string,
  now: Date = new Date(),
  terminalTraceNumber: string | null = null,
): void {
  const payment = loadPaymentRecord(db, sessionId);
  const facts = { reversedAt: payment.reversedAt ?? now.toISOString(), reason, terminalTraceNumber };
  const pik = config.integrations.pik;
  if (pik && pik.reporting === "direct") {
    for (const m of pikReversalMessages(payment, facts)) insertOutboxMessage(db, m, now);
  }
  if (config.integrations.settlement) insertOutboxMessage(db, settlementReversalMessage(payment, facts), now);
}
