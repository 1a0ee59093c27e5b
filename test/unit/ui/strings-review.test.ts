/**
 * What the strings review of issue 18 (docs/strings-review.md) can check mechanically, over every
 * catalogue in ui/src/i18n — the visitor's screens, the layout's words, the spoken words, the service
 * console and the cash desk — so a later change cannot quietly undo it: every key in all three
 * languages, nothing left untranslated or equal to its key, no internal code or raw state name where
 * a person reads it, one word per thing in each language, the decimal sign of each language, no
 * keyboard hints to the public, Ukrainian counted nouns and apostrophes as Ukrainian writes them.
 */
import { describe, expect, it } from "vitest";
import { PAYMENT_STATUSES, SCREEN_STATES } from "../../../contracts/session-states.ts";
import type { DeviceState } from "../../../devices/device.ts";
import { ANSWER_CLASSES, STORED_STAGES } from "../../../kiosk/domain/recovery-match.ts";
import { ALARM_KINDS } from "../../../kiosk/store/alarms.ts";
import type { Language } from "../../../ui/src/api.ts";
import { formatMoney } from "../../../ui/src/format.ts";
import { deskMessages } from "../../../ui/src/i18n/desk.ts";
import { messages } from "../../../ui/src/i18n/index.ts";
import { layoutText } from "../../../ui/src/i18n/layout-text.ts";
import { ERROR_CODES } from "../../../contracts/error-codes.ts";
import { counted } from "../../../ui/src/i18n/plural.ts";
import { serviceMessages } from "../../../ui/src/i18n/service.ts";
import { SPOKEN_WORDS } from "../../../ui/src/i18n/spoken-words.ts";
import { leaves } from "./catalogue-leaves.ts";

const LANGS: readonly Language[] = ["pl", "en", "uk"];

/** Every catalogue, by name: what the public sees, and what staff see. */
const CATALOGUES = {
  visitor: { public: true, of: (lang: Language): unknown => messages(lang) },
  layout: { public: true, of: (lang: Language): unknown => layoutText(lang) },
  spoken: { public: true, of: (lang: Language): unknown => SPOKEN_WORDS[lang] },
  service: { public: false, of: (lang: Language): unknown => serviceMessages(lang) },
  desk: { public: false, of: (lang: Language): unknown => deskMessages(lang) },
} as const;
type CatalogueName = keyof typeof CATALOGUES;
const NAMES = Object.keys(CATALOGUES) as CatalogueName[];

/** Sample arguments for message functions: a number a sentence counts and a code it names. */
const SAMPLE_ARGS = [7, "KOM/1", "Z-9"] as const;

function texts(name: CatalogueName, lang: Language): Array<[string, string]> {
  return leaves(CATALOGUES[name].of(lang), SAMPLE_ARGS);
}

/**
 * Strings that may read the same in Polish and another language: names, international words and
 * abbreviations a person recognises in either (checked by hand, docs/strings-review.md).
 */
const SAME_AS_POLISH: Record<string, readonly string[]> = {
  // "{label} – {item}": only the names it is given.
  "en:visitor": ["keypad.referenceTitle"],
  // The decimal key: a comma in both.
  "uk:visitor": ["keypad.referenceTitle", "keypad.decimalKey"],
  // The countdown ring's unit symbols, "s" and "min": SI symbols, the same in both.
  "en:layout": ["units.seconds", "units.minutes"],
  "uk:layout": [],
  "en:spoken": [],
  "uk:spoken": [],
  "en:service": ["terminal.heading", "reconciliation.terminal"],
  "uk:service": [],
  "en:desk": ["login.pin", "report.terminal"],
  "uk:desk": ["login.pin"],
};

describe("strings review (docs/strings-review.md)", () => {
  it.each(NAMES)("%s: every key in pl, en and uk, none empty, none equal to its own key", (name) => {
    const keys = texts(name, "pl").map(([key]) => key);
    for (const lang of LANGS) {
      const entries = texts(name, lang);
      expect(
        entries.map(([key]) => key),
        `${name} ${lang}`,
      ).toEqual(keys);
      for (const [key, text] of entries) {
        expect(text.trim(), `${lang} ${name}.${key}`).not.toBe("");
        // English keys are English words ("or", "back"); only the full key path is never a text there.
        const own = lang === "en" ? [`${name}.${key}`] : [key, key.split(".").at(-1)];
        expect(own, `${lang} ${name}.${key} is its own key`).not.toContain(text.trim());
      }
    }
  });

  it.each(NAMES)("%s: English and Ukrainian are translated, not Polish left in place", (name) => {
    const polish = new Map(texts(name, "pl"));
    for (const lang of ["en", "uk"] as const) {
      const same = texts(name, lang)
        .filter(([key, text]) => polish.get(key) === text)
        .map(([key]) => key);
      expect(same, `${lang} ${name} strings equal to the Polish`).toEqual(SAME_AS_POLISH[`${lang}:${name}`]);
    }
  });

  it.each(NAMES)("%s: no internal error code or raw state name where a person reads it", (name) => {
    const internal = /\b[A-Z]+_[A-Z_]+\b|\b[a-z]+_[a-z_]+\b|\b[a-z]+[A-Z][A-Za-z]*\b/;
    const codes = new Set<string>([...ERROR_CODES, "UNKNOWN"]);
    for (const lang of LANGS) {
      for (const [key, text] of texts(name, lang)) {
        expect(text, `${lang} ${name}.${key}`).not.toMatch(internal);
        expect(codes.has(text), `${lang} ${name}.${key}`).toBe(false);
      }
    }
  });

  it("names every state, status, stage and alarm staff can meet in words of their own, in every language", () => {
    // A Record over the type: a device state added later fails the type check until it is named here.
    const deviceStates: Record<DeviceState, true> = {
      closed: true,
      idle: true,
      busy: true,
      error: true,
      offline: true,
    };
    for (const lang of LANGS) {
      const s = serviceMessages(lang);
      const named: Array<[string, Record<string, string>, readonly string[]]> = [
        ["payment statuses", s.payments.statuses, [...PAYMENT_STATUSES, "cancelled"]],
        ["terminal stages", s.payments.stages, STORED_STAGES],
        ["terminal answers", s.payments.answers, ANSWER_CLASSES],
        ["device states", s.devices.states, Object.keys(deviceStates)],
        ["alarm kinds", s.queue.alarmKind, ALARM_KINDS],
        ["alarm actions", s.queue.alarmAction, ALARM_KINDS],
        ["cash desk states", deskMessages(lang).state, SCREEN_STATES],
      ];
      // Each alarm kind's line is worded by the console too (the daemon's summary is English).
      expect(Object.keys(s.queue.alarmSummary).sort(), `${lang} alarm summaries`).toEqual(
        [...ALARM_KINDS].sort(),
      );
      for (const [what, words, raw] of named) {
        for (const name of raw) {
          const word = words[name];
          expect(word, `${lang} ${what}: ${name}`).toBeTruthy();
          expect(word, `${lang} ${what}: ${name}`).not.toContain("_");
          // English state names are English words ("approved"); in Polish and Ukrainian they are raw names.
          if (lang !== "en")
            expect(word?.toLowerCase(), `${lang} ${what}: ${name}`).not.toContain(name.replace(/_/g, " "));
        }
      }
    }
  });

  it("writes amounts with the language's decimal sign: 1234,56 zł in Polish and Ukrainian, PLN 1,234.56 in English", () => {
    expect(formatMoney(123456, "pl")).toBe("1234,56\u00a0zł");
    expect(formatMoney(123456, "uk")).toBe("1234,56\u00a0zł");
    expect(formatMoney(123456, "en")).toBe("PLN\u00a01,234.56");
    expect(formatMoney(1234567, "pl")).toBe("12\u00a0345,67\u00a0zł");
    for (const lang of LANGS) {
      const sign = lang === "en" ? "." : ",";
      const wrong = lang === "en" ? /\d,\d\d(?!\d)/ : /\d\.\d\d(?!\d)/;
      expect(messages(lang).keypad.decimalKey, lang).toBe(sign);
      for (const name of NAMES) {
        for (const [key, text] of texts(name, lang))
          expect(text, `${lang} ${name}.${key}`).not.toMatch(wrong);
      }
    }
  });

  it("shows the public no keyboard hints (a kiosk keypad has no F keys, Ctrl, Esc or Tab)", () => {
    const hint = /\bF\d{1,2}\b|\bCtrl\b|\bEsc(ape)?\b|\bTab\b|\bAlt\b/;
    for (const name of NAMES.filter((n) => CATALOGUES[n].public)) {
      for (const lang of LANGS) {
        for (const [key, text] of texts(name, lang)) expect(text, `${lang} ${name}.${key}`).not.toMatch(hint);
      }
    }
  });

  /** One word for each thing, per language; the words it must not be called instead. */
  // JavaScript's \b knows only Latin letters: Cyrillic words are bounded by hand.
  const TERMS: Record<Language, Array<{ thing: string; never: RegExp; where: CatalogueName[] }>> = {
    pl: [
      { thing: "the machine (automat)", never: /kiosk|terminal samoobsługowy|maszyn/i, where: NAMES },
      {
        thing: "the receipt (potwierdzenie)",
        never: /paragon|pokwitowani|rachun/i,
        where: ["visitor", "layout"],
      },
      { thing: "nothing taken", never: /nic nie (zostało|zostanie) pobrane|nie obciążono/i, where: NAMES },
      { thing: "quantity (liczba)", never: /\bilość/i, where: NAMES },
    ],
    en: [
      { thing: "the machine (kiosk)", never: /\bmachine|\bautomat\b|\bATM\b/i, where: NAMES },
      { thing: "the receipt", never: /confirmation\b/i, where: ["visitor", "layout", "desk"] },
      {
        thing: "the card terminal (payment terminal)",
        never: /card terminal|PIN pad/i,
        where: ["visitor", "layout"],
      },
      { thing: "nothing taken", never: /nothing was charged|not charged/i, where: ["visitor", "layout"] },
    ],
    uk: [
      { thing: "the machine (кіоск)", never: /автомат|термінал самообслуговування/i, where: NAMES },
      {
        thing: "the receipt (квитанція)",
        never: /підтвердження|(^|[^а-яіїєґ])чек([^а-яіїєґ]|$)/i,
        where: ["visitor", "layout", "desk"],
      },
      { thing: "nothing taken (гроші не списано)", never: /кошти не списано/i, where: ["visitor", "layout"] },
      { thing: "to fetch (за + instrumental, not по)", never: /(^|\s)по (новий|виправлений)/i, where: NAMES },
    ],
  };

  it.each(LANGS)("%s: one word for the machine, the receipt, the terminal and 'no money taken'", (lang) => {
    for (const term of TERMS[lang]) {
      for (const name of term.where) {
        for (const [key, text] of texts(name, lang)) {
          expect(text, `${lang} ${name}.${key}: ${term.thing}`).not.toMatch(term.never);
        }
      }
    }
  });

  it("writes the Ukrainian apostrophe as the modifier letter ʼ, never a quote between letters", () => {
    for (const name of NAMES) {
      for (const [key, text] of texts(name, "uk")) {
        expect(text, `uk ${name}.${key}`).not.toMatch(/[а-яіїєґ]['’][а-яіїєґ]/i);
      }
    }
  });

  it("counts with the noun's grammatical number in each language (Intl.PluralRules, not English-style)", () => {
    const sign = { one: "znak", few: "znaki", many: "znaków", other: "znaku" };
    const symbol = { one: "символ", few: "символи", many: "символів", other: "символу" };
    expect([1, 2, 5, 12, 21, 22, 25, 112].map((n) => counted(n, "pl", sign))).toEqual([
      "1 znak",
      "2 znaki",
      "5 znaków",
      "12 znaków",
      "21 znaków",
      "22 znaki",
      "25 znaków",
      "112 znaków",
    ]);
    expect([1, 2, 5, 11, 21, 22, 25, 111].map((n) => counted(n, "uk", symbol))).toEqual([
      "1 символ",
      "2 символи",
      "5 символів",
      "11 символів",
      "21 символ",
      "22 символи",
      "25 символів",
      "111 символів",
    ]);
    expect(serviceMessages("uk").tests.scanned(21, "OPL1")).toContain("21 символ,");
    expect(serviceMessages("uk").tests.scanned(23, "OPL1")).toContain("23 символи,");
    expect(serviceMessages("pl").tests.scanned(23, "OPL1")).toContain("23 znaki,");
    expect(serviceMessages("en").tests.scanned(1, "OPL1")).toContain("1 character,");
  });
});
