import { css, html } from "lit";
import { emitAction } from "../actions.ts";
import type { PaidSlip } from "../api.ts";
import { errorAction, knownErrorCode, staffCode } from "../error-codes.ts";
import { formatDateTime, formatMoney } from "../format.ts";
import { errorText } from "../i18n/index.ts";
import { screenLayout } from "../layout/screen-layout.ts";
import { baseStyles } from "../styles.ts";
import { Screen } from "./screen.ts";

/** Where a reprint of an already paid slip's confirmation stands. */
export type ReprintStatus = "none" | "printing" | "failed";

/**
 * A refused scan or basket: what happened (with an icon, so it is not mistaken for a form), what to do,
 * one action that does it, and the short code staff look up in docs/error-codes.md. A scan refused
 * while a payment is on the summary leaves that payment as it was: the main action goes back to it,
 * and Back to start (which cancels it) stays beside.
 */
/** What the error screen's buttons ask of the app. */
type ErrorScreenAction = "back" | "reprint" | "rescan" | "resume";

export class ErrorScreen extends Screen {
  static override properties = {
    ...Screen.properties,
    code: { type: String },
    paid: { attribute: false },
    kioskId: { type: String },
    reprintStatus: { type: String },
    paymentKept: { type: Boolean },
  };
  declare code: string;
  declare paid: PaidSlip | null;
  declare kioskId: string;
  declare reprintStatus: ReprintStatus;
  /** A payment is still on the summary behind this refusal. */
  declare paymentKept: boolean;

  static override styles = [
    baseStyles,
    screenLayout,
    css`
      .head {
        display: flex;
        gap: 1rem;
        align-items: flex-start;
      }
      .head svg {
        flex: none;
        width: 3.2rem;
        height: 3.2rem;
        color: var(--danger);
      }
      .staff strong {
        font-size: 1.2rem;
        letter-spacing: 0.05em;
      }
    `,
  ];

  constructor() {
    super();
    this.code = "UNKNOWN";
    this.paid = null;
    this.kioskId = "";
    this.reprintStatus = "none";
    this.paymentKept = false;
  }

  private paidText(paid: PaidSlip) {
    const t = this.t.error;
    const where = paid.kiosk && paid.kiosk !== this.kioskId ? t.paidAt(paid.kiosk) : t.paidHere;
    return t.paidWhen(formatDateTime(paid.paidAt, this.lang), where, formatMoney(paid.total, this.lang));
  }

  /** One of the screen's actions; the first one offered is the primary (focused) one. */
  private button(primary: boolean, action: string, type: ErrorScreenAction, label: string) {
    return html`<button class=${primary ? "primary big" : "big"} data-action=${action} @click=${() => emitAction(this, { type })}>${label}</button>`;
  }

  /** SPEC §1a: a slip paid on this kiosk can have its confirmation printed again (not while one prints). */
  private offersReprint(): boolean {
    return this.paid?.reprint === true && this.reprintStatus !== "printing";
  }

  private renderActions() {
    const t = this.t.error;
    const back = (primary: boolean) => this.button(primary, "back-to-start", "back", t.backToStart);
    if (this.paymentKept) return this.renderKeptActions();
    if (this.offersReprint()) {
      return html`${this.button(true, "reprint", "reprint", t.reprint)} ${back(false)}`;
    }
    switch (errorAction(knownErrorCode(this.code))) {
      case "scan-again":
        // The reader works on the start screen; going there is how a visitor scans again.
        return this.button(true, "scan-again", "back", t.scanAgain);
      case "try-again":
        return html`${this.button(true, "try-again", "rescan", t.tryAgain)} ${back(false)}`;
      case "start":
        return back(true);
    }
  }

  /**
   * The payment on the summary first (the visitor came to pay it; a second slip can be scanned there
   * again), then what this refusal offers, then Back to start. Scan again is not offered: it led to
   * the start screen, and the summary takes a scan itself.
   */
  private renderKeptActions() {
    const t = this.t.error;
    const reprint = this.offersReprint();
    const tryAgain = errorAction(knownErrorCode(this.code)) === "try-again";
    return html`${this.button(true, "back-to-payment", "resume", t.backToPayment)}
      ${reprint ? this.button(false, "reprint", "reprint", t.reprint) : null}
      ${tryAgain ? this.button(false, "try-again", "rescan", t.tryAgain) : null}
      ${this.button(false, "back-to-start", "back", t.backToStart)}`;
  }

  override render() {
    const text = errorText(this.lang, this.code);
    const t = this.t.error;
    return html`
      <div class="info">
      <div class="head">
        <svg viewBox="0 0 48 48" aria-hidden="true" focusable="false" data-testid="error-icon">
          <circle cx="24" cy="24" r="21" fill="none" stroke="currentColor" stroke-width="4" />
          <path fill="currentColor" d="M21.5 11h5l-1 17h-3zM24 32a3 3 0 1 1 0 6 3 3 0 0 1 0-6z" />
        </svg>
        <h1 tabindex="-1" data-testid="error-title">${text.title}</h1>
      </div>
      ${this.paid ? html`<p data-testid="paid-info">${this.paidText(this.paid)}</p>` : null}
      <p class="alert" role="alert" data-testid="error-todo">${text.todo}</p>
      <div role="status" data-testid="reprint-status">
        ${this.reprintStatus === "printing" ? html`<p>${t.reprinting}</p>` : null}
        ${this.reprintStatus === "failed" ? html`<p class="alert">${t.reprintFailed}</p>` : null}
      </div>
      <p class="muted staff">${t.staffCode}: <strong data-testid="staff-code">${staffCode(this.code)}</strong></p>
      </div>
      <div class="actions">${this.renderActions()}</div>
    `;
  }
}
customElements.define("error-screen", ErrorScreen);
