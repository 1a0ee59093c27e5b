import type { Language } from "../api.ts";
import { en } from "./en.ts";
import {
  type ErrorCode,
  type ErrorText,
  type Messages,
  SCREEN_ERROR_CODES,
  SLIP_ERROR_CODES,
} from "./messages.ts";
import { pl } from "./pl.ts";
import { uk } from "./uk.ts";

export type { ErrorCode, Messages };
export { SLIP_ERROR_CODES };

const CATALOGUES: Record<Language, Messages> = { pl, en, uk };

export function messages(lang: Language): Messages {
  return CATALOGUES[lang];
}

/** Each language's own name: a visitor who does not read Polish still finds theirs. */
export const LANGUAGE_NAMES: Record<Language, string> = { pl: "Polski", en: "English", uk: "Українська" };

export function errorText(lang: Language, code: string): ErrorText {
  const known = (SCREEN_ERROR_CODES as readonly string[]).includes(code);
  return CATALOGUES[lang].errors[(known ? code : "UNKNOWN") as ErrorCode];
}
