import { css, html } from "lit";
import { emitAction } from "../actions.ts";
import type { Session, SessionLine } from "../api.ts";
import { formatDate, formatMoney } from "../format.ts";
import { baseStyles } from "../styles.ts";
import { Screen } from "./screen.ts";

export const tableStyles = css`
  table {
    border-collapse: collapse;
    width: 100%;
    margin: 1rem 0;
  }
  th,
  td {
    text-align: left;
    padding: 0.45em 0.5em;
    border-bottom: 2px solid var(--border);
    vertical-align: top;
    overflow-wrap: anywhere;
  }
  td.num,
  th.num {
    text-align: right;
  }
  .recipient {
    display: block;
    color: var(--muted);
    font-size: 0.85rem;
  }
  tr.group th {
    padding-top: 1em;
    font-size: 1.05rem;
  }
  tfoot th,
  tfoot td {
    font-size: 1.15rem;
    border-bottom: none;
    border-top: 4px solid var(--fg);
  }
`;

export class SummaryScreen extends Screen {
  static override properties = { ...Screen.properties, session: { attribute: false } };
  declare session: Session | null;

  static override styles = [baseStyles, tableStyles];

  constructor() {
    super();
    this.session = null;
  }

  /**
   * The lines grouped by slip, each under its number and case, then the services; a payment of one
   * slip (or of services only) is one group without a heading, as it always was.
   */
  private groups(session: Session): Array<{ heading: string | null; lines: SessionLine[] }> {
    const services = session.lines.filter((l) => l.slip === null);
    if (session.slips.length === 0 || (session.slips.length === 1 && services.length === 0)) {
      return [{ heading: null, lines: session.lines }];
    }
    const t = this.t.summary;
    const groups = session.slips.map((slip) => ({
      heading: t.slipHeading(slip.id, slip.caseRef),
      lines: session.lines.filter((l) => l.slip === slip.id),
    }));
    if (services.length > 0) groups.push({ heading: t.services, lines: services });
    return groups;
  }

  override render() {
    const session = this.session;
    if (!session) return null;
    const t = this.t.summary;
    const money = (grosze: number) => html`<span class="amount">${formatMoney(grosze, this.lang)}</span>`;
    return html`
      <h1 tabindex="-1">${t.title}</h1>
      ${
        session.slip && session.slips.length <= 1
          ? html`<p>
              ${session.slip.caseRef ? html`${t.caseRef}: <strong>${session.slip.caseRef}</strong>. ` : null}
              ${session.slip.valid ? html`${t.validUntil}: ${formatDate(session.slip.valid, this.lang)}` : null}
            </p>`
          : null
      }
      <table>
        <thead>
          <tr>
            <th scope="col">${t.item}</th>
            <th scope="col" class="num">${t.amount}</th>
          </tr>
        </thead>
        <tbody>
          ${this.groups(session).map(
            (group) => html`${
              group.heading
                ? html`<tr class="group">
                    <th scope="rowgroup" colspan="2">${group.heading}</th>
                  </tr>`
                : null
            }
            ${group.lines.map(
              (line) => html`<tr data-code=${line.code} data-slip=${line.slip ?? ""}>
                <td>${line.label}<span class="recipient">${t.recipient}: ${line.recipient}</span></td>
                <td class="num">${money(line.amount)}</td>
              </tr>`,
            )}`,
          )}
          ${
            session.handlingFee
              ? html`<tr data-code="FEE">
                  <td>
                    ${session.handlingFee.label || t.handlingFee}<span class="recipient"
                      >${t.recipient}: ${session.handlingFee.recipient}</span
                    >
                  </td>
                  <td class="num">${money(session.handlingFee.amount)}</td>
                </tr>`
              : null
          }
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">${t.total}</th>
            <td class="num" data-testid="total">${money(session.total)}</td>
          </tr>
        </tfoot>
      </table>
      <p class="hint">${t.addSlip}</p>
      <div class="actions">
        <button class="primary big" @click=${() => emitAction(this, { type: "pay" })}>${t.pay}</button>
        <button class="big" @click=${() => emitAction(this, { type: "cancel" })}>${t.cancel}</button>
      </div>
    `;
  }
}
customElements.define("summary-screen", SummaryScreen);
