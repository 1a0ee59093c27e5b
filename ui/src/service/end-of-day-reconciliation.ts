/**
 * The end-of-day reconciliation in the service console: the terminal's totals of the closed batch
 * (ZVT 06 50) next to the kiosk's payments of that day, per card family when the terminal gives
 * them, and in words every difference: payments the terminal holds and the kiosk does not, or the
 * other way round. The terminal reports totals only, so its side of a difference is a count and a
 * sum; the kiosk's side names its candidate payments, and the one whose amount fits exactly.
 */
import { css, html, LitElement, nothing } from "lit";
import type { Language } from "../api.ts";
import { formatMoney } from "../format.ts";
import { type ServiceMessages, serviceMessages } from "../i18n/service.ts";
import { baseStyles } from "../styles.ts";
import type { EndOfDayReconciliation, ReconciliationDifference, Totals } from "./service-api.ts";

export class EndOfDayReconciliationView extends LitElement {
  static override properties = {
    lang: { type: String },
    reconciliation: { attribute: false },
  };
  declare lang: Language;
  declare reconciliation: EndOfDayReconciliation | null;

  static override styles = [
    baseStyles,
    css`
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 0.8rem;
      }
      th,
      td {
        text-align: left;
        border-bottom: 2px solid var(--border);
        padding: 0.3rem 0.4rem;
      }
      .ok {
        color: var(--ok);
        font-weight: 700;
      }
      .error {
        color: var(--danger);
        font-weight: 700;
      }
      ul {
        padding-left: 1.2rem;
      }
    `,
  ];

  constructor() {
    super();
    this.lang = "pl";
    this.reconciliation = null;
  }

  private get s(): ServiceMessages["reconciliation"] {
    return serviceMessages(this.lang).reconciliation;
  }

  private family(brand: string): string {
    if (brand === "all") return this.s.allCards;
    if (brand === "other") return this.s.otherCards;
    return brand;
  }

  private totals(t: Totals) {
    return html`${t.count} × · <span class="amount">${formatMoney(t.total, this.lang)}</span>`;
  }

  private difference(d: ReconciliationDifference) {
    const t = this.s;
    const amount = formatMoney(d.total, this.lang);
    const family = this.family(d.brand);
    return html`<li data-difference=${d.kind}>
      ${d.kind === "terminal_only" ? t.terminalOnly(d.count, amount, family) : t.kioskOnly(d.count, amount, family)}
      ${d.candidates.length > 0 ? html`<br />${t.candidates(d.candidates.join(", "))}` : nothing}
      ${d.likely ? html`<br /><strong>${t.likely(d.likely)}</strong>` : nothing}
    </li>`;
  }

  override render() {
    const r = this.reconciliation;
    if (!r) return nothing;
    const t = this.s;
    // Without per-family totals the whole batch is the one row.
    const rows = r.brands.length > 0 ? r.brands : [{ brand: "all", kiosk: r.kiosk, terminal: r.terminal }];
    return html`
      <h3>${t.heading}</h3>
      <p data-reconciled=${r.matches ? "yes" : "no"} class=${r.matches ? "ok" : "error"}>
        ${r.matches ? t.matches : t.differs}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">${t.family}</th>
            <th scope="col">${t.terminal}</th>
            <th scope="col">${t.kiosk}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (row) => html`<tr data-family=${row.brand}>
              <th scope="row">${this.family(row.brand)}</th>
              <td>${this.totals(row.terminal)}</td>
              <td>${this.totals(row.kiosk)}</td>
            </tr>`,
          )}
          ${
            r.brands.length > 0
              ? html`<tr data-family="all">
                  <th scope="row">${t.allCards}</th>
                  <td>${this.totals(r.terminal)}</td>
                  <td>${this.totals(r.kiosk)}</td>
                </tr>`
              : nothing
          }
        </tbody>
      </table>
      ${r.differences.length > 0 ? html`<ul data-differences>${r.differences.map((d) => this.difference(d))}</ul>` : nothing}
    `;
  }
}

customElements.define("end-of-day-reconciliation", EndOfDayReconciliationView);
