/**
 * The settlement report as PDF for signing and filing: DejaVu Sans embedded (Polish letters), the
 * totals per recipient account, component and device, reconciliation with mismatches, reversals, then
 * every transaction, streamed from the ledger page by page.
 */
import { PassThrough, type Readable } from "node:stream";
import PDFDocument from "pdfkit";
import { formatPlain } from "../../kiosk/domain/money.ts";
import { formatNrb } from "../../kiosk/domain/nrb.ts";
import { repeatedWallTime } from "../../kiosk/domain/time.ts";
import type { HubConfig } from "../config/types.ts";
import type { HubDb } from "../store/db.ts";
import { type Range, streamSplitRows } from "../store/report-store.ts";
import type { SettlementHeader } from "./settlement.ts";

const FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
const MARGIN = 40;
type Doc = InstanceType<typeof PDFDocument>;

/**
 * The payment's local time without its offset, except in the hour the clocks go back, which happens
 * twice: there the offset tells `02:30:00+02:00` (summer time) from `02:30:00+01:00` (winter time).
 */
function paidAtShown(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) || !repeatedWallTime(at) ? iso.slice(0, 19) : iso;
}

/** The table's type size, and the least an id or an amount is shrunk to so that it stays on one line. */
const SIZE = 8;
const LEAST_ID_SIZE = 4.5;

/** The type size at which `text` fits `width` on one line: SIZE, or smaller down to LEAST_ID_SIZE. */
function oneLineSize(doc: Doc, text: string, width: number): number {
  const wide = doc.fontSize(SIZE).widthOfString(text);
  return wide <= width ? SIZE : Math.max(LEAST_ID_SIZE, Math.floor(((SIZE * width) / wide) * 10) / 10);
}

/**
 * One table row. A cell wraps within its column and the row is as tall as its tallest cell, so a
 * long case or mismatch list is printed whole and never runs over the next row. The cells in `oneLine`
 * (a transaction's id, an amount) never wrap: one too wide for its column is set smaller until it fits
 * (ids of up to ~40 characters in the transactions' column; a longer one wraps rather than run over the
 * next). An amount broken over two lines ("19999999.9" over "8") is read as two numbers.
 */
function row(doc: Doc, widths: number[], cells: string[], oneLine: readonly number[] = []): void {
  doc.font("regular").fontSize(SIZE);
  const width = (i: number) => (widths[i] ?? 60) - 4;
  const sizes = cells.map((c, i) => (oneLine.includes(i) ? oneLineSize(doc, c, width(i)) : SIZE));
  const heights = cells.map((c, i) => doc.fontSize(sizes[i] ?? SIZE).heightOfString(c, { width: width(i) }));
  const height = Math.max(10, ...heights);
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
  const y = doc.y;
  let x = MARGIN;
  cells.forEach((c, i) => {
    doc.fontSize(sizes[i] ?? SIZE).text(c, x, y, { width: width(i) });
    x += widths[i] ?? 60;
  });
  doc.fontSize(SIZE);
  doc.x = MARGIN;
  doc.y = y + height + 2;
}

function heading(doc: Doc, text: string): void {
  if (doc.y + 40 > doc.page.height - MARGIN) doc.addPage();
  doc.moveDown(0.6).font("bold").fontSize(11).text(text, MARGIN, doc.y).moveDown(0.3);
}

export function settlementPdf(db: HubDb, config: HubConfig, h: SettlementHeader, q: Range): Readable {
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    info: { Title: `Rozliczenie ${q.office} ${q.from}` },
  });
  doc.registerFont("regular", FONT);
  doc.registerFont("bold", FONT_BOLD);
  const out = new PassThrough();
  doc.pipe(out);
  const office = config.offices[q.office];
  doc
    .font("bold")
    .fontSize(14)
    .text(`Rozliczenie / Settlement — ${office?.name ?? q.office}`);
  doc
    .font("regular")
    .fontSize(10)
    .text(`${q.office}   ${q.from === q.to ? q.from : `${q.from} – ${q.to}`}`);
  doc.text(
    `Transakcje / transactions: ${h.count}   Suma / total: ${formatPlain(h.total)} PLN   ${h.closed ? "zamknięty / closed" : "otwarty / open"}`,
  );
  heading(doc, "Odbiorcy / Recipients");
  for (const r of h.recipients)
    row(
      doc,
      [90, 170, 190, 40, 70],
      [r.code, r.name, formatNrb(r.nrb), String(r.count), formatPlain(r.total)],
      [4],
    );
  heading(doc, "Składniki / Components");
  for (const c of h.components) row(doc, [120, 60, 80], [c.code, String(c.count), formatPlain(c.total)], [2]);
  heading(doc, "Urządzenia / Devices");
  for (const d of h.devices) row(doc, [120, 60, 80], [d.id, String(d.count), formatPlain(d.total)], [2]);
  heading(doc, "Uzgodnienie / Reconciliation");
  for (const r of h.reconciliation)
    row(
      doc,
      [70, 60, 125, 125, 135],
      [
        r.date,
        r.device,
        `hub ${r.hub.count} / ${formatPlain(r.hub.total)}`,
        r.terminal ? `terminal ${r.terminal.count} / ${formatPlain(r.terminal.total)}` : "—",
        r.mismatches.length === 0
          ? "OK"
          : `NIEZGODNOŚĆ / MISMATCH: ${r.mismatches.map((m) => m.check).join(", ")}`,
      ],
      [2, 3],
    );
  if (h.reversals.length > 0) {
    heading(doc, "Zwroty / Reversals");
    for (const r of h.reversals)
      row(doc, [150, 60, 80, 200], [r.transactionId, r.device, formatPlain(r.total), r.reason], [0, 2]);
  }
  heading(doc, "Transakcje / Transactions");
  streamSplitRows(db, q, async (rows) => {
    for (const r of rows)
      row(
        doc,
        // The id's column holds K01_20261207_0001_YPNO on one line (a little smaller); the device's holds
        // "KASA-2 / ŻANETA" (a desk and its cashier), the case's KOM/123/2026, the amount's a payment's
        // largest, 999999999.99.
        [112, 92, 73, 65, 55, 63, 55],
        [
          r.id,
          paidAtShown(r.paid_at),
          // A cash desk's payment names its cashier beside the desk (SPEC §10).
          r.cashier ? `${r.device} / ${r.cashier}` : r.device,
          r.case_ref ?? "",
          r.component,
          formatPlain(r.amount),
          r.reversed_at ? "reversed" : r.recipient,
        ],
        // The time with its offset (the repeated hour) is set a little smaller rather than wrapped.
        [0, 1, 5],
      );
  }).then(
    () => doc.end(),
    (error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  return out;
}
