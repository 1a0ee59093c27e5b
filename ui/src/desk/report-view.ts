/** The shift report on the cash desk's screen: the same figures the daemon printed and stored. */
import { html, type TemplateResult } from "lit";
import type { Language } from "../api.ts";
import { formatMoney } from "../format.ts";
import type { DeskMessages } from "../i18n/desk.ts";
import type { ShiftReport, ShiftReportTotal } from "./desk-api.ts";

function totals(caption: string, rows: ShiftReportTotal[], lang: Language): TemplateResult {
  return html`<table>
    <caption>${caption}</caption>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr><th scope="row">${r.name || r.code || "—"}</th><td class="num">${r.count}</td><td class="num">${formatMoney(r.total, lang)}</td></tr>`,
      )}
    </tbody>
  </table>`;
}

export function reportView(r: ShiftReport, t: DeskMessages, lang: Language): TemplateResult {
  const money = (g: number) => formatMoney(g, lang);
  const e = r.endOfDay;
  return html`<section aria-labelledby="report-heading" class="report">
    <h2 id="report-heading" tabindex="-1">${t.close.report} — ${r.shift.id}</h2>
    <p>${t.shift(r.shift.cashier.name, r.shift.id)}</p>
    <p>${t.report.count}: <strong>${r.count}</strong>, ${t.report.total}: <strong data-testid="report-total">${money(r.total)}</strong></p>
    <p>${t.report.voids}: ${r.voids.length}, ${money(r.voids.reduce((a, v) => a + v.total, 0))}</p>
    ${totals(t.report.recipients, r.recipients, lang)} ${totals(t.report.components, r.components, lang)}
    ${totals(t.report.cards, r.cardBrands, lang)}
    ${
      e
        ? html`<h3>${t.report.endOfDay} ${e.day}</h3>
            <p>${t.report.terminal}: ${e.terminal.count}, ${money(e.terminal.total)}. ${t.report.desk}: ${e.desk.count}, ${money(e.desk.total)}.</p>
            <p><strong>${e.status === "match" ? t.report.match : t.report.mismatch}</strong></p>`
        : null
    }
    <p>${t.report.printed}</p>
  </section>`;
}
