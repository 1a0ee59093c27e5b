/**
 * What audio mode says when a control takes focus (issue 18 finding 1; EN 301 549 5.1.3): its name,
 * the item it belongs to, its value and its state — as a catalogue sentence (`focus` with a control
 * key and numbers), never the control's text, so the daemon speaks only its own words. The control is
 * recognised by its data attributes (keypad keys, language and setting buttons, basket items, summary
 * lines) or by its visible name matching a catalogue string; anything else is said as "button".
 */
import type { Language } from "./api.ts";
import { parseAmountInput } from "./format.ts";
import { messages } from "./i18n/index.ts";
import {
  type ControlKey,
  KEYPAD_KEYS,
  type KeypadKey,
  type SpeechMessage,
  type SpeechParams,
} from "./i18n/spoken.ts";

/** Controls known by their visible name (the same string in the screen's catalogue). */
const NAMED: ReadonlyArray<[ControlKey, (lang: Language) => string]> = [
  ["welcome.chooseService", (l) => messages(l).welcome.chooseService],
  ["basket.continue", (l) => messages(l).basket.continue],
  ["basket.back", (l) => messages(l).basket.back],
  ["summary.pay", (l) => messages(l).summary.pay],
  ["summary.cancel", (l) => messages(l).summary.cancel],
  ["keypad.ok", (l) => messages(l).keypad.ok],
  ["keypad.clear", (l) => messages(l).keypad.clear],
  ["keypad.cancel", (l) => messages(l).keypad.cancel],
  ["authorizing.cancel", (l) => messages(l).authorizing.cancel],
  ["approved.finish", (l) => messages(l).approved.finish],
  ["declined.tryAgain", (l) => messages(l).declined.tryAgain],
  ["declined.cancel", (l) => messages(l).declined.cancel],
  ["error.backToStart", (l) => messages(l).error.backToStart],
  ["error.backToPayment", (l) => messages(l).error.backToPayment],
  ["timeout.more", (l) => messages(l).timeout.more],
  ["timeout.finish", (l) => messages(l).timeout.finish],
];

const ITEM_CONTROLS = new Set<ControlKey>([
  "basket.increase",
  "basket.decrease",
  "basket.enterAmount",
  "basket.changeAmount",
  "basket.removeAmount",
  "basket.enterReference",
]);

function nameOf(el: HTMLElement): string {
  return (el.getAttribute("aria-label") || el.textContent || "").replace(/\s+/g, " ").trim();
}

function int(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^\d{1,12}$/.test(value)) return undefined;
  return Number(value);
}

/** The sentence for `el` having taken focus, in `lang`; null for what is not a control (a heading). */
export function focusMessage(el: HTMLElement, lang: Language): SpeechMessage | null {
  const params = focusParams(el, lang);
  if (!params) return null;
  const pressed = el.getAttribute("aria-pressed");
  if (pressed === "true" || pressed === "false") params.pressed = pressed === "true";
  if (el.getAttribute("aria-disabled") === "true") params.disabled = true;
  return { id: "focus", params };
}

function focusParams(el: HTMLElement, lang: Language): SpeechParams | null {
  if (/^H[1-6]$/.test(el.tagName)) return null;
  const key = el.dataset["key"];
  if (key !== undefined) {
    return (KEYPAD_KEYS as readonly string[]).includes(key)
      ? { control: "keypad.key", key: key as KeypadKey }
      : { control: "button" };
  }
  if (el.dataset["lang"]) return { control: "toolbar.language", lang: el.dataset["lang"] as Language };
  const setting = el.dataset["setting"];
  if (setting === "speech" || setting === "largeText" || setting === "highContrast") {
    return { control: `toolbar.${setting}` };
  }
  if (el instanceof HTMLInputElement && el.dataset["mode"]) return inputParams(el);
  const line = int(el.dataset["line"]);
  if (line !== undefined) return { control: "summary.line", line };
  const control = el.dataset["control"] as ControlKey | undefined;
  const changed = el.dataset["change"];
  if (control === "summary.change" && changed && /^[A-Z0-9_]{1,16}$/.test(changed)) {
    // The line it changes is said first: which fee, how many, how much.
    const line = int(el.closest<HTMLElement>("[data-line]")?.dataset["line"]);
    return line === undefined ? { control, item: changed } : { control, item: changed, line };
  }
  if (control && ITEM_CONTROLS.has(control)) return itemParams(el, control);
  const name = nameOf(el);
  const named = NAMED.find(([, text]) => text(lang) === name);
  if (named) {
    const params: SpeechParams = { control: named[0] };
    const total = int(el.dataset["total"]);
    if (total !== undefined) params.total = total;
    return params;
  }
  return { control: "button" };
}

/** A basket item's control: the item (the daemon says its label and price), quantity or amount. */
function itemParams(el: HTMLElement, control: ControlKey): SpeechParams {
  const row = el.closest<HTMLElement>("[data-item]");
  const params: SpeechParams = { control };
  const code = row?.dataset["item"];
  if (code && /^[A-Z0-9_]{1,16}$/.test(code)) params.item = code;
  const quantity = int(row?.dataset["quantity"]);
  if (quantity !== undefined && (control === "basket.increase" || control === "basket.decrease")) {
    params.quantity = quantity;
  }
  const amount = int(row?.dataset["amount"]);
  if (amount !== undefined && control !== "basket.enterReference") params.amount = amount;
  return params;
}

/** The keypad's entry field: the amount typed so far, or the reference spelled; a PIN never. */
function inputParams(el: HTMLInputElement): SpeechParams {
  const mode = el.dataset["mode"];
  if (mode === "amount") {
    const grosze = el.value ? parseAmountInput(el.value) : null;
    return grosze === null ? { control: "keypad.input" } : { control: "keypad.input", amount: grosze };
  }
  const chars = el.value.toUpperCase();
  if (mode === "reference" && /^[0-9A-Z/.-]{1,40}$/.test(chars)) return { control: "keypad.input", chars };
  return { control: "keypad.input" };
}
