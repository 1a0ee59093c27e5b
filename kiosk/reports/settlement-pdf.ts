/**
 * The settlement report as PDF for signing and filing: A4, DejaVu Sans embedded (Polish letters
 * must survive any viewer), header, totals, reconciliation with a visible mismatch flag, reversals,
 * then every payment with its lines. pdfkit emits finished pages as it goes.
 */
import fs from "node:fs";
import type { Writable } from "node:stream";
import type PDFDocument from "pdfkit";
import { formatAmount } from "../domain/money.ts";
import { formatNrb } from "../domain/nrb.ts";
import type { Db } from "../store/db.ts";
import { forEachReportPayment } from "./report-payments.ts";
import type { SettlementSummary } from "./settlement-summary.ts";

export const FONT_REGULAR = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
export const FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

const MARGIN = 40;
const zl = (g: number) => formatAmount(g, "pl");

type Doc = InstanceType<typeof PDFDocument>;

/** `hh:mm:ss` of an ISO time with offset: the report is one local day, the date adds nothing. */
const localTime = (iso: string) => iso.slice(11, 19);

/** Brand and the last four digits: all a clerk needs to find a payment, nothing more of the card. */
function cardText(brand: string | null, maskedPan: string | null): string {
  const last4 = maskedPan ? maskedPan.replace(/\D/g, "").slice(-4) : "";
  return [brand ?? "", last4 ? `…${last4}` : ""].filter(Boolean).join(" ");
}

/** The least a one-line cell (a code, an amount) is set at to stay on one line; the table's is 8 pt or 7 pt. */
const LEAST_ONE_LINE_SIZE = 4.5;

interface Column {
  width: number;
  align?: "left" | "right";
  /**
   * Never wrapped (a component's or recipient's code, an amount): a cell too wide is set smaller until
   * it fits. An amount broken over two lines ("10 000 999," over "99 zł") is read as two numbers.
   */
  oneLine?: boolean;
}

/** An amount's column: right-aligned, never wrapped. */
const AMOUNT_COLUMN: Column = { width: 95, align: "right", oneLine: true };

class Table {
  constructor(
    private readonly doc: Doc,
    private readonly columns: Column[],
  ) {}

  row(cells: string[], options: { bold?: boolean; size?: number } = {}): void {
    const doc = this.doc;
    const size = options.size ?? 8;
    doc.font(options.bold ? "bold" : "regular");
    const sizes = this.columns.map((c, i) => {
      const wide = doc.fontSize(size).widthOfString(cells[i] ?? "");
      if (!c.oneLine || wide <= c.width - 4) return size;
      return Math.max(LEAST_ONE_LINE_SIZE, Math.floor(((size * (c.width - 4)) / wide) * 10) / 10);
    });
    let height = 0;
    this.columns.forEach((c, i) => {
      const cellSize = sizes[i] ?? size;
      height = Math.max(
        height,
        doc.fontSize(cellSize).heightOfString(cells[i] ?? "", { width: c.width - 4 }),
      );
    });
    if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
    const y = doc.y;
    let x = MARGIN;
    this.columns.forEach((c, i) => {
      doc.fontSize(sizes[i] ?? size);
      doc.text(cells[i] ?? "", x, y, { width: c.width - 4, align: c.align ?? "left", lineBreak: true });
      x += c.width;
    });
    doc.fontSize(size);
    doc.x = MARGIN;
    doc.y = y + height + 2;
  }
}

function heading(doc: Doc, text: string): void {
  if (doc.y + 40 > doc.page.height - MARGIN) doc.addPage();
  doc.moveDown(0.6).font("bold").fontSize(11).text(text, MARGIN, doc.y).moveDown(0.3);
}

export async function writeSettlementPdf(
  db: Db,
  s: SettlementSummary,
  out: Writable | NodeJS.WritableStream,
): Promise<void> {
  if (!fs.existsSync(FONT_REGULAR) || !fs.existsSync(FONT_BOLD))
    throw new Error(
      `the PDF font is missing (${FONT_REGULAR}); install the Debian package fonts-dejavu-core`,
    );
  const { doc, done } = await openDocument(s.header.day);
  doc.pipe(out as Writable, { end: false });
  writeHeader(doc, s.header);
  writeTotals(doc, s.totals);
  writeReconciliation(doc, s.reconciliation);
  writeUndecided(doc, s.undecided);
  writeReversals(doc, s.reversals);
  await writePayments(doc, db, s.header.day);
  doc.end();
  await done;
}

/** An A4 document with the fonts registered, and the promise of its end. */
async function openDocument(day: string): Promise<{ doc: Doc; done: Promise<void> }> {
  // Loaded when a PDF is asked for: pdfkit and its font stack are a large share of the daemon's
  // start-up, which a kiosk restarting after a power cut should not pay for.
  const { default: PDF } = await import("pdfkit");
  const doc = new PDF({
    size: "A4",
    margin: MARGIN,
    info: { Title: `Raport rozliczeniowy ${day}`, Author: "oplatomat" },
  });
  doc.registerFont("regular", FONT_REGULAR);
  doc.registerFont("bold", FONT_BOLD);
  const done = new Promise<void>((resolve, reject) => {
    doc.on("end", () => resolve());
    doc.on("error", reject);
  });
  return { doc, done };
}

/** The office, the kiosk, the report's number and its business day. */
function writeHeader(doc: Doc, h: SettlementSummary["header"]): void {
  doc.font("bold").fontSize(15).text(`Raport rozliczeniowy — ${h.day}`);
  doc.font("regular").fontSize(9).moveDown(0.3);
  doc.text(`Urząd: ${h.office.name} (${h.office.id}), NIP ${h.office.nip}`);
  doc.text(h.office.address);
  doc.text(`Kiosk: ${h.kiosk}   Nr raportu: ${h.reportId}   Waluta: ${h.currency}`);
  doc.text(`Dzień rozliczeniowy: ${h.day} (${h.timezone})   Wygenerowano: ${h.generatedAt}`);
}

/** The day's totals, per recipient (with their accounts) and per component. */
function writeTotals(doc: Doc, t: SettlementSummary["totals"]): void {
  heading(doc, "Podsumowanie");
  doc.font("regular").fontSize(9);
  doc.text(`Płatności zatwierdzone: ${t.approvedCount}, razem ${zl(t.approvedTotal)}`);
  doc.text(`Płatności anulowane: ${t.reversedCount}, razem ${zl(t.reversedTotal)}`);

  heading(doc, "Sumy według odbiorców");
  // A code's column holds 16 characters (config/schema.json's code) at 8 pt: OPLATA_SKARBOWA1, 86 pt.
  // An amount's holds a payment's largest, 999 999 999,99 zł (MAX_PAYMENT_TOTAL), at 8 pt bold (81 pt);
  // a day's total beyond it is set smaller. The NRB, grouped, takes 148 pt and is never broken either.
  const rec = new Table(doc, [
    { width: 95, oneLine: true },
    { width: 145 },
    { width: 155, oneLine: true },
    { width: 30, align: "right" },
    { ...AMOUNT_COLUMN, width: 90 },
  ]);
  rec.row(["Odbiorca", "Nazwa", "Rachunek", "Poz.", "Kwota"], { bold: true });
  for (const r of t.perRecipient)
    rec.row([
      r.recipient,
      r.nip ? `${r.name}, NIP ${r.nip}` : r.name,
      formatNrb(r.nrb),
      String(r.lines),
      zl(r.amount),
    ]);
  rec.row(["Razem", "", "", "", zl(t.approvedTotal)], { bold: true });

  heading(doc, "Sumy według składników");
  const comp = new Table(doc, [
    { width: 100, oneLine: true },
    { width: 180 },
    { width: 100, oneLine: true },
    { width: 40, align: "right" },
    AMOUNT_COLUMN,
  ]);
  comp.row(["Kod", "Składnik", "Odbiorca", "Poz.", "Kwota"], { bold: true });
  for (const c of t.perComponent)
    comp.row([
      c.code,
      c.group ? `${c.group}: ${c.label}` : c.label,
      c.recipient,
      String(c.lines),
      zl(c.amount),
    ]);
}

/** The kiosk's count and total against the terminal's, with a visible mismatch flag. */
function writeReconciliation(doc: Doc, r: SettlementSummary["reconciliation"]): void {
  heading(doc, "Uzgodnienie z terminalem");
  doc.font("regular").fontSize(9);
  doc.text(`Kiosk: ${r.kioskCount} płatności, ${zl(r.kioskTotal)}`);
  if (r.status === "not_closed") {
    doc.text("Terminal: dzień nie został jeszcze zamknięty.");
  } else {
    doc.text(`Terminal: ${r.terminalCount} płatności, ${zl(r.terminalTotal ?? 0)}`);
    if (r.status === "match") doc.text("Zgodność: TAK");
    else
      doc
        .font("bold")
        .fillColor("#b00020")
        .text(
          `NIEZGODNOŚĆ: różnica ${zl(r.differenceTotal ?? 0)}, ${r.differenceCount ?? 0} płatności (terminal − kiosk)`,
        )
        .fillColor("black");
  }
}

/**
 * Payments of the day only staff can settle, as a note beside the totals they are not in: whoever signs
 * the report learns that the day is not settled yet (nothing is printed when there are none).
 */
function writeUndecided(doc: Doc, undecided: SettlementSummary["undecided"]): void {
  if (undecided.length === 0) return;
  heading(doc, "Płatności czekające na decyzję obsługi");
  doc
    .font("bold")
    .fontSize(9)
    .fillColor("#b00020")
    .text(
      `UWAGA: płatności tego dnia czekające na decyzję obsługi: ${undecided.length}. Terminal nie ` +
        "potwierdził, czy karta została obciążona. Nie są ujęte w sumach powyżej; płatność uznana " +
        "za pobraną trafi do raportu dnia decyzji.",
    )
    .fillColor("black")
    .moveDown(0.3);
  const table = new Table(doc, [{ width: 150 }, { width: 70 }, { width: 200 }, AMOUNT_COLUMN]);
  table.row(["Płatność", "Rozpoczęta", "Dokument / sprawa", "Kwota"], { bold: true });
  for (const u of undecided)
    table.row([
      u.paymentId,
      localTime(u.startedAt),
      [u.slip, u.case].filter(Boolean).join(" / "),
      zl(u.total),
    ]);
}

function writeReversals(doc: Doc, reversals: SettlementSummary["reversals"]): void {
  heading(doc, "Anulowania");
  if (reversals.length === 0) doc.font("regular").fontSize(9).text("Brak.");
  const rev = new Table(doc, [{ width: 150 }, { width: 100 }, { width: 60 }, AMOUNT_COLUMN, { width: 110 }]);
  if (reversals.length > 0) rev.row(["Płatność", "Sprawa", "Anulowano", "Kwota", "Powód"], { bold: true });
  for (const x of reversals)
    rev.row([
      x.paymentId,
      x.case ?? "",
      x.reversedAt ? localTime(x.reversedAt) : "",
      zl(x.total),
      x.reason ?? "",
    ]);
}

/** Every payment of the day with its lines, streamed from the store page by page. */
async function writePayments(doc: Doc, db: Db, day: string): Promise<void> {
  heading(doc, "Płatności");
  const pay = new Table(doc, [
    { width: 50 },
    { width: 145 },
    { width: 110 },
    { width: 65 },
    { width: 50 },
    AMOUNT_COLUMN,
  ]);
  pay.row(["Czas", "Płatność / pozycja", "Sprawa / odbiorca", "Karta", "Status", "Kwota"], { bold: true });
  await forEachReportPayment(
    db,
    day,
    (p) => {
      pay.row(
        [
          localTime(p.paidAt),
          p.paymentId,
          p.slips ? p.slips.map((x) => x.case || x.slip).join(", ") : (p.case ?? p.slip ?? ""),
          cardText(p.card.brand, p.card.maskedPan),
          p.status === "reversed" ? "anul." : "OK",
          zl(p.total),
        ],
        { bold: true },
      );
      for (const l of p.lines)
        pay.row(["", `${l.code} ${l.label}`, l.recipient, "", "", zl(l.amount)], { size: 7 });
    },
    async () => {},
  );
}
