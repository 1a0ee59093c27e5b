/**
 * The printed receipt and the daemon's own messages (an API problem's `detail`, a reader's refusal)
 * call things what the screens call them: a visitor who reads "бланк" on the screen must not be told
 * about a "квитанція" (on the screens: the receipt) when the daemon refuses their slip.
 */
import { describe, expect, it } from "vitest";
import { SLIP_ERROR_CODES } from "../../../contracts/error-codes.ts";
import { ERROR_TEXTS } from "../../../kiosk/flow/messages.ts";
import { receiptDocument } from "../../../kiosk/receipt/document.ts";
import { fixedReceipt } from "../../fixtures/receipt/model.ts";

// Cyrillic words bounded by hand: JavaScript's \b knows only Latin letters.
const UK_WORD = (stem: string) => new RegExp(`(^|[^а-яіїєґ])${stem}`, "i");

describe("the words of the receipt and of the daemon's messages", () => {
  it("names the slip as the screens do: blankiet, бланк", () => {
    for (const code of SLIP_ERROR_CODES) {
      const { pl, uk } = ERROR_TEXTS[code];
      expect(pl, code).not.toMatch(/dowod|dowód|wpłaty/i);
      expect(uk, code).not.toMatch(UK_WORD("квитанц"));
    }
    expect(ERROR_TEXTS.SLIP_EXPIRED.pl).toContain("blankietu");
    expect(ERROR_TEXTS.SLIP_EXPIRED.uk).toContain("бланком");
  });

  it("names the device the cash desk when a cashier took the payment, the kiosk otherwise", () => {
    const desk = receiptDocument({ ...fixedReceipt, language: "en", cashier: "Anna Nowak" }, 48);
    expect(desk).toContain("|Kasa / Cash desk: K01 |");
    expect(desk).not.toMatch(/\|Kiosk/);
    expect(desk).toContain("Anna Nowak");
    expect(receiptDocument({ ...fixedReceipt, language: "en" }, 48)).toMatch(/\|Kiosk: K01 \|/);
  });

  it("prints the Ukrainian receipt with the screens' words: квитанція, отримувач, never підтвердження or a чек of its own", () => {
    const paper = receiptDocument({ ...fixedReceipt, language: "uk" }, 48);
    expect(paper).toContain("Квитанція про оплату");
    expect(paper).toContain("Отримувач");
    expect(paper).not.toMatch(/Підтвердження|Одержувач/);
    // "Not a fiscal receipt" is the one чек: the legal term for a till's receipt.
    expect(paper.replace("фіскальним чеком", "")).not.toMatch(UK_WORD("чек"));
  });
});
