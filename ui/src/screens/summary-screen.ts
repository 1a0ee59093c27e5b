import { css, html } from "lit";
import { emitAction } from "../actions.ts";
import { type Catalog, type Session, type SessionLine, textOf } from "../api.ts";
import { formatDate, formatMoney, formatQuantity, sentenceCase } from "../format.ts";
import "../layout/paged-region.ts";
import { screenLayout } from "../layout/screen-layout.ts";
import type { KeypadDialog, KeypadResult } from "../components/keypad-dialog.ts";
import "../components/keypad-dialog.ts";
import {
  baseStyles,
  crampedPanel,
  narrowPanel,
  screenReaderOnly,
  shortPanel,
  whenShortOfRoom,
} from "../styles.ts";
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
  .detail {
    display: block;
    margin-top: 0.2em;
  }
  button.change {
    display: block;
    margin-top: 0.4em;
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
  /* An amount not known yet: words in the amount column, set apart from the sums around them. */
  .pending {
    font-style: italic;
  }
`;

export class SummaryScreen extends Screen {
  static override properties = {
    ...Screen.properties,
    session: { attribute: false },
    catalog: { attribute: false },
    changeable: { type: Boolean },
  };
  declare session: Session | null;
  /**
   * Whether a service line can be changed: a change rebuilds the basket with the summary's slips,
   * so every slip's code must be known to the page (one the daemon's own reader added is not).
   */
  declare changeable: boolean;
  /** For the services' own names of their reference ("decision number"); optional. */
  declare catalog: Catalog | null | "unavailable";

  static override styles = [
    baseStyles,
    screenLayout,
    tableStyles,
    css`
      /* Grows into the space the list does not need (the list stays by the actions). Short of room it
         gives way after the list has (which keeps its first fee and pager) and clips, as .info does. */
      .info.reading {
        flex: 1 1 auto;
      }
      /* Large text on a narrow or a landscape panel (800×1280, 1920×1080), and any text on a short one
         (1366×768): the heading, the case, the total and the actions left the fees' list less than its
         pager, and no fee was ever shown. There the "another slip?" hint goes (the reader still takes a
         slip) and the table's column headings are for screen readers only, so a page holds a fee with
         its recipient. */
      @media ${crampedPanel} {
        :host-context(.large-text) p.hint {
          display: none;
        }
        :host-context(.large-text) thead {
          ${screenReaderOnly}
        }
      }
      @media ${shortPanel}, ${narrowPanel} {
        p.hint {
          display: none;
        }
        thead {
          ${screenReaderOnly}
        }
      }
      /* Short of room the table's margins go too and its cells' padding gets smaller: the heading
         stays whole (a zone's heading never gives way) and a page still holds a fee. */
      ${whenShortOfRoom("table", "margin: 0;")}
      ${whenShortOfRoom("th, td", "padding-block: 0.25em;")}
      ${whenShortOfRoom("button.change", "margin-top: 0.2em;")}
      p.total {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0 1rem;
        margin: 0;
        padding: 0.45em 0.5em 0;
        border-top: 4px solid var(--fg);
        font-size: 1.15rem;
        font-weight: 700;
      }
    `,
  ];

  constructor() {
    super();
    this.session = null;
    this.catalog = null;
    this.changeable = true;
  }

  private referenceLabel(code: string): string {
    const item =
      this.catalog && this.catalog !== "unavailable" ? this.catalog.items.find((i) => i.code === code) : null;
    const label = textOf(item?.referenceLabel ?? null, this.lang);
    return label ? sentenceCase(label, this.lang) : this.t.summary.reference;
  }

  /** SPEC §1b: the transfer code left the amount to the visitor; the keypad takes it, within the range. */
  private renderAmountToEnter(line: SessionLine, range: { min: number; max: number }) {
    const t = this.t.summary;
    const open = () =>
      void this.renderRoot.querySelector<KeypadDialog>("keypad-dialog")?.open({
        mode: "amount",
        heading: this.t.keypad.amountTitle(line.label),
        initial: "",
        min: range.min,
        max: range.max,
      });
    return html`<span class="detail" data-testid="amount-to-enter"
        >${t.amountToEnter(formatMoney(range.min, this.lang), formatMoney(range.max, this.lang))}</span
      >
      <button class="change primary" data-enter-amount=${line.code} @click=${open}>${t.enterAmount}</button>`;
  }

  private onAmount(event: CustomEvent<KeypadResult>): void {
    const result = event.detail;
    if (result.mode === "amount") emitAction(this, { type: "enter-amount", grosze: result.grosze });
  }

  /**
   * GOV.UK "Check answers": each line with what the visitor chose (how many, the number they typed)
   * and, for a service, a Change action back to that line; a slip's lines are the office's, not theirs.
   */
  private renderLine(line: SessionLine) {
    const t = this.t.summary;
    return html`<tr
      data-code=${line.code}
      data-slip=${line.slip ?? ""}
      data-line=${this.session?.lines.indexOf(line) ?? 0}
      tabindex="-1"
    >
      <td>
        ${line.label}
        ${
          line.quantity > 1
            ? html`<span class="detail" data-testid="quantity"
                >${t.quantity}: ${formatQuantity(line, this.lang)}</span
              >`
            : null
        }
        ${
          line.reference
            ? html`<span class="detail" data-testid="reference"
                >${this.referenceLabel(line.code)}: <strong>${line.reference}</strong></span
              >`
            : null
        }
        <span class="recipient">${t.recipient}: ${line.recipientName}</span>
        ${line.amountToEnter ? this.renderAmountToEnter(line, line.amountToEnter) : null}
        ${
          line.slip === null && !line.amountToEnter && this.changeable
            ? html`<button
                class="change"
                data-change=${line.code}
                data-control="summary.change"
                aria-label=${t.changeItem(line.label)}
                @click=${() => emitAction(this, { type: "change", code: line.code })}
              >
                ${t.change}
              </button>`
            : null
        }
      </td>
      <td class="num">
        ${
          // SPEC §1b `000000`: the daemon sends the open line at 0; "0,00 zł" would read as nothing owed.
          line.amountToEnter
            ? html`<span class="pending" data-testid="amount-pending">${t.amountPending}</span>`
            : html`<span class="amount">${formatMoney(line.amount, this.lang)}</span>`
        }
      </td>
    </tr>`;
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
    const amountOpen = session.lines.some((line) => line.amountToEnter !== null);
    // The reach line is for controls: a table with none of its own (a Change or Enter amount button
    // on a row) is reading, and starts under the heading instead of leaving the panel's upper part
    // empty while its rows page.
    const rowControls = amountOpen || (this.changeable && session.lines.some((line) => line.slip === null));
    return html`
      <div class=${rowControls ? "info zone" : "info reading"}>
      <h1 tabindex="-1">${t.title}</h1>
      <div class="more">${
        session.slip && session.slips.length <= 1
          ? html`<p>
              ${session.slip.caseRef ? html`${t.caseRef}: <strong>${session.slip.caseRef}</strong>. ` : null}
              ${session.slip.valid ? html`${t.validUntil}: ${formatDate(session.slip.valid, this.lang)}` : null}
            </p>`
          : null
      }</div>
      </div>
      <paged-region class="reach" lang=${this.lang}>
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
            ${group.lines.map((line) => this.renderLine(line))}`,
          )}
          ${
            session.handlingFee
              ? html`<tr data-code="FEE" data-line=${session.lines.length} tabindex="-1">
                  <td>
                    ${session.handlingFee.label || t.handlingFee}<span class="recipient"
                      >${t.recipient}: ${session.handlingFee.recipientName}</span
                    >
                  </td>
                  <td class="num">${money(session.handlingFee.amount)}</td>
                </tr>`
              : null
          }
        </tbody>
      </table>
      </paged-region>
      ${
        amountOpen
          ? html`<p class="alert" role="status" data-testid="enter-amount-first">${t.enterAmountFirst}</p>`
          : html`<p class="hint">${t.addSlip}</p>`
      }
      <p class="total">
        <span>${t.total}:</span>
        <span data-testid="total">${
          // Beside the actions, not in the paged table: on a list of several pages it was on the
          // last one only, and page 1 showed "Pay by card" with no total. Until the amount is typed
          // the daemon's total holds the other lines and the fee only (the open line counts 0):
          // shown as a sum, a visitor reads it as what they owe. No whitespace around it: the
          // element's text is the amount, as read by tests and copy-paste.
          amountOpen ? html`<span class="pending">${t.totalPending}</span>` : money(session.total)
        }</span>
      </p>
      <div class="actions">
        <button class="primary big" ?disabled=${amountOpen} @click=${() => emitAction(this, { type: "pay" })}>${t.pay}</button>
        <button class="big" @click=${() => emitAction(this, { type: "cancel" })}>${t.cancel}</button>
      </div>
      <keypad-dialog lang=${this.lang} @keypad-done=${(e: CustomEvent<KeypadResult>) => this.onAmount(e)}></keypad-dialog>
    `;
  }
}
customElements.define("summary-screen", SummaryScreen);
