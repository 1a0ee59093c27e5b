/**
 * Amounts as words, for speech (issue 18 finding 1): a synthesiser given "162,50 zł" reads
 * "przecinek zero zero zet eł"; given "sto sześćdziesiąt dwa złote pięćdziesiąt groszy" it says what a
 * cashier would. Integer grosze in, words out, with the grammatical number each language needs:
 * Polish złoty/złote/złotych, grosz/grosze/groszy; Ukrainian злотий/злоті/злотих, грош/гроші/грошів;
 * English "zloty" and "groszy" as the currency is usually written in English, "one grosz" for 1.
 * Pure: no I/O, integer arithmetic only.
 */
import type { Language } from "./language.ts";
import { type Grosze, isGrosze } from "./money.ts";

/** Forms of a counted noun: after 1, after 2–4 (not 12–14), after everything else. */
interface Forms {
  one: string;
  few: string;
  many: string;
}

/**
 * The form a count takes in the language, by CLDR's plural rules (Intl.PluralRules): Polish 1 is
 * "one" but 21 is "many"; Ukrainian 21 is "one"; both take "few" after 2–4 but not 12–14.
 */
const RULES: Partial<Record<"pl" | "uk", Intl.PluralRules>> = {};

/**
 * Made at first use, not at import: only the speech routes need them, and the daemon that never
 * speaks an amount keeps ICU's plural data out of its memory (docs/benchmarks.md).
 */
function rules(lang: "pl" | "uk"): Intl.PluralRules {
  const made = RULES[lang] ?? new Intl.PluralRules(lang);
  RULES[lang] = made;
  return made;
}

function formOf(n: number, forms: Forms, lang: "pl" | "uk"): string {
  const rule = rules(lang).select(n);
  return rule === "one" ? forms.one : rule === "few" ? forms.few : forms.many;
}

interface Slavic {
  zero: string;
  units: readonly string[];
  /** Feminine 1 and 2, for Ukrainian thousands ("одна тисяча", "дві тисячі"). */
  feminine?: { 1: string; 2: string };
  teens: readonly string[];
  tens: readonly string[];
  hundreds: readonly string[];
  /** Thousand, million, billion, with the gender of each. */
  scales: ReadonlyArray<Forms & { feminine: boolean }>;
  zloty: Forms;
  grosz: Forms;
}

const PL: Slavic = {
  zero: "zero",
  units: ["", "jeden", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem", "dziewięć"],
  teens: [
    "dziesięć",
    "jedenaście",
    "dwanaście",
    "trzynaście",
    "czternaście",
    "piętnaście",
    "szesnaście",
    "siedemnaście",
    "osiemnaście",
    "dziewiętnaście",
  ],
  tens: [
    "",
    "",
    "dwadzieścia",
    "trzydzieści",
    "czterdzieści",
    "pięćdziesiąt",
    "sześćdziesiąt",
    "siedemdziesiąt",
    "osiemdziesiąt",
    "dziewięćdziesiąt",
  ],
  hundreds: [
    "",
    "sto",
    "dwieście",
    "trzysta",
    "czterysta",
    "pięćset",
    "sześćset",
    "siedemset",
    "osiemset",
    "dziewięćset",
  ],
  scales: [
    { one: "tysiąc", few: "tysiące", many: "tysięcy", feminine: false },
    { one: "milion", few: "miliony", many: "milionów", feminine: false },
    { one: "miliard", few: "miliardy", many: "miliardów", feminine: false },
  ],
  zloty: { one: "złoty", few: "złote", many: "złotych" },
  grosz: { one: "grosz", few: "grosze", many: "groszy" },
};

const UK: Slavic = {
  zero: "нуль",
  units: ["", "один", "два", "три", "чотири", "п'ять", "шість", "сім", "вісім", "дев'ять"],
  feminine: { 1: "одна", 2: "дві" },
  teens: [
    "десять",
    "одинадцять",
    "дванадцять",
    "тринадцять",
    "чотирнадцять",
    "п'ятнадцять",
    "шістнадцять",
    "сімнадцять",
    "вісімнадцять",
    "дев'ятнадцять",
  ],
  tens: [
    "",
    "",
    "двадцять",
    "тридцять",
    "сорок",
    "п'ятдесят",
    "шістдесят",
    "сімдесят",
    "вісімдесят",
    "дев'яносто",
  ],
  hundreds: [
    "",
    "сто",
    "двісті",
    "триста",
    "чотириста",
    "п'ятсот",
    "шістсот",
    "сімсот",
    "вісімсот",
    "дев'ятсот",
  ],
  scales: [
    { one: "тисяча", few: "тисячі", many: "тисяч", feminine: true },
    { one: "мільйон", few: "мільйони", many: "мільйонів", feminine: false },
    { one: "мільярд", few: "мільярди", many: "мільярдів", feminine: false },
  ],
  zloty: { one: "злотий", few: "злоті", many: "злотих" },
  grosz: { one: "грош", few: "гроші", many: "грошів" },
};

/** 1..999 in a Slavic language; `feminine` for the Ukrainian feminine 1 and 2. */
function slavicTriple(n: number, words: Slavic, feminine: boolean): string[] {
  const out: string[] = [];
  const h = Math.floor(n / 100);
  const rest = n % 100;
  if (h) out.push(words.hundreds[h] as string);
  if (rest >= 10 && rest < 20) {
    out.push(words.teens[rest - 10] as string);
    return out;
  }
  const t = Math.floor(rest / 10);
  const u = rest % 10;
  if (t) out.push(words.tens[t] as string);
  if (u) {
    const female = feminine && words.feminine && (u === 1 || u === 2) ? words.feminine[u] : undefined;
    out.push(female ?? (words.units[u] as string));
  }
  return out;
}

/** A whole number (0 ≤ n < 10^12) in Polish or Ukrainian words, counting a masculine noun. */
function slavicNumber(n: number, lang: "pl" | "uk"): string {
  const words = lang === "pl" ? PL : UK;
  if (n === 0) return words.zero;
  const parts: string[] = [];
  const groups = [Math.floor(n / 1e9) % 1000, Math.floor(n / 1e6) % 1000, Math.floor(n / 1e3) % 1000];
  groups.forEach((g, i) => {
    if (!g) return;
    const scale = words.scales[2 - i] as Forms & { feminine: boolean };
    // Polish says "tysiąc", "milion" for exactly one; Ukrainian "одна тисяча", "один мільйон".
    if (!(lang === "pl" && g === 1)) parts.push(...slavicTriple(g, words, scale.feminine));
    parts.push(formOf(g, scale, lang));
  });
  const units = n % 1000;
  if (units) parts.push(...slavicTriple(units, words, false));
  return parts.join(" ");
}

const EN_UNITS = [
  "",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
];
const EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const EN_SCALES = ["billion", "million", "thousand"];

function englishTriple(n: number): string[] {
  const out: string[] = [];
  const h = Math.floor(n / 100);
  const rest = n % 100;
  if (h) out.push(`${EN_UNITS[h]} hundred`);
  if (rest >= 20) {
    const u = rest % 10;
    out.push(u ? `${EN_TENS[Math.floor(rest / 10)]}-${EN_UNITS[u]}` : (EN_TENS[rest / 10] as string));
  } else if (rest) {
    out.push(EN_UNITS[rest] as string);
  }
  return out;
}

function englishNumber(n: number): string {
  if (n === 0) return "zero";
  const parts: string[] = [];
  const groups = [Math.floor(n / 1e9) % 1000, Math.floor(n / 1e6) % 1000, Math.floor(n / 1e3) % 1000];
  groups.forEach((g, i) => {
    if (g) parts.push(...englishTriple(g), EN_SCALES[i] as string);
  });
  if (n % 1000) parts.push(...englishTriple(n % 1000));
  return parts.join(" ");
}

/** The largest whole number spoken: just under a thousand billion. */
const LIMIT = 1e12;

/** A whole number in words (counting a masculine noun, e.g. a quantity of items). */
export function numberInWords(n: number, lang: Language): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= LIMIT) throw new RangeError(`cannot say ${n}`);
  return lang === "en" ? englishNumber(n) : slavicNumber(n, lang);
}

/**
 * "sto sześćdziesiąt dwa złote pięćdziesiąt groszy" for 16250 grosze. Whole złoty only say no
 * grosze ("sto sześćdziesiąt złotych"); less than one złoty says only grosze; zero is "zero złotych".
 * A negative amount (a refund) starts with "minus".
 */
export function amountInWords(grosze: Grosze, lang: Language): string {
  if (!isGrosze(grosze)) throw new RangeError(`not an integer amount of grosze: ${String(grosze)}`);
  const abs = Math.abs(grosze);
  const zloty = Math.floor(abs / 100);
  const gr = abs % 100;
  const parts: string[] = [];
  if (zloty > 0 || gr === 0) parts.push(`${numberInWords(zloty, lang)} ${zlotyWord(zloty, lang)}`);
  if (gr > 0) parts.push(`${numberInWords(gr, lang)} ${groszWord(gr, lang)}`);
  const text = parts.join(" ");
  return grosze < 0 ? `minus ${text}` : text;
}

function zlotyWord(n: number, lang: Language): string {
  if (lang === "en") return "zloty";
  return formOf(n, lang === "pl" ? PL.zloty : UK.zloty, lang);
}

function groszWord(n: number, lang: Language): string {
  if (lang === "en") return n === 1 ? "grosz" : "groszy";
  return formOf(n, lang === "pl" ? PL.grosz : UK.grosz, lang);
}
