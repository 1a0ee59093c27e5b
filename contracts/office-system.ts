/**
 * The messages to and from the office system (PiK, SPEC §6): the payment of a slip, its reversal,
 * and the answer to a slip check. Typed once for the kiosk's outbox (kiosk/outbox/messages.ts),
 * its client (kiosk/integrations/pik-client.ts) and the fake office system of the demo and tests.
 */
import type { CardBody } from "./settlement.ts";

/** A fee component of the slip, paid to its recipient. */
export interface PikLine {
  code: string;
  /** Grosze. */
  amount: number;
  recipient: string;
}

/**
 * `POST {pik.url}/payments`: one per slip of a payment; `paymentId` is `<payment id>.<n>` when the
 * payment holds several slips.
 */
export interface PikPayment {
  paymentId: string;
  office: string;
  kiosk: string;
  slip: string;
  case: string;
  /** Grosze: the sum of `lines`. */
  total: number;
  /** Always "PLN". */
  currency: string;
  paidAt: string;
  lines: PikLine[];
  card: CardBody;
}

/** `POST {pik.url}/payments/{paymentId}/reversal` (docs/integrations.md): the slip is open again. */
export interface PikPaymentReversal {
  paymentId: string;
  office: string;
  kiosk: string;
  slip: string;
  total: number;
  /** Always "PLN". */
  currency: string;
  reversedAt: string;
  reason: string;
}

/** `GET {pik.url}/slips/{office}/{slip}`: whether the slip is still open and unchanged. */
export interface PikSlipStatus {
  status: "open" | "paid" | "cancelled";
  /** Grosze; a total other than the slip's is SLIP_AMOUNT_CHANGED. */
  total?: number;
  case?: string;
}
