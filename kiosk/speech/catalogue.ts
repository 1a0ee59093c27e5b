/**
 * The daemon's side of the speech catalogue: it speaks only the UI's sentences (ui/src/i18n/spoken.ts,
 * the same module the screens use), chosen by id, with parameters checked here — amounts and counts as
 * bounded integers, error codes from the catalogue. There is no way to hand it free text.
 */
import {
  SPEECH_ERROR_CODES,
  SPEECH_IDS,
  SPEECH_PARAMS,
  type SpeechMessage,
  type SpeechParams,
  spokenSentence,
} from "../../ui/src/i18n/spoken.ts";
import type { SpeechLanguage } from "./espeak.ts";

export { SPEECH_IDS };

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
  const wanted = SPEECH_PARAMS[body.id];
  const given = Object.keys(body.params ?? {}) as Array<keyof SpeechParams>;
  const extra = given.find((name) => !wanted.includes(name));
  if (extra) return `${body.id} takes no parameter ${extra}`;
  const missing = wanted.find((name) => body.params?.[name] === undefined);
  if (missing) return `${body.id} needs the parameter ${missing}`;
  return undefined;
}

/** The sentence to synthesise, built from the catalogue only. */
export function sentenceOf(body: SpeechBody): string {
  return spokenSentence(body.language, { id: body.id, ...(body.params ? { params: body.params } : {}) });
}
