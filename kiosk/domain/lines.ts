/**
 * What a visitor pays for: lines with a fee component or catalog code, an amount and the recipient
 * whose account receives it. Slip payments and basket payments end up in the same shape.
 */
import type { Label } from "./language.ts";
import type { SlipLine } from "./slip.ts";
import type { Grosze } from "./money.ts";

/** The office's handling fee added to every payment (SPEC §3 `handlingFee`). */
export interface HandlingFee {
  /** Grosze; 0 means no handling fee. */
  amount: number;
  /** A key of `recipients`. */
  recipient: string;
  label?: Label;
}

export interface PaymentLine {
  /** Component or catalog code; `FEE` for the handling fee. */
  code: string;
  label: Label;
  /** A key of the configuration's `recipients`. */
  recipient: string;
  amount: Grosze;
  quantity: number;
  unitAmount: Grosze;
  reference?: string;
  isFee: boolean;
  /** The id of the slip this line is a component of; absent for services and the fee. */
  slip?: string;
}

export const HANDLING_FEE_CODE = "FEE";

export const DEFAULT_FEE_LABEL: Required<Label> = {
  pl: "Opłata za obsługę płatności kartą",
  en: "Card payment handling fee",
  uk: "Плата за обслуговування платежу карткою",
};

/** The handling-fee line, or null when the office charges none. */
export function handlingFeeLine(fee: HandlingFee): PaymentLine | null {
  if (!fee.amount) return null;
  return {
    code: HANDLING_FEE_CODE,
    label: fee.label ?? DEFAULT_FEE_LABEL,
    recipient: fee.recipient,
    amount: fee.amount,
    quantity: 1,
    unitAmount: fee.amount,
    isFee: true,
  };
}

export function totalOf(lines: readonly PaymentLine[]): Grosze {
  return lines.reduce((acc, l) => acc + l.amount, 0);
}

/** The label in the wanted language, falling back to Polish. */
export function labelIn(label: Label, language: "pl" | "en" | "uk"): string {
  return label[language] ?? label.pl;
}

/** The lines of one slip, each a configured fee component paid to its recipient. */
export function slipLines(
  slip: { slip: string; lines: readonly SlipLine[] },
  components: Readonly<Record<string, { label: Label; recipient: string }>>,
): PaymentLine[] {
  return slip.lines.map((l) => {
    const component = components[l.code];
    return {
      code: l.code,
      label: component?.label ?? { pl: l.code },
      recipient: component?.recipient ?? "",
      amount: l.amount,
      quantity: 1,
      unitAmount: l.amount,
      isFee: false,
      slip: slip.slip,
    };
  });
}
