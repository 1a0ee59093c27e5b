/**
 * SPEC §1a: a slip this office holds as paid. The refusal of a second scan says when and where it
 * was paid, and the device that took the payment prints its confirmation again on request: for 30
 * days after the payment, at most three times, each reprint audited and marked as a copy.
 */
import type { KeyObject } from "node:crypto";
import { withoutLineEnd } from "../domain/signature.ts";
import { authenticSlip } from "../domain/slip.ts";
import { appendAudit, countAudit } from "../store/records.ts";
import type { PaidSlipRow, SessionStore } from "../store/sessions.ts";
import { FlowError } from "./errors.ts";
import type { PaidSlip } from "./slip-check.ts";

export const REPRINT_DAYS = 30;
export const MAX_REPRINTS = 3;
const REPRINT_ACTION = "receipt.reprint.visitor";
const DAY_MS = 86_400_000;

export interface SlipReprintDependencies {
  store: SessionStore;
  kioskId: string;
  officeId: string;
  trustedKeys: ReadonlyMap<string, KeyObject>;
  /** Prints the payment's receipt again, marked as a copy. */
  print(paymentId: string): Promise<void>;
  /** False while the printer cannot print (offline, out of paper): nothing is recorded then. */
  printerReady(): boolean;
}

function reprintsLeft(deps: SlipReprintDependencies, row: PaidSlipRow, now: Date): boolean {
  if (row.kiosk_id !== deps.kioskId) return false;
  if (now.getTime() - Date.parse(row.paid_at) > REPRINT_DAYS * DAY_MS) return false;
  return countAudit(deps.store.db, REPRINT_ACTION, row.id) < MAX_REPRINTS;
}

/** The `paid` member for a slip of this office, or null when no approved payment holds it. */
export function paidSlipInfo(
  deps: SlipReprintDependencies,
  office: string,
  slip: string,
  now: Date,
): PaidSlip | null {
  const row = deps.store.paidSlip(office, slip);
  if (!row) return null;
  return {
    paidAt: row.paid_at,
    kiosk: row.kiosk_id,
    total: row.total,
    reprint: reprintsLeft(deps, row, now),
  };
}

/**
 * Checks the slip is this office's and was paid here within the window, records the reprint, then
 * starts printing. The audit row is written first: a crash mid-print spends one of the three.
 */
export function reprintPaidSlip(deps: SlipReprintDependencies, payload: string, now: Date): Promise<void> {
  const verdict = authenticSlip(withoutLineEnd(payload), {
    trustedKeys: deps.trustedKeys,
    officeId: deps.officeId,
  });
  if (!verdict.ok) throw new FlowError(verdict.code, verdict.code);
  const row = deps.store.paidSlip(verdict.slip.office, verdict.slip.slip);
  if (!row) throw new FlowError("NOT_FOUND", "this office holds no payment of this slip");
  if (row.kiosk_id !== deps.kioskId) {
    throw new FlowError("CONFLICT", `paid at ${row.kiosk_id}: its confirmation is printed there`);
  }
  if (!reprintsLeft(deps, row, now)) {
    throw new FlowError(
      "CONFLICT",
      `a confirmation is reprinted at most ${MAX_REPRINTS} times within ${REPRINT_DAYS} days of the payment`,
    );
  }
  if (!deps.printerReady()) throw new FlowError("DEVICE_UNAVAILABLE", "the printer cannot print now");
  appendAudit(deps.store.db, {
    actor: "visitor",
    action: REPRINT_ACTION,
    target: row.id,
    details: { slip: verdict.slip.slip },
    at: now.toISOString(),
  });
  return deps.print(row.id);
}
