/** The warning before the kiosk gives up on a visitor: shown (and spoken by the app), with "more time". */
import { css, html, LitElement, type PropertyValues } from "lit";
import { emitAction } from "../actions.ts";
import type { Language } from "../api.ts";
import { messages } from "../i18n/index.ts";
import "../layout/countdown-ring.ts";
import { baseStyles } from "../styles.ts";

export class TimeoutDialog extends LitElement {
  static override properties = {
    lang: { type: String },
    open: { type: Boolean },
    seconds: { type: Number },
    total: { type: Number },
  };
  declare lang: Language;
  declare open: boolean;
  declare seconds: number;
  /** The whole idle time, so the ring shows how much of it is left. */
  declare total: number;

  static override styles = [
    baseStyles,
    css`
      dialog {
        background: var(--bg);
        color: var(--fg);
        border: 5px solid var(--focus);
        border-radius: 0.6rem;
        padding: 1.5rem;
        width: min(36rem, 94vw);
      }
      .time {
        display: flex;
        align-items: center;
        gap: 1.2rem;
      }
      .time p {
        margin: 0;
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.6);
      }
    `,
  ];

  constructor() {
    super();
    this.lang = "pl";
    this.open = false;
    this.seconds = 20;
    this.total = 60;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has("open")) return;
    const dialog = this.renderRoot.querySelector("dialog");
    if (!dialog) return;
    if (this.open && !dialog.open) {
      dialog.showModal();
      this.renderRoot.querySelector<HTMLButtonElement>("button.primary")?.focus();
    } else if (!this.open && dialog.open) {
      dialog.close();
    }
  }

  override render() {
    const t = messages(this.lang).timeout;
    return html`
      <dialog
        role="alertdialog"
        aria-labelledby="timeout-title"
        aria-describedby="timeout-body"
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === "Escape") e.stopPropagation();
        }}
        @cancel=${(e: Event) => {
          // Escape here means "I am still here".
          e.preventDefault();
          emitAction(this, { type: "more-time" });
        }}
      >
        <h2 id="timeout-title">${t.title}</h2>
        <div class="time">
          <countdown-ring size="large" lang=${this.lang} seconds=${this.seconds} total=${this.total}></countdown-ring>
          <p id="timeout-body">${t.body(Math.max(0, this.seconds))}</p>
        </div>
        <div class="actions">
          <button class="primary big" @click=${() => emitAction(this, { type: "more-time" })}>${t.more}</button>
          <button class="big" @click=${() => emitAction(this, { type: "finish" })}>${t.finish}</button>
        </div>
      </dialog>
    `;
  }
}
customElements.define("timeout-dialog", TimeoutDialog);
