/**
 * The settlement messages of SPEC §6 as the kiosk sends them and the hub receives them: one
 * transaction per card payment, its reversal, and a device's closed day. Typed once here; the JSON
 * schemas below validate them at the hub's edge (amounts are integer grosze, never fractions).
 */

/** The card fields a receiver may hold: a masked PAN at most. */
export interface CardBody {
  brand: string | null;
  maskedPan: string | null;
  authCode: string | null;
  terminalId: string | null;
  traceNumber: string | null;
}

export interface SettlementSplit {
  recipient: string;
  nrb: string;
  component: string;
  amount: number;
  /** The slip this split belongs to; absent for services and the handling fee. */
  slip?: string | null;
}

export interface SlipRef {
  slip: string;
  case: string | null;
  total: number;
}

/** `POST /transactions`. */
export interface SettlementTransaction {
  transactionId: string;
  office: string;
  kiosk: string;
  paidAt: string;
  total: number;
  currency?: string;
  slip: string | null;
  case: string | null;
  slips?: SlipRef[];
  splits: SettlementSplit[];
  card: CardBody;
  /** A cash desk's payment: the cashier who took it (SPEC §10). */
  cashier?: string;
}

/** `POST /transactions/{transactionId}/reversal`: every split of the transaction is cancelled. */
export interface SettlementReversal {
  transactionId: string;
  office: string;
  kiosk: string;
  total: number;
  currency?: string;
  reversedAt: string;
  reason: string;
  terminalTraceNumber?: string | null;
}

/**
 * A reversal as the hub accepts it. SPEC §6 names the path but not the body, so a sender need only
 * say who it is (`office`, `kiosk`); the rest is checked when given (the path's id, the total) or
 * defaulted (received now, no reason given). Members the hub does not know are ignored, not stored.
 */
export type ReceivedReversal = Pick<SettlementReversal, "office" | "kiosk"> &
  Partial<Omit<SettlementReversal, "office" | "kiosk">>;

export interface TerminalTotals {
  count: number;
  total: number;
  perBrand?: Record<string, { count: number; total: number }>;
  /** When the terminal closed its day; SPEC §6 does not name it, so a sender may leave it out. */
  closedAt?: string;
  /**
   * The kiosk's payments against the terminal's totals (kiosk/domain/reconciliation.ts): each
   * difference per card family, sized; the kiosk's candidate payments where it holds more.
   */
  reconciliation?: {
    matches: boolean;
    differences: ReconciliationDifference[];
  };
}

/** Payments one side holds and the other does not, within one card family (or `all`). */
export interface ReconciliationDifference {
  kind: "terminal_only" | "kiosk_only";
  brand: string;
  count: number;
  /** Grosze. */
  total: number;
  /** The kiosk's payments of that family (kiosk_only): the only ones the kiosk can name. */
  candidates: string[];
  /** A kiosk payment whose amount equals the difference exactly. */
  likely: string | null;
}

/** `POST /days`, after the terminal's end-of-day. */
export interface SettlementDay {
  office: string;
  kiosk: string;
  /** YYYY-MM-DD, Europe/Warsaw. */
  date: string;
  count: number;
  total: number;
  terminalTotals: TerminalTotals;
}

const id = { type: "string", minLength: 1, maxLength: 64 } as const;
const text = (max: number) => ({ type: "string", maxLength: max }) as const;
const nullableText = (max: number) => ({ type: ["string", "null"], maxLength: max }) as const;
/** Grosze: a whole number of at most nine digits per amount, as on a slip. */
const grosze = { type: "integer", minimum: 0, maximum: 999_999_999_999 } as const;
const positiveGrosze = { ...grosze, minimum: 1 } as const;
const count = { type: "integer", minimum: 0, maximum: 100_000_000 } as const;
const instant = { type: "string", format: "date-time", maxLength: 40 } as const;
const day = { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" } as const;

export const cardSchema = {
  type: "object",
  properties: {
    brand: nullableText(40),
    maskedPan: nullableText(32),
    authCode: nullableText(16),
    terminalId: nullableText(16),
    traceNumber: nullableText(16),
  },
  required: ["brand", "maskedPan", "authCode", "terminalId", "traceNumber"],
  additionalProperties: false,
} as const;

export const settlementTransactionSchema = {
  $id: "urn:oplatomat:settlement-transaction",
  type: "object",
  properties: {
    transactionId: id,
    office: { type: "string", pattern: "^[A-Z0-9-]{1,16}$" },
    kiosk: id,
    paidAt: instant,
    total: positiveGrosze,
    currency: { const: "PLN" },
    slip: nullableText(24),
    case: nullableText(40),
    slips: {
      type: "array",
      maxItems: 50,
      items: {
        type: "object",
        properties: { slip: text(24), case: nullableText(40), total: positiveGrosze },
        required: ["slip", "total"],
        additionalProperties: false,
      },
    },
    splits: {
      type: "array",
      minItems: 1,
      maxItems: 500,
      items: {
        type: "object",
        properties: {
          recipient: { type: "string", minLength: 1, maxLength: 32 },
          nrb: text(40),
          component: { type: "string", minLength: 1, maxLength: 32 },
          amount: positiveGrosze,
          slip: nullableText(24),
        },
        required: ["recipient", "nrb", "component", "amount"],
        additionalProperties: false,
      },
    },
    card: cardSchema,
    cashier: { type: "string", minLength: 1, maxLength: 32 },
  },
  required: ["transactionId", "office", "kiosk", "paidAt", "total", "splits", "card"],
  additionalProperties: false,
} as const;

export const settlementReversalSchema = {
  $id: "urn:oplatomat:settlement-reversal",
  type: "object",
  properties: {
    transactionId: id,
    office: { type: "string", pattern: "^[A-Z0-9-]{1,16}$" },
    kiosk: id,
    total: positiveGrosze,
    currency: { const: "PLN" },
    reversedAt: instant,
    reason: text(200),
    terminalTraceNumber: nullableText(16),
  },
  required: ["office", "kiosk"],
} as const;

export const settlementDaySchema = {
  $id: "urn:oplatomat:settlement-day",
  type: "object",
  properties: {
    office: { type: "string", pattern: "^[A-Z0-9-]{1,16}$" },
    kiosk: id,
    date: day,
    count,
    total: grosze,
    terminalTotals: {
      type: "object",
      properties: {
        count,
        total: grosze,
        perBrand: {
          type: "object",
          maxProperties: 50,
          additionalProperties: {
            type: "object",
            properties: { count, total: grosze },
            required: ["count", "total"],
            additionalProperties: false,
          },
        },
        closedAt: instant,
        reconciliation: {
          type: "object",
          properties: {
            matches: { type: "boolean" },
            differences: {
              type: "array",
              maxItems: 50,
              items: {
                type: "object",
                properties: {
                  kind: { type: "string", enum: ["terminal_only", "kiosk_only"] },
                  brand: text(32),
                  count,
                  total: grosze,
                  // Every kiosk payment of the card family: a busy day's whole list (one payment
                  // per 20 s all day is 4 320), well inside the ingest body limit.
                  candidates: { type: "array", maxItems: 10_000, items: id },
                  likely: { type: ["string", "null"], maxLength: 64 },
                },
                required: ["kind", "brand", "count", "total", "candidates", "likely"],
                additionalProperties: false,
              },
            },
          },
          required: ["matches", "differences"],
          additionalProperties: false,
        },
      },
      required: ["count", "total"],
      additionalProperties: false,
    },
  },
  required: ["office", "kiosk", "date", "count", "total", "terminalTotals"],
  additionalProperties: false,
} as const;
