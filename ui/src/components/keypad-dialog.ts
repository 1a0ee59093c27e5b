/**
 * The on-screen keypad, a modal dialog: digits and a decimal comma for amounts, digits, letters and
 * `/ - .` for references. Physical keys work too: type, Enter confirms, Escape cancels.
 */
import { css, html, LitElement, nothing } from "lit";
import type { Language } from "../api.ts";
import { formatMoney, parseAmountInput } from "../format.ts";
import { messages } from "../i18n/index.ts";
import { baseStyles, shortPanel } from "../styles.ts";

/** `pin` (the technician's service PIN): digits only, the field masked. */
export type KeypadMode = "amount" | "reference" | "pin";

export interface KeypadRequest {
  mode: KeypadMode;
  heading: string;
  initial: string;
  min?: number;
  max?: number;
  /** Shown at once, e.g. why the previous entry was refused. */
  error?: string;
}

export type KeypadResult =
  | { mode: "amount"; grosze: number }
  | { mode: "reference"; text: string }
  | { mode: "pin"; text: string };

/** The decimal key (",", "." in English) goes between 9 and 0; see `decimalKey` of the language. */
const AMOUNT_DIGITS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"];
const REFERENCE_KEYS = [..."1234567890ABCDEFGHIJKLMNOPQRSTUVWXYZ/-."];
const PIN_KEYS = [..."1234567890"];

export class KeypadDialog extends LitElement {
  static override properties = {
    lang: { type: String },
    request: { attribute: false },
    value: { state: true },
    error: { state: true },
    activeKey: { state: true },
  };
  /** The grid's one Tab stop (roving tabindex): arrows move within it (issue 18 finding 6). */
  declare activeKey: string;
  declare lang: Language;
  declare request: KeypadRequest | null;
  declare value: string;
  declare error: string;

  static override styles = [
    baseStyles,
    css`
      dialog {
        background: var(--bg);
        color: var(--fg);
        border: 4px solid var(--fg);
        border-radius: 0.6rem;
        padding: 1.2rem;
        width: min(40rem, 96vw);
        max-height: 96vh;
        overflow: auto;
        /* At the foot of the screen, not its middle: the field and every key within reach (§8.3). */
        margin-block: auto 2vh;
      }
      h2 {
        margin-block: 0 0.4rem;
        font-size: 1.2rem;
      }
      /* As on every screen: the main action bottom right, the others to its left (or above it). */
      .actions {
        flex-direction: row-reverse;
        flex-wrap: wrap-reverse;
        gap: 0.6rem;
        margin-top: 0.8rem;
      }
      .actions button.big {
        flex: 1 1 auto;
        padding-inline: 0.6em;
      }
      #keypad-hint {
        margin-block: 0 0.4rem;
      }
      /* On a landscape panel the keys go beside the field: stacked, they would not fit its height. */
      @media (orientation: landscape) {
        dialog[open] {
          display: grid;
          grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
          grid-template-rows: auto auto auto auto 1fr;
          column-gap: 1.5rem;
          width: min(72rem, 96vw);
        }
        dialog > * {
          grid-column: 1;
        }
        dialog > .keys {
          grid-column: 2;
          grid-row: 1 / span 5;
          align-self: end;
          margin-top: 0;
        }
        dialog > .actions {
          align-self: end;
        }
      }
      /* A short landscape panel (1366×768) in large text: the three actions one above the other under
         the field were taller than the screen and "Confirm" was cut off. There they take one row under
         both columns, the main one bottom right still, and the keys end above them. */
      @media (orientation: landscape) and ${shortPanel} {
        :host-context(.large-text) dialog > .keys {
          grid-row: 1 / span 4;
        }
        :host-context(.large-text) dialog > .actions {
          grid-column: 1 / -1;
          grid-row: 5;
        }
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.6);
      }
      input {
        width: 100%;
        font-size: 1.6rem;
      }
      .keys {
        display: grid;
        grid-template-columns: repeat(3, minmax(0, 1fr));
        gap: 0.5rem;
        margin-top: 0.6rem;
      }
      .keys.reference {
        grid-template-columns: repeat(auto-fill, minmax(3rem, 1fr));
      }
      .keys button {
        font-size: 1.4rem;
        padding: 0.3em;
      }
      .error {
        color: var(--danger);
        font-weight: 700;
        margin-block: 0.4rem 0;
      }
      /* No room is kept for a message not there: on an 800×1280 panel in large text every line counts. */
      .error.none,
      #keypad-hint.none {
        margin: 0;
      }
    `,
  ];

  constructor() {
    super();
    this.lang = "pl";
    this.request = null;
    this.value = "";
    this.error = "";
    this.activeKey = "1";
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector("dialog");
  }

  async open(request: KeypadRequest): Promise<void> {
    this.request = request;
    this.value = request.initial;
    this.activeKey = "1";
    this.error = request.error ?? "";
    await this.updateComplete;
    const dialog = this.dialog;
    if (dialog && !dialog.open) dialog.showModal();
    this.renderRoot.querySelector<HTMLInputElement>("input")?.focus();
  }

  close(): void {
    this.dialog?.close();
    this.request = null;
  }

  private press(key: string): void {
    this.value = key === "⌫" ? this.value.slice(0, -1) : this.value + key;
    this.error = "";
    // The decimal key is said as "decimal point" whichever sign the language writes.
    const decimal = this.request?.mode === "amount" && (key === "," || key === ".");
    this.echo(decimal ? "," : key);
  }

  /** Tells audio mode which key was pressed, so it is said back — never a PIN's digits. */
  private echo(key: string): void {
    if (this.request?.mode === "pin") return;
    this.dispatchEvent(new CustomEvent("keypad-key", { detail: key, bubbles: true, composed: true }));
  }

  /** A physical key typed while a key of the grid has focus: what it would type in the field. */
  private typedKey(event: KeyboardEvent): string | null {
    const mode = this.request?.mode ?? "amount";
    const key = event.key.length === 1 ? event.key.toUpperCase() : "";
    if (mode === "amount" && (key === "," || key === ".")) return messages(this.lang).keypad.decimalKey;
    const keys = mode === "reference" ? REFERENCE_KEYS : mode === "pin" ? PIN_KEYS : AMOUNT_DIGITS;
    return key && keys.includes(key) ? key : null;
  }

  private confirm(): void {
    const request = this.request;
    if (!request) return;
    const t = messages(this.lang).keypad;
    let result: KeypadResult;
    if (request.mode === "amount") {
      const grosze = parseAmountInput(this.value);
      if (grosze === null || grosze === 0) {
        this.error = t.invalidAmount;
        return;
      }
      const min = request.min ?? 1;
      const max = request.max ?? Number.MAX_SAFE_INTEGER;
      if (grosze < min || grosze > max) {
        this.error = t.outOfRange(formatMoney(min, this.lang), formatMoney(max, this.lang));
        return;
      }
      result = { mode: "amount", grosze };
    } else if (request.mode === "pin") {
      if (!/^[0-9]+$/.test(this.value)) {
        this.error = t.emptyReference;
        return;
      }
      result = { mode: "pin", text: this.value };
    } else {
      const text = this.value.trim();
      if (!text) {
        this.error = t.emptyReference;
        return;
      }
      result = { mode: "reference", text };
    }
    this.close();
    this.dispatchEvent(
      new CustomEvent<KeypadResult>("keypad-done", { detail: result, bubbles: true, composed: true }),
    );
  }

  private cancel(): void {
    this.close();
    this.dispatchEvent(new CustomEvent("keypad-cancel", { bubbles: true, composed: true }));
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === "Escape") {
      // Escape belongs to the dialog; the screen behind must not also treat it as "cancel".
      event.stopPropagation();
      event.preventDefault();
      this.cancel();
    } else if (event.key === "Enter" && event.target instanceof HTMLInputElement) {
      event.preventDefault();
      this.confirm();
    } else if (!(event.target instanceof HTMLInputElement) && !event.ctrlKey && !event.altKey) {
      // On the grid, the keypad's digits type and Clear (Backspace) deletes, as in the field.
      const typed = event.key === "Backspace" ? "⌫" : this.typedKey(event);
      if (typed) {
        event.preventDefault();
        this.press(typed);
      } else if (event.key === "Delete") {
        event.preventDefault();
        this.value = "";
      }
    }
  }

  /**
   * The dialog is there from the start (screens open it by reference), but its field and keys are
   * made only while it is open: every summary and basket screen carries a keypad most visitors never
   * open, and building its ~20 controls was part of the work between a scan and the summary's paint
   * (issue 17, docs/benchmarks.md "The summary's paint").
   */
  override render() {
    return html`
      <dialog aria-labelledby=${this.request ? "keypad-title" : nothing} @keydown=${this.onKeydown} @cancel=${(
        e: Event,
      ) => {
        e.preventDefault();
        this.cancel();
      }}>${this.request ? this.renderOpen(this.request) : nothing}</dialog>
    `;
  }

  private renderOpen(request: KeypadRequest) {
    const t = messages(this.lang).keypad;
    const amountKeys = [...AMOUNT_DIGITS.slice(0, 9), t.decimalKey, "0"];
    const keys =
      request.mode === "reference" ? REFERENCE_KEYS : request.mode === "pin" ? PIN_KEYS : amountKeys;
    const decimal = (key: string) => key === t.decimalKey && request.mode === "amount";
    const hint =
      request.mode === "amount" && request.min !== undefined && request.max !== undefined
        ? t.range(formatMoney(request.min, this.lang), formatMoney(request.max, this.lang))
        : "";
    return html`
        <h2 id="keypad-title">${request.heading}</h2>
        <p id="keypad-hint" class=${hint ? "" : "none"}>${hint}</p>
        <input
          id="keypad-input"
          aria-labelledby="keypad-title"
          aria-describedby="keypad-hint keypad-error"
          autocomplete="off"
          inputmode="none"
          type=${request.mode === "pin" ? "password" : "text"}
          .value=${this.value}
          data-mode=${request.mode}
          @input=${(e: Event) => {
            this.value = (e.target as HTMLInputElement).value;
            this.error = "";
            const typed = (e as InputEvent).data;
            const decimal = request.mode === "amount" && (typed === "," || typed === ".");
            if (typed && typed.length === 1) this.echo(decimal ? "," : typed.toUpperCase());
            else if ((e as InputEvent).inputType === "deleteContentBackward") this.echo("⌫");
          }}
        />
        <p id="keypad-error" class="error ${this.error ? "" : "none"}" role="alert">${this.error}</p>
        <div class="keys ${request.mode ?? "amount"}">
          ${keys.map(
            (key) =>
              html`<button
                type="button"
                data-key=${decimal(key) ? "," : key}
                tabindex=${key === this.activeKey ? "0" : "-1"}
                aria-label=${decimal(key) ? t.decimal : key}
                @focus=${() => {
                  this.activeKey = key;
                }}
                @click=${() => this.press(key)}
              >${key}</button>`,
          )}
          <button
            type="button"
            data-key="⌫"
            tabindex=${this.activeKey === "⌫" ? "0" : "-1"}
            aria-label=${t.backspace}
            @focus=${() => {
              this.activeKey = "⌫";
            }}
            @click=${() => this.press("⌫")}
          >⌫</button>
        </div>
        <div class="actions">
          <button type="button" class="primary big" @click=${() => this.confirm()}>${t.ok}</button>
          <button type="button" class="big" @click=${() => {
            this.value = "";
            this.error = "";
          }}>${t.clear}</button>
          <button type="button" class="big" @click=${() => this.cancel()}>${t.cancel}</button>
        </div>
    `;
  }
}
customElements.define("keypad-dialog", KeypadDialog);
