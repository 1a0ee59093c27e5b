/**
 * The daemon's side of the speech catalogue: it speaks only the UI's sentences (ui/src/i18n/spoken.ts,
 * the same module the screens use), chosen by id, with parameters checked here — amounts and counts as
 * bounded integers, codes and control names from closed lists, a typed reference only from the
 * keypad's own characters. There is no way to hand it free text. Amounts are said in words
 * (kiosk/domain/amount-words.ts); item labels, the session's lines and the terminal's prompts come
 * from the daemon's own state (the SpeechContext), never from the request.
 */
import {
  CONTROL_KEYS,
  KEYPAD_KEYS,
  SPEECH_ERROR_CODES,
  SPEECH_IDS,
  SPEECH_PARAMS,
  SPOKEN_CHARS_PATTERN,
  type SpeechContext,
  type SpeechMessage,
  type SpeechParams,
  type SpokenSession,
  spokenSentence,
} from "../../ui/src/i18n/spoken.ts";
import { amountInWords, numberInWords } from "../domain/amount-words.ts";
import type { SpeechLanguage } from "./espeak.ts";

export { SPEECH_IDS };
export type { SpeechContext, SpokenSession };

/** The largest amount a screen shows: 20 slip lines of at most 999 999 999 grosze, plus services. */
const MAX_GROSZE = 100_000_000_000;
const MAX_COUNT = 1000;

/** JSON Schema of `POST /api/speech`: closed objects, so no text field can ride along. */
export const speechBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["id", "language"],
  properties: {
    id: { type: "string", enum: [...SPEECH_IDS] },
    language: { type: "string", enum: ["pl", "en", "uk"] },
    params: {
      type: "object",
      additionalProperties: false,
      properties: {
        count: { type: "integer", minimum: 0, maximum: MAX_COUNT },
        total: { type: "integer", minimum: 0, maximum: MAX_GROSZE },
        code: { type: "string", enum: [...SPEECH_ERROR_CODES] },
        control: { type: "string", enum: [...CONTROL_KEYS] },
        item: { type: "string", pattern: "^[A-Z0-9_]{1,16}$" },
        quantity: { type: "integer", minimum: 0, maximum: MAX_COUNT },
        amount: { type: "integer", minimum: 0, maximum: MAX_GROSZE },
        pressed: { type: "boolean" },
        disabled: { type: "boolean" },
        lang: { type: "string", enum: ["pl", "en", "uk"] },
        key: { type: "string", enum: [...KEYPAD_KEYS] },
        chars: { type: "string", pattern: SPOKEN_CHARS_PATTERN },
        status: { type: "integer", minimum: 0, maximum: 255 },
        line: { type: "integer", minimum: 0, maximum: MAX_COUNT },
      },
    },
  },
} as const;

export interface SpeechBody {
  id: SpeechMessage["id"];
  language: SpeechLanguage;
  params?: SpeechParams;
}

/** What is wrong with a body the schema let through: a parameter the sentence does not take or needs. */
export function speechParamsProblem(body: SpeechBody): string | undefined {
  const { needs, may = [] } = SPEECH_PARAMS[body.id];
  const given = Object.keys(body.params ?? {}) as Array<keyof SpeechParams>;
  const extra = given.find((name) => !needs.includes(name) && !may.includes(name));
  if (extra) return `${body.id} takes no parameter ${extra}`;
  const missing = needs.find((name) => body.params?.[name] === undefined);
  if (missing) return `${body.id} needs the parameter ${missing}`;
  return undefined;
}

/** What the daemon's state offers a sentence: the catalog, the current session, the terminal's prompts. */
export interface SpeechSources {
  item?(code: string, lang: SpeechLanguage): { label: string; price: number | null } | undefined;
  session?(): SpokenSession | null;
  terminalPrompt?(status: number, lang: SpeechLanguage): string;
}

export function speechContext(sources: SpeechSources = {}): SpeechContext {
  return {
    money: (grosze, lang) => amountInWords(grosze, lang),
    count: (n, lang) => numberInWords(n, lang),
    item: (code, lang) => sources.item?.(code, lang),
    session: () => sources.session?.() ?? null,
    terminalPrompt: (status, lang) => sources.terminalPrompt?.(status, lang) ?? "",
  };
}

/** The sentence to synthesise, built from the catalogue only. */
export function sentenceOf(body: SpeechBody, context: SpeechContext = speechContext()): string {
  return spokenSentence(
    body.language,
    { id: body.id, ...(body.params ? { params: body.params } : {}) },
    context,
  );
}
