/**
 * The session as the visitor API shows it (SPEC §4: `GET /api/session`, the `session` event, and the
 * answer of every visitor route): labels and recipient names in the session's language, amounts in
 * grosze, the payment once approved. Typed once for the daemon (kiosk/flow/session-view.ts builds
 * it) and the screens (ui/src/api.ts parses it at their edge).
 */
import type { Language } from "../kiosk/domain/language.ts";
import type { PaidSlipInfo } from "./problem.ts";
import { SCREEN_STATES, type ScreenState } from "./session-states.ts";

export type { Language };

/**
 * The language a visit starts in: Polish wherever the kiosk offers it (a Polish office's own
 * language, whatever order the list is in), otherwise the first the kiosk offers, never one it
 * does not (SPEC is silent; `kiosk.languages: [uk, en]` must not greet visitors in Polish).
 */
export function startLanguage(offered: readonly Language[]): Language {
  return offered.includes("pl") ? "pl" : (offered[0] ?? "pl");
}

/** The first slip, kept for one-slip clients. */
export interface SlipHeading {
  id: string;
  caseRef: string;
  /** The slip's last day of payment, YYYYMMDD. */
  valid: string;
  /** The slip's own total, as in `slips` (absent only on sessions stored before slips had rows). */
  total?: number;
}

/** A slip of the payment. */
export interface SessionSlipView extends SlipHeading {
  total: number;
}

export interface SessionLineView {
  code: string;
  label: string;
  amount: number;
  /** The recipient's code in the configuration (`recipients.<code>`), as in SPEC §6's lines and splits. */
  recipient: string;
  /** Where the money goes, as the visitor reads it: the configured recipient's name. */
  recipientName: string;
  /** How many of a service (amount is the line's whole amount). */
  quantity: number;
  /** What the visitor typed (a decision number) or the transfer code's title; null when none. */
  reference: string | null;
  /** The slip this line is a component of; absent for services. */
  slip?: string;
  /** SPEC §1b `000000`: the visitor has yet to type this line's amount, within this range (amount is 0). */
  amountToEnter?: { min: number; max: number };
}

export interface HandlingFeeView {
  amount: number;
  /** The fee recipient's code, and its name for the screen. */
  recipient: string;
  recipientName: string;
  label: string;
}

/** The payment once approved: the card fields a receipt shows, a masked PAN at most. */
export interface PaymentView {
  id: string;
  status: string;
  paidAt: string | null;
  authCode: string | null;
  maskedPan: string | null;
  cardBrand: string | null;
  terminalId: string | null;
  traceNumber: string | null;
  receiptNumber: string | null;
  receiptPrinted: boolean;
  verificationCode: string | null;
}

export interface SessionView {
  id: string | null;
  state: ScreenState;
  language: Language;
  kind: "slip" | "basket" | null;
  slip: SlipHeading | null;
  /** Every slip of the payment, in basket order. */
  slips: SessionSlipView[];
  lines: SessionLineView[];
  handlingFee: HandlingFeeView | null;
  total: number;
  currency: "PLN";
  terminalMessage: string | null;
  /** The ZVT intermediate status behind terminalMessage: audio mode speaks its prompt (issue 18). */
  terminalStatus: number | null;
  /**
   * Why the visit ended without a charge or a receipt (a code of contracts/error-codes.ts, or older);
   * or a scan the kiosk's reader read and the kiosk refused, on the idle screen or beside the summary
   * it did not replace, with `at` (when it was refused) telling one refusal from the next. A slip
   * refused as already paid carries `paid` (SPEC §1a, as in the 422 of `POST /api/scan`): an
   * additive optional member, so a screen shows when, where and how much whichever reader read it.
   * When this device may reprint it (`paid.reprint`), `payload` is the slip as read: `POST /api/reprint`
   * takes it, and a page whose reader is the daemon's (serial, HID) has no other way to know it.
   */
  error: { code: string; message: string; at?: string; paid?: PaidSlipInfo; payload?: string } | null;
  payment: PaymentView | null;
  /** When the daemon returns to idle for inactivity; null while the terminal works. */
  expiresAt: string | null;
  /**
   * Why the kiosk is out of order (for technicians; the visitor screen shows a generic text): on the
   * out-of-order screen, and beside a visit still on screen while the kiosk is out of order behind it.
   */
  outOfOrderReasons?: string[];
}

/** The response schema of the visitor routes: the members every client relies on, the rest passed through. */
export const SESSION_VIEW_SCHEMA = {
  type: "object",
  additionalProperties: true,
  properties: {
    id: { type: ["string", "null"] },
    state: { type: "string", enum: [...SCREEN_STATES] },
    language: { type: "string", enum: ["pl", "en", "uk"] },
    total: { type: "integer" },
    currency: { type: "string" },
  },
} as const;
