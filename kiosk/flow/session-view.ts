/**
 * Builds the session as the visitor API shows it (SPEC §4, its shape in contracts/session-view.ts)
 * from the stored rows: labels in the session's language; each line's recipient by its code (as SPEC §6
 * names it) and by its name (for the screen).
 */
import type { PaidSlipInfo } from "../../contracts/problem.ts";
import type { SessionView } from "../../contracts/session-view.ts";
import type { KioskConfig, Language } from "../config/types.ts";
import { labelIn } from "../domain/lines.ts";
import type { SessionRow, StoredLine, StoredSlip } from "../store/sessions.ts";
import { errorText } from "./messages.ts";
import type { ScreenState } from "./states.ts";

export type { SessionView };
export type ViewState = ScreenState;

function recipientName(config: KioskConfig, key: string, stored: string): string {
  return config.recipients[key]?.name ?? stored;
}

export function viewOf(
  config: KioskConfig,
  row: SessionRow,
  lines: readonly StoredLine[],
  slips: readonly StoredSlip[],
  extra: { terminalMessage: string | null; terminalStatus?: number | null; expiresAt: string | null },
): SessionView {
  const slipIdOf = new Map(slips.map((s) => [s.slip_no, s.slip_id]));
  const slipViews = slips.map((s) => ({
    id: s.slip_id,
    caseRef: s.case_ref,
    valid: s.slip_valid,
    total: s.total,
  }));
  const lang = row.language;
  const fee = lines.find((l) => l.is_fee);
  const payable = row.payment_status === "approved" || row.payment_status === "reversed";
  return {
    id: row.id,
    state: row.state,
    language: lang,
    kind: row.kind,
    // SPEC §4: `slip` is the first of `slips`; a session written before slips had rows keeps its heading.
    slip:
      slipViews[0] ??
      (row.slip_id ? { id: row.slip_id, caseRef: row.case_ref ?? "", valid: row.slip_valid ?? "" } : null),
    slips: slipViews,
    lines: lines
      .filter((l) => !l.is_fee)
      .map((l) => {
        const slip = l.slip_no === null ? undefined : slipIdOf.get(l.slip_no);
        return {
          code: l.code,
          label: labelIn(l.label, lang),
          amount: l.amount,
          recipient: l.recipient,
          recipientName: recipientName(config, l.recipient, l.recipient_name),
          quantity: l.quantity,
          reference: l.reference,
          ...(slip ? { slip } : {}),
        };
      }),
    handlingFee: fee
      ? {
          amount: fee.amount,
          recipient: fee.recipient,
          recipientName: recipientName(config, fee.recipient, fee.recipient_name),
          label: labelIn(fee.label, lang),
        }
      : null,
    total: row.total,
    currency: "PLN",
    terminalMessage: extra.terminalMessage,
    terminalStatus: extra.terminalMessage === null ? null : (extra.terminalStatus ?? null),
    error: row.error_code ? { code: row.error_code, message: errorText(row.error_code, lang) } : null,
    payment: payable
      ? {
          id: row.id,
          status: row.payment_status as string,
          paidAt: row.paid_at,
          authCode: row.auth_code,
          maskedPan: row.masked_pan,
          cardBrand: row.card_brand,
          terminalId: row.terminal_id,
          traceNumber: row.trace_no,
          receiptNumber: row.receipt_no,
          receiptPrinted: row.receipt_printed === 1,
          verificationCode: row.verification_code,
        }
      : null,
    expiresAt: extra.expiresAt,
  };
}

/** A scan the kiosk's own reader read and the kiosk refused (SPEC §1a's `paid` for a slip paid already). */
export interface RefusedScan {
  code: string;
  at?: string;
  paid?: PaidSlipInfo;
  /** The slip as read, kept only while it can be reprinted here (SPEC §1a's reprint names it so). */
  payload?: string;
}

/** A refused scan as the session's `error`: the one place its `paid` is put there. */
export function refusalView(refusal: RefusedScan, language: Language): NonNullable<SessionView["error"]> {
  return {
    code: refusal.code,
    message: errorText(refusal.code, language),
    ...(refusal.at ? { at: refusal.at } : {}),
    ...(refusal.paid ? { paid: refusal.paid } : {}),
    ...(refusal.payload ? { payload: refusal.payload } : {}),
  };
}

export function idleView(
  language: Language,
  state: "idle" | "out_of_order",
  error: RefusedScan | null,
  reasons: string[],
): SessionView {
  const view: SessionView = {
    id: null,
    state,
    language,
    kind: null,
    slip: null,
    slips: [],
    lines: [],
    handlingFee: null,
    total: 0,
    currency: "PLN",
    terminalMessage: null,
    terminalStatus: null,
    error: error ? refusalView(error, language) : null,
    payment: null,
    expiresAt: null,
  };
  if (state === "out_of_order") view.outOfOrderReasons = reasons;
  return view;
}
