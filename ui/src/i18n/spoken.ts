/**
 * What the kiosk may say aloud: one sentence per id, built from the screen catalogue (pl/en/uk) and
 * the speech words (spoken-words.ts), with numbers, codes and enumerated names as parameters. The UI
 * asks the daemon for a sentence by id (`POST /api/speech` `{ id, language, params }`); the daemon
 * builds the text with this same module and synthesises only that, so nothing but the catalogue's
 * sentences can ever reach the synthesiser — never free text (issue 13.3). What only the daemon knows
 * — amounts in words, a catalog item's label, the session's lines, the terminal's prompt for a status
 * code — comes from the SpeechContext the daemon passes in (kiosk/speech/catalogue.ts).
 * Pure: no DOM, imported by the daemon too.
 */
import type { Language } from "../api.ts";
import { errorText, type Messages, messages } from "./index.ts";
import { type ErrorCode, SCREEN_ERROR_CODES } from "./messages.ts";
import { SPOKEN_WORDS, type SpokenWords } from "./spoken-words.ts";

export const SPEECH_IDS = [
  "welcome",
  "basket",
  "summary",
  "authorizing",
  "checking",
  "approved.printing",
  "approved.take",
  "approved.notPrinted",
  "declined",
  "error",
  "outOfOrder",
  "timeout",
  "focus",
  "key",
  "terminal",
  "audioOn",
] as const;
export type SpeechId = (typeof SPEECH_IDS)[number];

export const SPEECH_ERROR_CODES: readonly ErrorCode[] = SCREEN_ERROR_CODES;

/** The keys of the on-screen keypad (keypad-dialog.ts); "⌫" deletes a character. */
export const KEYPAD_KEYS = [..."0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ,/-.", "⌫"] as const;
export type KeypadKey = (typeof KEYPAD_KEYS)[number];
/** What a typed reference may hold (the keypad's letters, digits and / - .), spelled out. */
export const SPOKEN_CHARS_PATTERN = "^[0-9A-Z/.\\-]{0,40}$";

/** A control's name: how to say it from the catalogue, by the key the UI sends. */
const CONTROLS = {
  "welcome.chooseService": (t: Messages) => t.welcome.chooseService,
  "basket.increase": (t: Messages, item: string) => t.basket.increase(item),
  "basket.decrease": (t: Messages, item: string) => t.basket.decrease(item),
  "basket.enterAmount": (t: Messages) => t.basket.enterAmount,
  "basket.changeAmount": (t: Messages) => t.basket.changeAmount,
  "basket.removeAmount": (t: Messages) => t.basket.removeAmount,
  "basket.enterReference": (t: Messages) => t.basket.enterReference,
  "basket.continue": (t: Messages) => t.basket.continue,
  "basket.back": (t: Messages) => t.basket.back,
  "summary.pay": (t: Messages) => t.summary.pay,
  "summary.cancel": (t: Messages) => t.summary.cancel,
  "summary.change": (t: Messages, item: string) => t.summary.changeItem(item),
  /** A line of the summary: the daemon reads it from the session (`line` is its index). */
  "summary.line": () => "",
  "keypad.key": () => "",
  "keypad.input": () => "",
  "keypad.ok": (t: Messages) => t.keypad.ok,
  "keypad.clear": (t: Messages) => t.keypad.clear,
  "keypad.cancel": (t: Messages) => t.keypad.cancel,
  "authorizing.cancel": (t: Messages) => t.authorizing.cancel,
  "approved.finish": (t: Messages) => t.approved.finish,
  "declined.tryAgain": (t: Messages) => t.declined.tryAgain,
  "declined.cancel": (t: Messages) => t.declined.cancel,
  "error.backToStart": (t: Messages) => t.error.backToStart,
  "error.backToPayment": (t: Messages) => t.error.backToPayment,
  "timeout.more": (t: Messages) => t.timeout.more,
  "timeout.finish": (t: Messages) => t.timeout.finish,
  "toolbar.language": () => "",
  "toolbar.speech": (t: Messages) => t.toolbar.speech,
  "toolbar.largeText": (t: Messages) => t.toolbar.largeText,
  "toolbar.highContrast": (t: Messages) => t.toolbar.highContrast,
  /** A control the catalogue has no name for: only its role and state are said. */
  button: () => "",
} satisfies Record<string, (t: Messages, item: string) => string>;
export type ControlKey = keyof typeof CONTROLS;
export const CONTROL_KEYS = Object.keys(CONTROLS) as ControlKey[];

/** The parameters a sentence takes: numbers, codes and names from closed lists — never text. */
export interface SpeechParams {
  count?: number;
  total?: number;
  code?: ErrorCode;
  control?: ControlKey;
  /** A catalog item's code; the daemon says its label and price. */
  item?: string;
  quantity?: number;
  /** An amount in grosze (a variable item's, or the one typed on the keypad). */
  amount?: number;
  pressed?: boolean;
  disabled?: boolean;
  lang?: Language;
  key?: KeypadKey;
  /** What is typed in a reference field so far, spelled character by character. */
  chars?: string;
  /** A ZVT intermediate status code; the daemon says the terminal's prompt for it. */
  status?: number;
  /** A summary line's index; one past the last is the handling fee. */
  line?: number;
}

export interface SpeechMessage {
  id: SpeechId;
  params?: SpeechParams;
}

type ParamName = keyof SpeechParams;

/** Which parameters each sentence needs, and which it may take (no other is accepted). */
export const SPEECH_PARAMS: Readonly<Record<SpeechId, { needs: ParamName[]; may?: ParamName[] }>> = {
  welcome: { needs: [] },
  basket: { needs: [] },
  summary: { needs: ["count", "total"] },
  authorizing: { needs: ["total"] },
  checking: { needs: [] },
  "approved.printing": { needs: [] },
  "approved.take": { needs: [] },
  "approved.notPrinted": { needs: [] },
  declined: { needs: ["code"] },
  error: { needs: ["code"] },
  outOfOrder: { needs: [] },
  timeout: { needs: [] },
  focus: {
    needs: ["control"],
    may: ["item", "quantity", "amount", "total", "pressed", "disabled", "lang", "key", "chars", "line"],
  },
  key: { needs: ["key"] },
  terminal: { needs: ["status"] },
  audioOn: { needs: [] },
};

/** What the daemon knows that a sentence may say (never anything the client sent as text). */
export interface SpeechContext {
  /** An amount in words ("sto sześćdziesiąt dwa złote"). */
  money(grosze: number, lang: Language): string;
  /** A count in words. */
  count(n: number, lang: Language): string;
  /** A catalog item's label and fixed price, in the language. */
  item(code: string, lang: Language): { label: string; price: number | null } | undefined;
  /** The session's lines, handling fee and total (as the summary shows them). */
  session(): SpokenSession | null;
  /** What the terminal asks of the visitor for an intermediate status code. */
  terminalPrompt(status: number, lang: Language): string;
}

export interface SpokenSession {
  lines: Array<{
    label: string;
    amount: number;
    quantity: number;
    reference: string | null;
    /** SPEC §1b `000000`: the visitor has yet to type this line's amount (amount is 0 meanwhile). */
    amountToEnter?: boolean;
  }>;
  handlingFee: { label: string; amount: number } | null;
  total: number;
}

export function spokenSentence(lang: Language, message: SpeechMessage, context: SpeechContext): string {
  const t = messages(lang);
  const p = message.params ?? {};
  const money = (grosze: number | undefined) => context.money(grosze ?? 0, lang);
  switch (message.id) {
    case "welcome":
      return `${t.welcome.title}. ${t.welcome.scan}. ${t.welcome.scanHint} ${t.welcome.or} ${t.welcome.chooseService}.`;
    case "basket":
      return `${t.basket.title}. ${t.basket.intro}`;
    case "summary":
      return summarySentence(lang, p, context);
    case "authorizing":
      return `${t.authorizing.title}. ${t.authorizing.amount}: ${money(p.total)}. ${t.authorizing.follow}`;
    case "checking":
      return t.authorizing.checking;
    case "approved.printing":
      return `${t.approved.title}. ${t.approved.printing}`;
    case "approved.take":
      return `${t.approved.title}. ${t.approved.take}`;
    case "approved.notPrinted":
      return `${t.approved.title}. ${t.approved.notPrinted}`;
    case "declined": {
      const reason =
        p.code && p.code !== "DECLINED" ? errorText(lang, p.code).title : t.declined.defaultReason;
      return `${t.declined.title}. ${reason} ${t.declined.nothingCharged}`;
    }
    case "error": {
      const text = errorText(lang, p.code ?? "UNKNOWN");
      return `${text.title} ${text.todo}`;
    }
    case "outOfOrder":
      return `${t.outOfOrder.title}. ${t.outOfOrder.body}`;
    case "timeout":
      return t.timeout.spoken;
    case "focus":
      return focusSentence(lang, p, context);
    case "key":
      return keyName(SPOKEN_WORDS[lang], p.key ?? "⌫");
    case "terminal":
      return context.terminalPrompt(p.status ?? 0, lang) || t.authorizing.follow;
    case "audioOn":
      return SPOKEN_WORDS[lang].audioOn;
  }
}

/** One line of the summary (or its handling fee, one past the last line), with its amount. */
function lineSentence(lang: Language, index: number, context: SpeechContext): string {
  const t = messages(lang);
  const w = SPOKEN_WORDS[lang];
  const session = context.session();
  if (!session) return "";
  const line = session.lines[index];
  if (!line) {
    const fee = session.handlingFee;
    return fee ? `${fee.label || t.summary.handlingFee}: ${context.money(fee.amount, lang)}.` : "";
  }
  return lineText(lang, w, line, index, session.lines.length, context);
}

function lineText(
  lang: Language,
  w: SpokenWords,
  line: SpokenSession["lines"][number],
  index: number,
  count: number,
  context: SpeechContext,
): string {
  const t = messages(lang);
  const quantity = line.quantity > 1 ? ` ${w.quantity}: ${context.count(line.quantity, lang)},` : "";
  const reference = line.reference ? ` ${t.basket.reference}: ${sayReference(line.reference)},` : "";
  // An open line's 0 said as "zero złotych" would tell the visitor they owe nothing for it.
  const amount = line.amountToEnter ? t.summary.amountPending : context.money(line.amount, lang);
  return `${w.line(index + 1, count)}: ${line.label},${quantity}${reference} ${amount}.`;
}

/** The summary read out: every line with its amount, the handling fee, the total, what to do. */
function summarySentence(lang: Language, p: SpeechParams, context: SpeechContext): string {
  const t = messages(lang);
  const w = SPOKEN_WORDS[lang];
  const session = context.session();
  const parts = [`${t.summary.title}.`];
  if (session) {
    const count = session.lines.length;
    session.lines.forEach((line, i) => {
      parts.push(lineText(lang, w, line, i, count, context));
    });
    if (session.handlingFee) {
      const label = session.handlingFee.label || t.summary.handlingFee;
      parts.push(`${label}: ${context.money(session.handlingFee.amount, lang)}.`);
    }
  }
  // While an amount is still to be typed the total is not the total (the open line counts 0): the
  // screen shows none, and neither is one said.
  const pending = session?.lines.some((line) => line.amountToEnter) ?? false;
  parts.push(
    pending
      ? t.summary.spokenPending(p.count ?? 0)
      : t.summary.spoken(p.count ?? 0, context.money(p.total ?? 0, lang)),
  );
  return parts.join(" ");
}

/** A focused control: its name, the item it belongs to, its value, its role and its state. */
function focusSentence(lang: Language, p: SpeechParams, context: SpeechContext): string {
  const t = messages(lang);
  const w = SPOKEN_WORDS[lang];
  const item = p.item ? context.item(p.item, lang) : undefined;
  const control = p.control ?? "button";
  const parts: string[] = [];
  if (control === "keypad.key") parts.push(keyName(w, p.key ?? "⌫"));
  else if (control === "toolbar.language") parts.push(w.languages[p.lang ?? lang]);
  else if (control === "keypad.input") {
    if (p.amount !== undefined) parts.push(`${w.amountEntered}: ${context.money(p.amount, lang)}`);
    else if (p.chars) parts.push(`${w.amountEntered}: ${spell(p.chars)}`);
    else parts.push(w.nothingEntered);
  } else if (control === "summary.line") {
    return lineSentence(lang, p.line ?? 0, context);
  } else if (p.line !== undefined) {
    // A control of a summary line (Change): the line first.
    const line = lineSentence(lang, p.line, context);
    return `${line} ${focusSentence(lang, { ...p, line: undefined }, context)}`.trim();
  } else parts.push(CONTROLS[control](t, item?.label ?? ""));
  const named =
    control === "basket.increase" || control === "basket.decrease" || control === "summary.change";
  if (item && !named) parts.push(item.label);
  if (item && item.price !== null) parts.push(`${w.price}: ${context.money(item.price, lang)}`);
  if (p.quantity !== undefined) parts.push(`${w.quantity}: ${context.count(p.quantity, lang)}`);
  if (p.amount !== undefined && control !== "keypad.input") parts.push(context.money(p.amount, lang));
  if (p.total !== undefined) parts.push(`${t.basket.total}: ${context.money(p.total, lang)}`);
  if (control !== "keypad.input") parts.push(w.button);
  if (p.pressed !== undefined) parts.push(p.pressed ? w.pressed : w.notPressed);
  if (p.disabled) parts.push(w.unavailable);
  return `${parts.filter(Boolean).join(", ")}.`;
}

function keyName(w: SpokenWords, key: KeypadKey): string {
  switch (key) {
    case ",":
      return w.keys.decimal;
    case "/":
      return w.keys.slash;
    case "-":
      return w.keys.dash;
    case ".":
      return w.keys.dot;
    case "⌫":
      return w.keys.backspace;
    default:
      return key;
  }
}

/** "KOM/12" as "K O M / 1 2": a reference is read character by character. */
function spell(text: string): string {
  return [...text].join(" ");
}

/**
 * A line's reference: a code ("KOM/12", "FN.3120.15.2026") spelled, but the words of a bank transfer
 * code's title ("Podatek od nieruchomości 2026") said as words; spelled, a title of sixty characters
 * took half a minute before its amount. A word is letters alone with a lower-case one among them, so
 * whatever the keypad types (capitals, digits, / - .) is still spelled.
 */
function sayReference(text: string): string {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((token) => (/^\p{L}+$/u.test(token) && /\p{Ll}/u.test(token) ? token : spell(token)))
    .join(" ");
}
