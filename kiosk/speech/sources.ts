/**
 * What a spoken sentence may read from the daemon's state (issue 18): a catalog item's label and
 * price, the current session's lines for the summary, and the terminal's prompt for a ZVT
 * intermediate status code — the driver's own texts, never the terminal's free display text.
 */
import { intermediateMessage } from "../../devices/terminal/zvt/codes.ts";
import { labelIn } from "../domain/lines.ts";
import type { PaymentFlow } from "../flow/payment-session.ts";
import type { SpeechSources } from "./catalogue.ts";

export function flowSpeechSources(flow: () => PaymentFlow | undefined): SpeechSources {
  return {
    item(code, lang) {
      const item = flow()
        ?.catalog()
        .find((i) => i.code === code);
      return item ? { label: labelIn(item.label, lang), price: item.price ?? null } : undefined;
    },
    session() {
      const view = flow()?.view();
      if (!view || view.lines.length === 0) return null;
      return {
        lines: view.lines.map((l) => ({
          label: l.label,
          amount: l.amount,
          quantity: l.quantity,
          reference: l.reference,
          amountToEnter: l.amountToEnter !== undefined,
        })),
        handlingFee: view.handlingFee
          ? { label: view.handlingFee.label, amount: view.handlingFee.amount }
          : null,
        total: view.total,
      };
    },
    terminalPrompt: (status, lang) => intermediateMessage(status)[lang],
  };
}
