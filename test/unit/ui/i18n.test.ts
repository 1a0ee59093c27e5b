import { describe, expect, it } from "vitest";
import { en } from "../../../ui/src/i18n/en.ts";
import { errorText, messages, SLIP_ERROR_CODES } from "../../../ui/src/i18n/index.ts";
import type { Messages } from "../../../ui/src/i18n/messages.ts";
import { pl } from "../../../ui/src/i18n/pl.ts";
import { pl as servicePl } from "../../../ui/src/i18n/service-pl.ts";
import { uk } from "../../../ui/src/i18n/uk.ts";
import { leaves } from "./catalogue-leaves.ts";

/** Message functions are called with these. */
const ARGS = ["X", "Y", "Z"];

const catalogues: Record<string, Messages> = { pl, en, uk };

describe("UI strings", () => {
  it("has the same keys in pl, en and uk, none empty", () => {
    const plKeys = leaves(pl, ARGS).map(([key]) => key);
    for (const [name, catalogue] of Object.entries(catalogues)) {
      const entries = leaves(catalogue, ARGS);
      expect(
        entries.map(([key]) => key),
        name,
      ).toEqual(plKeys);
      for (const [key, text] of entries) expect(text.trim(), `${name}.${key}`).not.toBe("");
    }
  });

  it("is really translated: English and Ukrainian differ from Polish almost everywhere", () => {
    const plText = new Map(leaves(pl, ARGS));
    for (const catalogue of [en, uk]) {
      const same = leaves(catalogue, ARGS).filter(([key, text]) => plText.get(key) === text);
      expect(same.length).toBeLessThan(3);
    }
  });

  it("Ukrainian is written in Cyrillic", () => {
    for (const [key, text] of leaves(uk, ARGS)) {
      if (/[a-z]{4,}/i.test(text.replace(/PLN|QR|F2|OPL1/g, "")))
        throw new Error(`${key} looks untranslated: ${text}`);
    }
  });

  it.each(SLIP_ERROR_CODES)("explains %s and what to do, in every language", (code) => {
    for (const lang of ["pl", "en", "uk"] as const) {
      const text = errorText(lang, code);
      expect(text).toBe(messages(lang).errors[code]);
      expect(text.title.length).toBeGreaterThan(10);
      expect(text.todo.length).toBeGreaterThan(10);
    }
  });

  it("says an already-paid slip must not be paid again and sends the visitor to the information desk", () => {
    expect(errorText("pl", "SLIP_ALREADY_PAID").title).toMatch(/już opłacony/);
    expect(errorText("en", "SLIP_ALREADY_PAID").todo).toMatch(/information desk/);
    expect(errorText("uk", "SLIP_ALREADY_PAID").todo).toMatch(/інформаційного пункту/);
  });

  it("falls back to a general explanation for a code it does not know", () => {
    expect(errorText("en", "SOMETHING_NEW")).toBe(en.errors.UNKNOWN);
  });
});

describe("one word for the machine", () => {
  it("Polish says automat on every screen, the service screens included; never kiosk", () => {
    const texts = [...leaves(pl, ARGS), ...leaves(servicePl, ARGS)].map(([, text]) => text);
    expect(texts.filter((text) => /kiosk/i.test(text))).toEqual([]);
    expect(texts.some((text) => /automat/i.test(text))).toBe(true);
  });
});
