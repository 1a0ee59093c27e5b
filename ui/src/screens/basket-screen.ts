import { css, html } from "lit";
import { emitAction } from "../actions.ts";
import { type BasketRequestItem, type Catalog, type CatalogItem, textOf } from "../api.ts";
import type { KeypadDialog, KeypadResult } from "../components/keypad-dialog.ts";
import "../components/keypad-dialog.ts";
import { formatMoney, sentenceCase } from "../format.ts";
import { errorText } from "../i18n/index.ts";
import type { PagedRegion } from "../layout/paged-region.ts";
import "../layout/paged-region.ts";
import { screenLayout } from "../layout/screen-layout.ts";
import { baseStyles, shortPanel, whenShortOfRoom } from "../styles.ts";
import { Screen } from "./screen.ts";

interface Selection {
  quantity: number;
  amount: number | null;
  reference: string;
}

const EMPTY: Selection = { quantity: 0, amount: null, reference: "" };

/** A basket line to start from: what the visitor chose before, when they came back to change it. */
export interface BasketDraftLine {
  code: string;
  quantity: number;
  amount: number;
  reference: string | null;
}

export class BasketScreen extends Screen {
  static override properties = {
    ...Screen.properties,
    catalog: { attribute: false },
    problemCode: { type: String },
    selections: { state: true },
    message: { state: true },
    draft: { attribute: false },
    focusCode: { type: String },
  };
  /** The basket of the summary the visitor came back from (Change), or null for a new one. */
  declare draft: readonly BasketDraftLine[] | null;
  /** The line the visitor asked to change: it gets the focus once the list is there. */
  declare focusCode: string;
  private focusDone = false;
  declare catalog: Catalog | null | "unavailable";
  declare problemCode: string;
  declare selections: Map<string, Selection>;
  declare message: string;
  private editing: { code: string; mode: "amount" | "reference" } | null = null;

  static override styles = [
    baseStyles,
    screenLayout,
    css`
      ul {
        list-style: none;
        padding: 0;
        margin: 0 0 1.2rem;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        gap: 0.6rem 1.2rem;
        justify-content: space-between;
        align-items: center;
        padding: 0.7rem 0;
        border-bottom: 2px solid var(--border);
      }
      .name {
        flex: 1 1 14rem;
      }
      .price {
        display: block;
        color: var(--muted);
        font-size: 0.9rem;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      output {
        min-width: 2.2rem;
        text-align: center;
        font-size: 1.3rem;
        font-weight: 700;
      }
      .reference {
        flex-basis: 100%;
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      li.changing {
        border-left: 0.4rem solid var(--focus);
        padding-left: 0.6rem;
      }
      .total {
        font-size: 1.4rem;
        font-weight: 700;
      }
      /* Short of room, the fee and the total share a line where they fit (the total last), the list's
         headings hold tighter: the heading above the list stays whole (a zone's heading never gives way). */
      ${whenShortOfRoom(".sums", "display: flex; flex-wrap: wrap; align-items: baseline; column-gap: 2rem;")}
      ${whenShortOfRoom(".sums p", "margin: 0;")}
      ${whenShortOfRoom("h2", "margin-bottom: 0.2em;")}
      ${whenShortOfRoom("ul", "margin-bottom: 0.4rem;")}
      /* Large text on a short panel (1366×768): the total's margin alone was 38 px the actions lacked. */
      @media ${shortPanel} {
        :host-context(.large-text) .total {
          margin-bottom: 0;
        }
        :host-context(.large-text) p.fee {
          margin-bottom: 0.2em;
        }
      }
    `,
  ];

  constructor() {
    super();
    this.catalog = null;
    this.problemCode = "";
    this.selections = new Map();
    this.message = "";
    this.draft = null;
    this.focusCode = "";
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has("draft") && this.draft) {
      this.selections = new Map(
        this.draft.map((line) => [
          line.code,
          { quantity: line.quantity, amount: line.amount, reference: line.reference ?? "" },
        ]),
      );
    }
    if (changed.has("focusCode")) this.focusDone = false;
  }

  protected override updated(): void {
    if (this.focusCode && !this.focusDone) this.focusLine();
  }

  /** The changed line's first control, focused and in view; false while the list is not there yet. */
  private focusLine(): boolean {
    const line = this.renderRoot.querySelector<HTMLElement>(`li[data-item="${this.focusCode}"]`);
    const control = line?.querySelector<HTMLElement>("button:not([disabled])");
    if (!line || !control) return false;
    // The list lives in a paged region: until that has rendered its slot, nothing in it can take focus.
    const region = this.renderRoot.querySelector<PagedRegion>("paged-region");
    if (region && !region.hasUpdated) {
      void region.updateComplete.then(() => this.focusLine());
      return false;
    }
    this.focusDone = true;
    control.focus();
    line.scrollIntoView({ block: "center" });
    return true;
  }

  /** Back from the summary to change a line: that line, not the heading, is where the visitor goes on. */
  override async focusHeading(): Promise<void> {
    await this.updateComplete;
    if (this.focusCode) {
      if (!this.focusDone) this.focusLine();
      return;
    }
    await super.focusHeading();
  }

  private selection(code: string): Selection {
    return this.selections.get(code) ?? EMPTY;
  }

  private choose(code: string, change: Partial<Selection>): void {
    const next = new Map(this.selections);
    next.set(code, { ...this.selection(code), ...change });
    this.selections = next;
    this.message = "";
  }

  private chosen(item: CatalogItem): boolean {
    const s = this.selection(item.code);
    return item.variable ? s.amount !== null : s.quantity > 0;
  }

  /** Integer grosze, as the daemon will compute it; the daemon's summary is what gets paid. */
  private total(catalog: Catalog): number {
    let sum = 0;
    for (const item of catalog.items) {
      const s = this.selection(item.code);
      if (item.variable) sum += s.amount ?? 0;
      else sum += (item.price ?? 0) * s.quantity;
    }
    return sum > 0 && catalog.handlingFee ? sum + catalog.handlingFee.amount : sum;
  }

  private keypad(): KeypadDialog | null {
    return this.renderRoot.querySelector("keypad-dialog");
  }

  private editAmount(item: CatalogItem): void {
    this.editing = { code: item.code, mode: "amount" };
    const current = this.selection(item.code).amount;
    void this.keypad()?.open({
      mode: "amount",
      heading: this.t.keypad.amountTitle(textOf(item.label, this.lang)),
      initial:
        current === null
          ? ""
          : `${Math.floor(current / 100)}${this.t.keypad.decimalKey}${String(current % 100).padStart(2, "0")}`,
      min: item.variable?.min,
      max: item.variable?.max,
    });
  }

  private editReference(item: CatalogItem): void {
    this.editing = { code: item.code, mode: "reference" };
    const label = this.referenceLabel(item);
    void this.keypad()?.open({
      mode: "reference",
      // "Numer decyzji – Podatek od nieruchomości", not "Numer: numer decyzji – …".
      heading: this.t.keypad.referenceTitle(label, textOf(item.label, this.lang)),
      initial: this.selection(item.code).reference,
    });
  }

  private referenceLabel(item: CatalogItem): string {
    const own = textOf(item.referenceLabel, this.lang);
    return own ? sentenceCase(own, this.lang) : this.t.basket.reference;
  }

  private onKeypadDone(event: CustomEvent<KeypadResult>): void {
    const editing = this.editing;
    this.editing = null;
    if (!editing) return;
    const result = event.detail;
    if (result.mode === "amount") this.choose(editing.code, { amount: result.grosze });
    else this.choose(editing.code, { reference: result.text });
    this.refocus(editing.code, editing.mode);
  }

  private onKeypadCancel(): void {
    const editing = this.editing;
    this.editing = null;
    if (editing) this.refocus(editing.code, editing.mode);
  }

  /** Back to the button that opened the keypad, so a keys-only visitor keeps their place. */
  private async refocus(code: string, mode: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-edit="${mode}"][data-code="${code}"]`)?.focus();
  }

  private submit(catalog: Catalog): void {
    const items: BasketRequestItem[] = [];
    for (const item of catalog.items) {
      if (!this.chosen(item)) continue;
      const s = this.selection(item.code);
      if (item.reference === "required" && !s.reference) {
        this.message = this.t.basket.missingReference(textOf(item.label, this.lang));
        return;
      }
      const entry: BasketRequestItem = { code: item.code };
      if (item.variable) entry.amount = s.amount ?? 0;
      else entry.quantity = s.quantity;
      if (item.reference && s.reference) entry.reference = s.reference;
      items.push(entry);
    }
    if (items.length === 0) {
      this.message = this.t.basket.nothingChosen;
      return;
    }
    emitAction(this, { type: "basket", items });
  }

  /** Clears the visitor's choices (a new visitor starts empty). */
  reset(): void {
    this.selections = new Map();
    this.message = "";
    this.keypad()?.close();
  }

  private renderItem(item: CatalogItem) {
    const t = this.t.basket;
    const label = textOf(item.label, this.lang);
    const s = this.selection(item.code);
    const id = `item-${item.code}`;
    const controls = item.variable
      ? html`<div class="controls">
          ${s.amount !== null ? html`<span class="amount" data-testid="amount-${item.code}">${formatMoney(s.amount, this.lang)}</span>` : null}
          <button data-edit="amount" data-code=${item.code} data-control=${s.amount === null ? "basket.enterAmount" : "basket.changeAmount"} aria-describedby=${id} @click=${() => this.editAmount(item)}>
            ${s.amount === null ? t.enterAmount : t.changeAmount}
          </button>
          ${
            s.amount !== null
              ? html`<button data-control="basket.removeAmount" aria-describedby=${id} @click=${() => this.choose(item.code, { amount: null })}>${t.removeAmount}</button>`
              : null
          }
        </div>`
      : html`<div class="controls" role="group" aria-label="${t.quantity}: ${label}">
          <button
            data-control="basket.decrease"
            aria-label=${t.decrease(label)}
            ?disabled=${s.quantity === 0}
            @click=${() => this.choose(item.code, { quantity: Math.max(0, s.quantity - 1) })}
          >
            −
          </button>
          <output aria-live="polite" data-testid="qty-${item.code}">${s.quantity}</output>
          <button
            data-control="basket.increase"
            aria-label=${t.increase(label)}
            data-increase=${item.code}
            ?disabled=${s.quantity >= item.maxQuantity}
            @click=${() => this.choose(item.code, { quantity: Math.min(item.maxQuantity, s.quantity + 1) })}
          >
            +
          </button>
        </div>`;
    const reference =
      item.reference && this.chosen(item)
        ? html`<div class="reference">
            <span>
              ${this.referenceLabel(item)}${item.reference === "required" ? ` (${t.referenceRequired})` : ""}:
              <strong data-testid="reference-${item.code}">${s.reference || "—"}</strong>
            </span>
            <button data-edit="reference" data-code=${item.code} data-control="basket.enterReference" aria-describedby=${id} @click=${() => this.editReference(item)}>
              ${t.enterReference}
            </button>
          </div>`
        : null;
    return html`<li
      data-item=${item.code}
      data-quantity=${s.quantity}
      data-amount=${s.amount ?? ""}
      class=${this.focusCode === item.code ? "changing" : ""}
    >
      <div class="name" id=${id}>
        ${label}
        <span class="price">
          ${
            item.variable
              ? t.variablePrice(
                  formatMoney(item.variable.min, this.lang),
                  formatMoney(item.variable.max, this.lang),
                )
              : html`${t.price}: <span class="amount">${formatMoney(item.price ?? 0, this.lang)}</span>`
          }
        </span>
      </div>
      ${controls} ${reference}
    </li>`;
  }

  override render() {
    const t = this.t.basket;
    const catalog = this.catalog;
    if (catalog === null || catalog === "unavailable") {
      return html`<div class="info"><h1 tabindex="-1">${t.title}</h1>
        <p role="status">${catalog === null ? t.loading : t.unavailable}</p></div>
        <div class="actions"><button class="big" @click=${() => emitAction(this, { type: "back" })}>${t.back}</button></div>`;
    }
    const groups = new Map<string, CatalogItem[]>();
    for (const item of catalog.items) {
      const name = textOf(item.group, this.lang) || t.otherGroup;
      groups.set(name, [...(groups.get(name) ?? []), item]);
    }
    const problem = this.problemCode ? errorText(this.lang, this.problemCode) : null;
    const total = this.total(catalog);
    return html`
      <div class="info zone">
        <h1 tabindex="-1">${t.title}</h1>
        <div class="more"><p>${t.intro}</p></div>
      </div>
      <paged-region class="reach" lang=${this.lang}>
        ${[...groups].map(([name, items]) => html`<h2 data-page-unit>${name}</h2><ul>${items.map((item) => this.renderItem(item))}</ul>`)}
      </paged-region>
      <div class="sums">
      ${
        catalog.handlingFee && total > 0
          ? html`<p class="fee">${textOf(catalog.handlingFee.label, this.lang) || t.handlingFee}: <span class="amount">${formatMoney(catalog.handlingFee.amount, this.lang)}</span></p>`
          : null
      }
      <p class="total">${t.total}: <span class="amount" data-testid="basket-total">${formatMoney(total, this.lang)}</span></p>
      </div>
      <div role="alert">
        ${this.message ? html`<p class="alert">${this.message}</p>` : null}
        ${problem ? html`<p class="alert">${t.rejected} ${problem.title}</p>` : null}
      </div>
      <div class="actions">
        <button class="primary big" data-total=${total} @click=${() => this.submit(catalog)}>${t.continue}</button>
        <button class="big" @click=${() => emitAction(this, { type: "back" })}>${t.back}</button>
      </div>
      <keypad-dialog
        lang=${this.lang}
        @keypad-done=${(e: CustomEvent<KeypadResult>) => this.onKeypadDone(e)}
        @keypad-cancel=${() => this.onKeypadCancel()}
      ></keypad-dialog>
    `;
  }
}
customElements.define("basket-screen", BasketScreen);
