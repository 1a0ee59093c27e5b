/**
 * The shift report of an attended cash desk (SPEC §10): the shift's payments and voids, totals per
 * recipient, per component and per card brand, and — when the shift closed the day — the terminal's
 * end-of-day with its reconciliation. Built from the store's figures only (grosze), so it agrees with
 * the database; rendered as JSON, as a receiptline document for the receipt printer, and as PDF.
 */
import fs from "node:fs";
import type { Writable } from "node:stream";
import type { ClosedShift } from "../../contracts/desk-shifts.ts";
import type { KioskConfig } from "../config/types.ts";
import { formatAmount } from "../domain/money.ts";
import { isoWithOffset } from "../domain/time.ts";
import { escapeText } from "../receipt/escape.ts";
import { formatZloty } from "../receipt/money-text.ts";
import { FONT_BOLD, FONT_REGULAR } from "../reports/settlement-pdf.ts";
import { polishLabel } from "../store/payment-record.ts";
import type {
  ClosedShiftRow,
  ShiftPaymentRow,
  ShiftRow,
  ShiftStore,
  ShiftTotalRow,
} from "../store/shifts.ts";

export interface ShiftTotal {
  code: string;
  name: string;
  count: number;
  total: number;
}

export interface ShiftEndOfDay {
  day: string;
  terminal: { count: number; total: number };
  /**
   * The desk's own figures for the whole day (every shift), net of voids, and any payment of the day
   * before that the closed batch holds (a shift closed after midnight).
   */
  desk: { count: number; total: number };
  status: "match" | "mismatch" | "not_closed";
}

export interface ShiftReport {
  shift: {
    id: string;
    cashier: { id: string; name: string };
    office: string;
    desk: string;
    businessDay: string;
    openedAt: string;
    closedAt: string;
  };
  currency: "PLN";
  /** Payments still approved: their number and sum. */
  count: number;
  total: number;
  payments: Array<{
    id: string;
    paidAt: string;
    status: "approved" | "reversed";
    total: number;
    cardBrand: string | null;
    /** The last four digits only. */
    card: string | null;
    authCode: string | null;
    receiptNumber: string | null;
    reversedAt: string | null;
    reason: string | null;
  }>;
  voids: Array<{ id: string; reversedAt: string | null; total: number; reason: string | null }>;
  recipients: ShiftTotal[];
  components: ShiftTotal[];
  cardBrands: ShiftTotal[];
  endOfDay: ShiftEndOfDay | null;
}

/** A closed shift in a list (the admin API's and the desk's): enough to pick its report. */
export function closedShiftView(row: ClosedShiftRow): ClosedShift {
  return {
    id: row.id,
    cashier: { id: row.cashier_id, name: row.cashier_name },
    businessDay: row.business_day,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    count: row.count,
    total: row.total,
  };
}

/** A shift's payments as the report and the desk's screen show them, with the count and sum still approved. */
export function shiftPayments(
  payments: readonly ShiftPaymentRow[],
): Pick<ShiftReport, "count" | "total" | "payments"> {
  const approved = payments.filter((p) => p.payment_status === "approved");
  return {
    count: approved.length,
    total: approved.reduce((a, p) => a + p.total, 0),
    payments: payments.map((p) => ({
      id: p.id,
      paidAt: p.paid_at,
      status: p.payment_status,
      total: p.total,
      cardBrand: p.card_brand,
      card: p.masked_pan ? p.masked_pan.replace(/\D/g, "").slice(-4) || null : null,
      authCode: p.auth_code,
      receiptNumber: p.receipt_no,
      reversedAt: p.reversed_at,
      reason: p.reversal_reason,
    })),
  };
}

const total = (rows: ShiftTotalRow[], name: (r: ShiftTotalRow) => string): ShiftTotal[] =>
  rows.map((r) => ({ code: r.key, name: name(r), count: r.count, total: r.total }));

export function buildShiftReport(
  store: ShiftStore,
  config: KioskConfig,
  shift: ShiftRow,
  closedAt: Date,
  endOfDay: ShiftEndOfDay | null,
): ShiftReport {
  const payments = store.payments(shift.id);
  return {
    shift: {
      id: shift.id,
      cashier: { id: shift.cashier_id, name: shift.cashier_name },
      office: config.office.id,
      desk: config.kiosk.id,
      businessDay: shift.business_day,
      openedAt: shift.opened_at,
      closedAt: isoWithOffset(closedAt, config.kiosk.timezone),
    },
    currency: "PLN",
    ...shiftPayments(payments),
    voids: payments
      .filter((p) => p.payment_status === "reversed")
      .map((p) => ({ id: p.id, reversedAt: p.reversed_at, total: p.total, reason: p.reversal_reason })),
    recipients: total(store.totals(shift.id, "recipient"), (r) => config.recipients[r.key]?.name ?? r.name),
    components: total(store.totals(shift.id, "component"), (r) => polishLabel(r.name)),
    cardBrands: total(store.totals(shift.id, "brand"), (r) => r.name),
    endOfDay,
  };
}

/** The report as a receiptline document for the desk's receipt printer. */
export function shiftReportDocument(r: ShiftReport, columns: number): string {
  const out: string[] = [];
  const line = (text: string) => out.push(`|${escapeText(text)} |`);
  const amount = (text: string, grosze: number) =>
    out.push("{width:*,14}", `${escapeText(text)} | ${escapeText(formatZloty(grosze))}`, "{width:auto}");
  const rule = () => out.push("\\x2d".repeat(columns));
  out.push(`"${escapeText("Raport zmiany kasowej")}"`);
  line(`Kasa ${r.shift.desk}, urząd ${r.shift.office}`);
  line(`Kasjer: ${r.shift.cashier.name} (${r.shift.cashier.id})`);
  line(`Zmiana: ${r.shift.id}`);
  line(`Od ${r.shift.openedAt.slice(0, 19).replace("T", " ")}`);
  line(`Do ${r.shift.closedAt.slice(0, 19).replace("T", " ")}`);
  rule();
  amount(`Płatności: ${r.count}`, r.total);
  amount(
    `Anulowane: ${r.voids.length}`,
    r.voids.reduce((a, v) => a + v.total, 0),
  );
  for (const [title, rows] of [
    ["Według odbiorców", r.recipients],
    ["Według składników", r.components],
    ["Według kart", r.cardBrands],
  ] as const) {
    rule();
    line(title);
    for (const t of rows) amount(`${t.name || t.code || "—"} (${t.count})`, t.total);
  }
  if (r.voids.length > 0) {
    rule();
    line("Anulowane płatności");
    for (const v of r.voids) amount(`${v.id}: ${v.reason ?? ""}`, v.total);
  }
  if (r.endOfDay) {
    rule();
    line(`Zamknięcie dnia ${r.endOfDay.day}`);
    amount(`Terminal (${r.endOfDay.terminal.count})`, r.endOfDay.terminal.total);
    amount(`Kasa (${r.endOfDay.desk.count})`, r.endOfDay.desk.total);
    line(r.endOfDay.status === "match" ? "Zgodność: TAK" : "NIEZGODNOŚĆ z terminalem");
  }
  out.push("");
  return out.join("\n");
}

/** The report as a one-page-or-more A4 PDF (DejaVu Sans, like the settlement report). */
export async function writeShiftReportPdf(r: ShiftReport, out: Writable): Promise<void> {
  if (!fs.existsSync(FONT_REGULAR) || !fs.existsSync(FONT_BOLD))
    throw new Error(
      `the PDF font is missing (${FONT_REGULAR}); install the Debian package fonts-dejavu-core`,
    );
  // Loaded when a PDF is asked for: pdfkit and its font stack are a large share of the daemon's
  // start-up, which a kiosk restarting after a power cut should not pay for.
  const { default: PDF } = await import("pdfkit");
  const doc = new PDF({ size: "A4", margin: 40, info: { Title: `Raport zmiany ${r.shift.id}` } });
  doc.registerFont("regular", FONT_REGULAR);
  doc.registerFont("bold", FONT_BOLD);
  const done = new Promise<void>((resolve, reject) => {
    doc.on("end", () => resolve());
    doc.on("error", reject);
  });
  doc.pipe(out);
  const zl = (g: number) => formatAmount(g, "pl");
  doc.font("bold").fontSize(15).text(`Raport zmiany kasowej — ${r.shift.businessDay}`);
  doc.font("regular").fontSize(9).moveDown(0.3);
  doc.text(`Urząd ${r.shift.office}, kasa ${r.shift.desk}, zmiana ${r.shift.id}`);
  doc.text(`Kasjer: ${r.shift.cashier.name} (${r.shift.cashier.id})`);
  // As the printed report writes them: local date and time, not the stored ISO form with its offset.
  const at = (iso: string) => iso.slice(0, 19).replace("T", " ");
  doc.text(`Otwarta ${at(r.shift.openedAt)}, zamknięta ${at(r.shift.closedAt)}`);
  doc
    .moveDown(0.5)
    .font("bold")
    .text(`Płatności: ${r.count}, razem ${zl(r.total)}`);
  doc.font("regular");
  for (const [title, rows] of [
    ["Według odbiorców", r.recipients],
    ["Według składników", r.components],
    ["Według kart", r.cardBrands],
  ] as const) {
    doc.moveDown(0.5).font("bold").text(title).font("regular");
    // A card brand is its own name: "VISA", not "VISA VISA".
    for (const t of rows) {
      const named = t.name && t.name !== t.code ? `${t.code} ${t.name}` : t.code || t.name;
      doc.text(`${named}: ${t.count} płatn., ${zl(t.total)}`);
    }
  }
  doc.moveDown(0.5).font("bold").text("Płatności").font("regular");
  for (const p of r.payments)
    doc.text(
      `${p.paidAt.slice(11, 19)}  ${p.id}  ${zl(p.total)}  ${p.cardBrand ?? ""} ${p.card ? `…${p.card}` : ""}  ${p.status === "reversed" ? "ANULOWANA" : ""}`,
    );
  if (r.voids.length > 0) {
    doc.moveDown(0.5).font("bold").text("Anulowane").font("regular");
    for (const v of r.voids) doc.text(`${v.id}  ${zl(v.total)}  ${v.reason ?? ""}`);
  }
  if (r.endOfDay) {
    const e = r.endOfDay;
    doc.moveDown(0.5).font("bold").text(`Zamknięcie dnia ${e.day}`).font("regular");
    doc.text(`Terminal: ${e.terminal.count} płatn., ${zl(e.terminal.total)}`);
    doc.text(`Kasa: ${e.desk.count} płatn., ${zl(e.desk.total)}`);
    doc.text(e.status === "match" ? "Zgodność: TAK" : "NIEZGODNOŚĆ z terminalem");
  }
  doc.end();
  await done;
}
