/**
 * SPEC §1b: a bank transfer code (ZBP QR) scanned at the kiosk becomes a basket of one line: the
 * catalog service its account's recipient names in `transferCodes`, for the code's amount, with the
 * code's title as the line's reference. A code to any other account, or for an amount the service does
 * not allow, is not one the kiosk takes (SLIP_UNREADABLE to the caller). A code for `000000` leaves
 * the amount to the visitor (open-amount.ts).
 */
import type { CatalogItem, KioskConfig } from "../config/types.ts";
import type { PaymentLine } from "../domain/lines.ts";
import { parseTransferCode } from "../domain/transfer-code.ts";

/**
 * The service paying transfers to `nrb`, or why there is none: the title of the SLIP_UNREADABLE a
 * technician reads, where the slip parser's "expected 10 fields, got 9" would hide that this was a
 * transfer code, and that the configuration (its transferCodes, today's price list) decides.
 */
function serviceFor(
  config: KioskConfig,
  priceList: readonly CatalogItem[],
  nrb: string,
): { item: CatalogItem; variable: { min: number; max: number } } | string {
  let refusal = "a bank transfer code to an account no recipient here takes transfer codes for";
  for (const [id, recipient] of Object.entries(config.recipients)) {
    if (recipient.nrb !== nrb || !recipient.transferCodes) continue;
    const item = priceList.find((i) => i.code === recipient.transferCodes?.service);
    if (item?.variable && item.recipient === id) return { item, variable: item.variable };
    refusal = `a bank transfer code for ${id}, whose service ${recipient.transferCodes.service} is not on today's price list`;
  }
  return refusal;
}

export interface TransferScan {
  line: PaymentLine;
  /** `000000`: the visitor types the amount, within the service's range (the line holds the minimum). */
  amountToEnter: { min: number; max: number } | null;
}

/** A transfer code the kiosk does not take, and why (the detail of its SLIP_UNREADABLE). */
export interface TransferRefusal {
  refused: string;
}

/**
 * The line a transfer code pays, or why the kiosk does not take it (SPEC §1b: SLIP_UNREADABLE); null
 * when the payload is no transfer code (it may be a slip).
 */
export function transferCodeLine(
  config: KioskConfig,
  priceList: readonly CatalogItem[],
  payload: string,
): TransferScan | TransferRefusal | null {
  const code = parseTransferCode(payload);
  if (!code) return null;
  const service = serviceFor(config, priceList, code.nrb);
  if (typeof service === "string") return { refused: service };
  const { item, variable } = service;
  const open = code.amount === 0;
  if (!open && (code.amount < variable.min || code.amount > variable.max)) {
    return {
      refused: `a bank transfer code for ${code.amount} grosze, outside ${item.code}'s range ${variable.min}–${variable.max}`,
    };
  }
  const amount = open ? variable.min : code.amount;
  return {
    amountToEnter: open ? { min: variable.min, max: variable.max } : null,
    line: lineOf(item, amount, code.title),
  };
}

function lineOf(item: CatalogItem, amount: number, title: string): PaymentLine {
  return {
    code: item.code,
    label: item.label,
    recipient: item.recipient,
    amount,
    quantity: 1,
    unitAmount: amount,
    // SPEC §1b: the code's title, whole (the code itself is at most 160 characters); the 40 of a
    // visitor-typed reference bound what a visitor types, not what the payee wrote.
    reference: title,
    isFee: false,
  };
}
