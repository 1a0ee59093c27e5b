/**
 * A counted noun in the grammatical number the language needs: Polish and Ukrainian have three
 * forms ("1 znak", "2 znaki", "5 znaków"; "21 символ", "22 символи", "25 символів") where English
 * has two, and the rules differ (Polish 21 takes "many", Ukrainian 21 takes "one"). The rules are
 * CLDR's, through Intl.PluralRules, not written out by hand.
 */
import type { Language } from "../api.ts";

/** The forms of a noun: `one`, `few`, `many` as CLDR names them; `other` for the rest (fractions). */
export interface NounForms {
  one: string;
  few?: string;
  many?: string;
  other: string;
}

const RULES: Record<Language, Intl.PluralRules> = {
  pl: new Intl.PluralRules("pl"),
  en: new Intl.PluralRules("en"),
  uk: new Intl.PluralRules("uk"),
};

/** The noun's form for `n` in `lang` ("znaków" for 5 in Polish). */
export function nounFor(n: number, lang: Language, forms: NounForms): string {
  const rule = RULES[lang].select(n);
  if (rule === "one" || rule === "few" || rule === "many") return forms[rule] ?? forms.other;
  return forms.other;
}

/** `n` and its noun: "22 znaki", "21 символ", "1 character". */
export function counted(n: number, lang: Language, forms: NounForms): string {
  return `${n} ${nounFor(n, lang, forms)}`;
}
