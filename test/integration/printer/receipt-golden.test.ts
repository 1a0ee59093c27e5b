/**
 * Receipt golden test: a fixed payment is printed through the real driver over TCP into the printer
 * simulator; the text the simulator read back equals the expected receipt, the QR carries the OPLR1
 * code, and the SVG for the screen carries the same text.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createEscPosPrinter, type EscPosPrinter } from "../../../devices/printer/index.ts";
import { EscPosPrinterSim } from "../../../devices/sim/escpos-printer.ts";
import { receiptDocument } from "../../../kiosk/receipt/document.ts";
import { receiptSvg } from "../../../kiosk/receipt/svg.ts";
import { fixedReceipt } from "../../fixtures/receipt/model.ts";
import { svgTextLines } from "./svg-text.ts";

const expectedFile = path.join(import.meta.dirname, "../../fixtures/receipt/fixed-receipt.txt");

describe("receipt golden", () => {
  let sim: EscPosPrinterSim | undefined;
  let printer: EscPosPrinter | undefined;

  afterEach(async () => {
    await printer?.close();
    await sim?.close();
  });

  it("prints the expected receipt, and the SVG shows the same text", async () => {
    sim = new EscPosPrinterSim();
    const port = await sim.listenTcp(0);
    printer = createEscPosPrinter({
      transport: { type: "tcp", host: "127.0.0.1", port },
      columns: 48,
      codePage: "cp1250",
    });
    await printer.open();
    await printer.print({ id: "P-20261125-000042/1", document: receiptDocument(fixedReceipt, 48) });

    expect(sim.receipts).toHaveLength(1);
    const printed = sim.receipts[0]!;
    if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(expectedFile, `${printed.lines.join("\n")}\n`);
    const expected = fs.readFileSync(expectedFile, "utf8").replace(/\n$/, "").split("\n");
    expect(printed.lines).toEqual(expected);
    expect(printed.qr).toEqual([fixedReceipt.verificationCode]);

    const paperText = printed.lines.filter((l) => !l.startsWith("[QR]") && l.trim() !== "");
    const screenText = svgTextLines(receiptSvg(fixedReceipt, 48)).filter((l) => l.trim() !== "");
    expect(screenText).toEqual(paperText);
  });

  it("keeps Polish letters and the visitor's Ukrainian in code page 852", async () => {
    sim = new EscPosPrinterSim();
    const port = await sim.listenTcp(0);
    printer = createEscPosPrinter({ transport: { type: "tcp", host: "127.0.0.1", port }, columns: 48 });
    await printer.open();
    const model = { ...fixedReceipt, language: "uk" as const };
    await printer.print({ id: "uk", document: receiptDocument(model, 48) });

    const text = sim.receipts[0]!.lines.join("\n");
    expect(text).toContain("Starostwo Powiatowe w Łęczycy");
    expect(text).toContain("ul. Żółkiewskiego 12, 99-100 Łęczyca");
    expect(text).toContain("Potwierdzenie zapłaty");
    expect(text).toContain("Квитанція про оплату");
    expect(text).toContain("Отримувач");
    // Code page 852 has no en dash: the paper shows a hyphen rather than a question mark.
    expect(text).toContain("Potwierdzenie zapłaty - nie jest paragonem");
    expect(text).not.toContain("?");
  });
});
