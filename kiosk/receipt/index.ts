export { receiptDocument } from "./document.ts";
export { documentSvg, receiptSvg } from "./svg.ts";
export { escapeProperty, escapeText } from "./escape.ts";
export { receiptRenderer, type ReceiptRenderer } from "./renderer.ts";
