import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EscPosParser } from "../../../devices/sim/escpos-parser.ts";
import { renderEscPos } from "../../../devices/printer/render.ts";
import { receiptDocument, wrapWords } from "../../../kiosk/receipt/document.ts";
import { documentSvg } from "../../../kiosk/receipt/svg.ts";
import { fixedReceipt } from "../../fixtures/receipt/model.ts";

/** What the paper would say: the document through our ESC/POS rendering and the simulator's reader. */
function paper(document: string, columns = 48): string[] {
  const lines: string[] = [];
  const parser = new EscPosParser({
    item: (i) => lines.push(i.kind === "text" ? i.text : i.kind === "qr" ? `[QR] ${i.data}` : "[IMAGE]"),
    cut: () => {},
    statusBack: () => {},
    paperStatusRequest: () => {},
    reset: () => {},
  });
  parser.push(renderEscPos(document, { columns, codePage: "cp1250" }));
  return lines;
}

describe("receipt document", () => {
  it("prints Polish only for a Polish visitor", () => {
    const text = paper(receiptDocument({ ...fixedReceipt, language: "pl" }, 48)).join("\n");
    expect(text).toContain("Data: 2026-11-25 10:31:05");
    expect(text).toContain("RAZEM");
    expect(text).not.toContain("TOTAL");
    expect(text).not.toContain("Payment confirmation");
    expect(text.replace(/\s+/g, " ")).toContain("Potwierdzenie zapłaty – nie jest paragonem fiskalnym");
  });

  it("shows only the last four digits of the card, whatever the terminal sent", () => {
    const model = { ...fixedReceipt, card: { ...fixedReceipt.card, maskedPan: "4761739001010119" } };
    const text = paper(receiptDocument(model, 48)).join("\n");
    expect(text).toContain("**** 0119");
    expect(text).not.toContain("476173");
    expect(text).not.toMatch(/\d{5,}0119/);
  });

  it("keeps a value that fits a line whole on a narrow roll: the card's last four, the date and time", () => {
    for (const columns of [24, 32]) {
      const model = { ...fixedReceipt, language: "en" as const };
      const lines = paper(receiptDocument(model, columns), columns);
      for (const value of ["**** 0119", "2026-11-25 10:31:05"])
        expect(
          lines.some((l) => l.endsWith(value)),
          `${value} at ${columns}`,
        ).toBe(true);
      expect(lines.every((l) => l.startsWith("[QR]") || l.length <= columns)).toBe(true);
    }
    // Where label and value fit one line, they stay on it.
    expect(paper(receiptDocument({ ...fixedReceipt, language: "en" }, 48))).toContain(
      "Nr karty / Card number: **** 0119",
    );
  });

  it("marks a technician's reprint", () => {
    const text = paper(receiptDocument({ ...fixedReceipt, copy: "reprint" }, 48));
    expect(text[0]).toContain("KOPIA");
  });

  it("omits the handling fee when there is none, and the slip in basket mode", () => {
    const { slip: _slip, ...basket } = fixedReceipt;
    const text = paper(receiptDocument({ ...basket, handlingFee: undefined }, 48)).join("\n");
    expect(text).not.toContain("Opłata manipulacyjna");
    expect(text).not.toContain("Nr blankietu");
  });

  it("heads the services of a payment of several slips, so none reads as part of the last slip", () => {
    const [dr, tab] = fixedReceipt.lines;
    const model = {
      ...fixedReceipt,
      slips: [
        { id: "S/1", caseRef: "KOM/1" },
        { id: "S/2", caseRef: "KOM/2" },
      ],
      lines: [
        { ...dr!, slip: "S/1" },
        { ...tab!, slip: "S/2" },
        {
          code: "GEO_MAP",
          label: { pl: "Wydruk mapy", en: "Map printout" },
          recipientName: "Geodezja",
          amount: 5000,
        },
      ],
      total: 5400 + 8000 + 5000 + 200,
    };
    for (const [language, heading] of [
      ["pl", "Usługi"],
      ["en", "Usługi / Services"],
      ["uk", "Usługi / Послуги"],
    ] as const) {
      const lines = paper(receiptDocument({ ...model, language }, 48));
      // The second slip's own heading in the list of lines (its number is also in the header above).
      const slip2 = lines.map((l) => l.includes("S/2 (KOM/2)")).lastIndexOf(true);
      const map = lines.findIndex((l) => l.startsWith("Wydruk mapy"));
      expect(slip2).toBeGreaterThan(0);
      expect(lines.slice(slip2, map)).toContain(heading);
    }
    // One slip and no services: no heading.
    expect(paper(receiptDocument({ ...fixedReceipt, language: "pl" }, 48))).not.toContain("Usługi");
  });

  it("names each slip once: one slip and a service, and two slips", () => {
    const [dr, tab] = fixedReceipt.lines;
    const map = {
      code: "GEO_MAP",
      label: { pl: "Wydruk mapy", en: "Map printout" },
      recipientName: "Geodezja",
      amount: 5000,
    };
    const oneSlip = {
      ...fixedReceipt,
      slip: { id: "S/1", caseRef: "KOM/1" },
      lines: [{ ...dr!, slip: "S/1" }, map],
    };
    const twoSlips = {
      ...oneSlip,
      slips: [
        { id: "S/1", caseRef: "KOM/1" },
        { id: "S/2", caseRef: "KOM/2" },
      ],
      lines: [{ ...dr!, slip: "S/1" }, { ...tab!, slip: "S/2" }, map],
    };
    for (const [model, ids] of [
      [oneSlip, ["S/1"]],
      [twoSlips, ["S/1", "S/2"]],
    ] as const) {
      for (const language of ["pl", "en", "uk"] as const) {
        const lines = paper(receiptDocument({ ...model, language }, 48));
        expect(
          lines.filter((l) => l.includes("Nr blankietu")),
          language,
        ).toHaveLength(ids.length);
        for (const id of ids) {
          const heading = lines.findIndex((l) => l.startsWith("Nr blankietu") && l.includes(`${id} (KOM/`));
          expect(heading, `${id} ${language}`).toBeGreaterThan(0);
        }
      }
    }
    // One slip and no services: named once, in the header, with its case.
    const plain = paper(receiptDocument({ ...fixedReceipt, language: "pl" }, 48));
    expect(plain.filter((l) => l.includes("Nr blankietu"))).toEqual(["Nr blankietu: S/2026/000123"]);
  });

  it("prints any case reference exactly as written, markup characters included", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), (caseRef) => {
        const clean = caseRef.replace(/[\u0000-\u001f\u007f]/g, " ").trim();
        fc.pre(clean.length > 0 && !/\s{2}/.test(clean) && /^[\x20-\x7e]+$/.test(clean));
        const lines = paper(
          receiptDocument({ ...fixedReceipt, language: "pl", slip: { id: "S/1", caseRef } }, 48),
        );
        expect(lines).toContain(`Sprawa: ${clean}`);
      }),
      { numRuns: 50 },
    );
  });

  it("carries the OPLR1 code as QR and as text, also in the SVG", () => {
    const doc = receiptDocument(fixedReceipt, 48);
    const lines = paper(doc);
    expect(lines).toContain(`[QR] ${fixedReceipt.verificationCode}`);
    const textual = lines.filter((l) => /^[A-Za-z0-9|/_-]+$/.test(l) && l.length >= 20).join("");
    expect(textual).toContain(fixedReceipt.verificationCode);
    const svg = documentSvg(doc, 48);
    expect(svg).toContain("<svg");
    expect(svg).not.toContain("@import");
    expect(svg).not.toContain("googleapis");
    expect(svg).toContain('>O</tspan><tspan x="18">P</tspan><tspan x="30">L</tspan>');
  });

  it("wraps at spaces and cuts only words longer than a line", () => {
    expect(wrapWords("Potwierdzenie zapłaty – nie jest paragonem fiskalnym", 20)).toEqual([
      "Potwierdzenie",
      "zapłaty – nie jest",
      "paragonem fiskalnym",
    ]);
    expect(wrapWords("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
  });
});
