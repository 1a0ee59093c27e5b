/** What a screen asks the app to do; screens never call the API themselves. */
import type { BasketRequestItem, Language } from "./api.ts";

export type KioskAction =
  | { type: "choose-service" }
  | { type: "basket"; items: BasketRequestItem[] }
  | { type: "pay" }
  | { type: "cancel" }
  | { type: "retry" }
  | { type: "finish" }
  | { type: "back" }
  /** From a refused scan back to the payment on the summary, its basket as it was. */
  | { type: "resume" }
  /** The same slip once more (the office system may answer now). */
  | { type: "rescan" }
  /** SPEC §1b: the amount typed for a transfer code that left it to the visitor. */
  | { type: "enter-amount"; grosze: number }
  /** Check answers: back to the basket to change this service's line, the rest kept. */
  | { type: "change"; code: string }
  /** SPEC §1a: the confirmation of the already paid slip, printed again. */
  | { type: "reprint" }
  | { type: "language"; lang: Language }
  | { type: "toggle"; setting: "speech" | "largeText" | "highContrast" }
  | { type: "more-time" };

export const ACTION_EVENT = "kiosk-action";

export function emitAction(from: HTMLElement, action: KioskAction): void {
  from.dispatchEvent(
    new CustomEvent<KioskAction>(ACTION_EVENT, { detail: action, bubbles: true, composed: true }),
  );
}
