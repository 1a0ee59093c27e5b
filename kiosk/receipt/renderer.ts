/**
 * The receipt renderer of this kiosk's printer: the same document for paper (ESC/POS) and for the
 * screen (SVG), at the printer's width. A simulated printer prints 48 columns, like the common 80 mm.
 */
import type { ReceiptModel } from "../domain/receipt.ts";
import type { KioskConfig } from "../config/types.ts";
import { receiptDocument } from "./document.ts";
import { receiptSvg } from "./svg.ts";

const DEFAULT_COLUMNS = 48;

export interface ReceiptRenderer {
  readonly columns: number;
  /** The receipt as a document for the printer. */
  document(model: ReceiptModel): string;
  /** The same receipt as an image for the screen. */
  svg(model: ReceiptModel): string;
}

export function receiptRenderer(printer: KioskConfig["devices"]["printer"]): ReceiptRenderer {
  const columns = printer.protocol === "escpos" ? printer.columns : DEFAULT_COLUMNS;
  return {
    columns,
    document: (model) => receiptDocument(model, columns),
    svg: (model) => receiptSvg(model, columns),
  };
}
