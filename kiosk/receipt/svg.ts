/**
 * The receipt as an image for the screen (`GET /api/payments/{id}/receipt.svg`): the same receiptline
 * document the printer gets, laid out with the same number of columns.
 */
import { receiptline } from "../../devices/printer/receiptline.ts";
import type { ReceiptModel } from "../domain/receipt.ts";
import { receiptDocument } from "./document.ts";

export function receiptSvg(model: ReceiptModel, columns: number): string {
  return documentSvg(receiptDocument(model, columns), columns);
}

export function documentSvg(document: string, columns: number): string {
  // `cp852` only makes every character one column wide, exactly as the ESC/POS rendering does.
  const svg = receiptline().transform(document, { cpl: columns, encoding: "cp852", command: "svg" });
  // receiptline imports a web font from Google; the kiosk works offline and makes no such requests,
  // and its font list falls back to the local monospace fonts.
  return svg.replace(/<style[^>]*>(?:(?!<\/style>).)*@import(?:(?!<\/style>).)*<\/style>/s, "");
}
