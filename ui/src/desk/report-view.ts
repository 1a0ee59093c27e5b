/** The shift report on the cash desk's screen: the same figures the daemon printed and stored. */
import { html, type TemplateResult } from "lit";
import type { Language } from "../api.ts";
import { formatMoney } from "../format.ts";
import type { DeskMessages } from "../i18n/desk.ts";
import type { ShiftReport, ShiftReportTotal } from "./desk-api.ts";

/** One of the report's tables, with its column headers: what is counted, how many, how much. */
function totals(
  caption: string,
  first: string,
  rows: ShiftReportTotal[],
  t: DeskMessages,
  lang: Language,
): TemplateResult {
  return html`<table class="totals">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${first}</th><th scope="col" class="num">${t.report.number}</th><th scope="col" class="num">${t.report.amount}</th></tr></thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr><th scope="row">${r.name || r.code || "—"}</th><td class="num">${r.count}</td><td class="num">${formatMoney(r.total, lang)}</td></tr>`,
      )}
    </tbody>
  </table>`;
}

/**
 * The report as it closed; `onPdf` fetches the same report as PDF (with the closed shift's own token
 * in a header, for 30 minutes), absent once the page no longer holds that token.
 */
export function reportView(
  r: ShiftReport,
  t: DeskMessages,
  lang: Language,
  onPdf: (() => void) | null = null,
): TemplateResult {
  const money = (g: number) => formatMoney(g, lang);
  const e = r.endOfDay;
  return html`<section aria-labelledby="report-heading" class="report">
    <h2 id="report-heading" tabindex="-1">${t.close.report} — ${r.shift.id}</h2>
    <p>${t.shift(r.shift.cashier.name, r.shift.id)}</p>
    <p>${t.report.count}: <strong>${r.count}</strong>, ${t.report.total}: <strong data-testid="report-total">${money(r.total)}</strong></p>
    <p>${t.report.voids}: ${r.voids.length}, ${money(r.voids.reduce((a, v) => a + v.total, 0))}</p>
    ${totals(t.report.recipients, t.report.recipient, r.recipients, t, lang)}
    ${totals(t.report.components, t.report.component, r.components, t, lang)}
    ${totals(t.report.cards, t.report.card, r.cardBrands, t, lang)}
    ${
      e
        ? html`<h3>${t.report.endOfDay} ${e.day}</h3>
            <p>${t.report.terminal}: ${e.terminal.count}, ${money(e.terminal.total)}. ${t.report.desk}: ${e.desk.count}, ${money(e.desk.total)}.</p>
            <p><strong>${e.status === "match" ? t.report.match : t.report.mismatch}</strong></p>`
        : null
    }
    <p>${t.report.printed}</p>
    ${
      onPdf
        ? html`<p><button type="button" class="pdf" @click=${onPdf} aria-describedby="pdf-hint">${t.close.pdf}</button></p>
            <p id="pdf-hint" class="hint">${t.close.pdfHint}</p>`
        : null
    }
  </section>`;
}
