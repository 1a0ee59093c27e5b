/**
 * What the kiosk may say aloud: one sentence per id, built from the screen catalogue (pl/en/uk) with
 * its amounts as parameters. The UI asks the daemon for a sentence by id (`POST /api/speech`
 * `{ id, language, params }`); the daemon builds the text with this same module and synthesises only
 * that, so nothing but the catalogue's sentences can ever reach the synthesiser — never free text
 * (issue 13.3). Pure: no DOM, imported by the daemon too (kiosk/speech/catalogue.ts).
 */
import type { Language } from "../api.ts";
import { formatMoney } from "../format.ts";
import { errorText, messages } from "./index.ts";
import { type ErrorCode, OTHER_ERROR_CODES, SLIP_ERROR_CODES } from "./messages.ts";

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
] as const;
export type SpeechId = (typeof SPEECH_IDS)[number];

export const SPEECH_ERROR_CODES: readonly ErrorCode[] = [...SLIP_ERROR_CODES, ...OTHER_ERROR_CODES];

/** The parameters a sentence takes: amounts in grosze, a count, an error code from the catalogue. */
export interface SpeechParams {
  count?: number;
  total?: number;
  code?: ErrorCode;
}

export interface SpeechMessage {
  id: SpeechId;
  params?: SpeechParams;
}

/** Which parameters each sentence needs (and no other is accepted). */
export const SPEECH_PARAMS: Readonly<Record<SpeechId, ReadonlyArray<keyof SpeechParams>>> = {
  welcome: [],
  basket: [],
  summary: ["count", "total"],
  authorizing: ["total"],
  checking: [],
  "approved.printing": [],
  "approved.take": [],
  "approved.notPrinted": [],
  declined: ["code"],
  error: ["code"],
  outOfOrder: [],
  timeout: [],
};

export function spokenSentence(lang: Language, message: SpeechMessage): string {
  const t = messages(lang);
  const p = message.params ?? {};
  const money = (grosze: number | undefined) => formatMoney(grosze ?? 0, lang);
  switch (message.id) {
    case "welcome":
      return `${t.welcome.title}. ${t.welcome.scan}. ${t.welcome.scanHint} ${t.welcome.or} ${t.welcome.chooseService}.`;
    case "basket":
      return `${t.basket.title}. ${t.basket.intro}`;
    case "summary":
      return `${t.summary.title}. ${t.summary.spoken(p.count ?? 0, money(p.total))}`;
    case "authorizing":
      return `${t.authorizing.title}. ${money(p.total)}. ${t.authorizing.defaultMessage}.`;
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
  }
}
