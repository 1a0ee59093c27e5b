/**
 * The sentences audio mode says (issue 18 finding 1): amounts in words, the summary line by line with
 * the handling fee and total, focused controls with name, value, role and state, keypad keys.
 */
import { describe, expect, it } from "vitest";
import { sentenceOf, speechContext } from "../../kiosk/speech/catalogue.ts";

const context = speechContext({
  item: (code, lang) =>
    code === "EGiB" || code === "EGIB"
      ? { label: lang === "pl" ? "Wypis z rejestru gruntów" : "Land register extract", price: 4000 }
      : undefined,
  session: () => ({
    lines: [
      { label: "Dowód rejestracyjny", amount: 5400, quantity: 1, reference: null },
      { label: "Wypis", amount: 8000, quantity: 2, reference: "KOM/12" },
    ],
    handlingFee: { label: "Opłata manipulacyjna", amount: 250 },
    total: 13650,
  }),
  terminalPrompt: (status, lang) =>
    status === 0x0a && lang === "en" ? "Tap, insert or swipe your card" : "",
});

describe("spoken sentences", () => {
  it("reads the summary: each line with quantity, reference and amount in words, the fee, the total", () => {
    const text = sentenceOf({ id: "summary", language: "pl", params: { count: 2, total: 13650 } }, context);
    expect(text).toContain("pozycja 1 z 2: Dowód rejestracyjny, pięćdziesiąt cztery złote.");
    expect(text).toContain("Wypis, liczba: dwa, ");
    expect(text).toContain("K O M / 1 2");
    expect(text).toContain("osiemdziesiąt złotych");
    expect(text).toContain("Opłata manipulacyjna: dwa złote pięćdziesiąt groszy.");
    expect(text).toContain("sto trzydzieści sześć złotych pięćdziesiąt groszy");
    expect(text).not.toMatch(/zł(\s|$)|\d,\d/);
  });

  it("says the words of a transfer code's title as words, and spells only its codes (SPEC §1b)", () => {
    // The title of a bank transfer code is the line's reference: spelled letter by letter, sixty
    // characters of it took half a minute before the visitor heard the amount.
    const transfer = speechContext({
      session: () => ({
        lines: [
          {
            label: "Podatek od nieruchomości",
            amount: 12345,
            quantity: 1,
            reference: "Podatek od nieruchomości 2026 rata 4 decyzja FN.3120.15.2026",
          },
        ],
        handlingFee: null,
        total: 12345,
      }),
    });
    const text = sentenceOf({ id: "summary", language: "pl", params: { count: 1, total: 12345 } }, transfer);
    expect(text).toContain(
      "Numer: Podatek od nieruchomości 2 0 2 6 rata 4 decyzja F N . 3 1 2 0 . 1 5 . 2 0 2 6, sto dwadzieścia trzy złote",
    );
    expect(
      sentenceOf({ id: "focus", language: "en", params: { control: "summary.line", line: 0 } }, transfer),
    ).toContain("Reference: Podatek od nieruchomości 2 0 2 6 rata 4 decyzja F N . 3 1");
  });

  it("says no total while a transfer code's amount is still to be typed (SPEC §1b `000000`)", () => {
    // The daemon's total is then the fee alone: said as "razem do zapłaty dwa złote" it was a debt.
    const open = speechContext({
      session: () => ({
        lines: [{ label: "Podatek", amount: 0, quantity: 1, reference: null, amountToEnter: true }],
        handlingFee: { label: "Opłata manipulacyjna", amount: 200 },
        total: 200,
      }),
    });
    const text = sentenceOf({ id: "summary", language: "pl", params: { count: 1, total: 200 } }, open);
    expect(text).toContain("pozycja 1 z 1: Podatek, kwota do wpisania.");
    expect(text).toContain("Opłata manipulacyjna: dwa złote.");
    expect(text).toContain("Sumę do zapłaty poznasz po wpisaniu kwoty.");
    expect(text).not.toMatch(/Razem do zapłaty|zero złotych/);
    expect(
      sentenceOf({ id: "focus", language: "en", params: { control: "summary.line", line: 0 } }, open),
    ).toBe("item 1 of 1: Podatek, amount to be entered.");
  });

  it("says a focused control's name, item, price, value, role and state", () => {
    expect(
      sentenceOf(
        { id: "focus", language: "en", params: { control: "basket.increase", item: "EGIB", quantity: 2 } },
        context,
      ),
    ).toBe("Add one: Land register extract, price: forty zloty, quantity: two, button.");
    expect(
      sentenceOf(
        { id: "focus", language: "pl", params: { control: "toolbar.language", lang: "uk", pressed: false } },
        context,
      ),
    ).toBe("ukraiński, przycisk, wyłączony.");
    expect(
      sentenceOf(
        { id: "focus", language: "uk", params: { control: "keypad.input", amount: 12345 } },
        context,
      ),
    ).toBe("введено: сто двадцять три злоті сорок п'ять грошів.");
    expect(
      sentenceOf({ id: "focus", language: "en", params: { control: "keypad.key", key: "," } }, context),
    ).toBe("decimal point, button.");
    expect(
      sentenceOf(
        { id: "focus", language: "en", params: { control: "basket.continue", total: 4000 } },
        context,
      ),
    ).toBe("Continue, Total: forty zloty, button.");
  });

  it("says the terminal's prompt for a status code, and a fallback for one it does not know", () => {
    expect(sentenceOf({ id: "terminal", language: "en", params: { status: 0x0a } }, context)).toBe(
      "Tap, insert or swipe your card",
    );
    expect(sentenceOf({ id: "terminal", language: "en", params: { status: 0x99 } }, context)).toMatch(
      /Follow the instructions/,
    );
  });
});
