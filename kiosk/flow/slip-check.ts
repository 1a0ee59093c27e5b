/**
 * Checks one scanned slip as SPEC §1 orders it: the payload itself (syntax, key, signature, office,
 * validity, components, sum), then the local record of payments (and the basket it would join),
 * then the office system. The first check that fails is the answer. Used for a single slip, for
 * each slip of a basket and for a slip added to a summary alike, so every slip is checked the same.
 */
import type { KeyObject } from "node:crypto";
import type { KioskConfig } from "../config/types.ts";
import { type Slip, type SlipErrorCode, slipToday, verifySlip } from "../domain/slip.ts";

export type SlipCheckAnswer =
  | { status: "open" | "paid" | "cancelled"; total?: number; case?: string }
  | { status: "unavailable"; reason?: string };

export interface SlipCheckDependencies {
  config: KioskConfig;
  trustedKeys: ReadonlyMap<string, KeyObject>;
  /** True when this office already holds the slip as paid (or possibly paid). */
  slipTaken(office: string, slip: string): boolean;
  /** Where and when this office's approved payment of the slip was made (SPEC §1a), when it was. */
  paidSlip?: (office: string, slip: string) => PaidSlip | null;
  /** Asks the office system whether a slip is still open (SPEC §6); absent when not configured. */
  checkSlip?: (office: string, slip: string) => Promise<SlipCheckAnswer>;
  /** Says the office system gave no usable answer (`reason`) and the offline policy accepted the slip. */
  acceptedOffline(slip: string, reason: string | undefined): void;
}

/** SPEC §1a: the `paid` member of a SLIP_ALREADY_PAID refusal. */
export interface PaidSlip {
  paidAt: string;
  kiosk: string;
  total: number;
  reprint: boolean;
}

export type SlipVerdict =
  | { ok: true; slip: Slip }
  | { ok: false; code: SlipErrorCode; detail?: string; paid?: PaidSlip };

/** `inBasket`: slip ids the payment already holds; the same slip twice is SLIP_ALREADY_PAID. */
export async function checkScannedSlip(
  deps: SlipCheckDependencies,
  payload: string,
  now: Date,
  inBasket: readonly string[] = [],
): Promise<SlipVerdict> {
  const { config } = deps;
  const result = verifySlip(payload, {
    trustedKeys: deps.trustedKeys,
    officeId: config.office.id,
    today: slipToday(now),
    components: new Set(Object.keys(config.components)),
  });
  if (!result.ok) return result;
  const slip = result.slip;
  if (inBasket.includes(slip.slip)) {
    return { ok: false, code: "SLIP_ALREADY_PAID", detail: "already in this payment" };
  }
  if (deps.slipTaken(slip.office, slip.slip)) {
    const paid = deps.paidSlip?.(slip.office, slip.slip);
    return { ok: false, code: "SLIP_ALREADY_PAID", ...(paid ? { paid } : {}) };
  }
  if (!deps.checkSlip) return { ok: true, slip };
  const answer = await deps.checkSlip(slip.office, slip.slip);
  if (answer.status === "unavailable") {
    if (config.slips.offlinePolicy !== "accept") {
      return {
        ok: false,
        code: "SLIP_CHECK_UNAVAILABLE",
        ...(answer.reason ? { detail: answer.reason } : {}),
      };
    }
    deps.acceptedOffline(slip.slip, answer.reason);
    return { ok: true, slip };
  }
  if (answer.status === "paid") return { ok: false, code: "SLIP_ALREADY_PAID", detail: "office system" };
  if (answer.status === "cancelled") return { ok: false, code: "SLIP_CANCELLED" };
  if (answer.total !== undefined && answer.total !== slip.total) {
    return { ok: false, code: "SLIP_AMOUNT_CHANGED" };
  }
  return { ok: true, slip };
}
