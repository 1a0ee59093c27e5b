import { css, html } from "lit";
import { emitAction } from "../actions.ts";
import { type Place, receiptUrl, type Session } from "../api.ts";
import { formatDateTime, formatMoney } from "../format.ts";
import { layoutText } from "../i18n/layout-text.ts";
import "../layout/device-pointer.ts";
import { screenLayout } from "../layout/screen-layout.ts";
import { baseStyles, whenShortOfRoom } from "../styles.ts";
import { Screen } from "./screen.ts";

export class ApprovedScreen extends Screen {
  static override properties = {
    ...Screen.properties,
    session: { attribute: false },
    imageAttempt: { state: true },
    printer: { type: String },
  };
  declare session: Session | null;
  /** Where this kiosk's receipt printer is (`kiosk.layout.printer`). */
  declare printer: Place;
  declare imageAttempt: number;

  static override styles = [
    baseStyles,
    screenLayout,
    css`
      .headline {
        display: flex;
        align-items: center;
        gap: 1rem;
        margin-bottom: 0.6rem;
      }
      .headline h1 {
        margin: 0;
      }
      .mark {
        flex: none;
        width: 4.5rem;
        height: 4.5rem;
        color: var(--ok);
      }
      .paid {
        font-size: 1.2rem;
        margin: 0 0 0.6rem;
      }
      .paid strong {
        font-size: 2.6rem;
        margin-left: 0.4rem;
      }
      /* The receipt preview takes what room is left and never pushes the actions or the toolbar away. */
      .layout {
        flex: 1 1 0;
        min-height: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0 1.5rem;
        overflow: hidden;
      }
      .layout > div {
        flex: 1 1 18rem;
        min-width: 0;
      }
      .receipt {
        flex: 0 1 22rem;
        min-width: 0;
        min-height: 0;
        max-height: 100%;
        margin: 0;
        display: flex;
        justify-content: center;
        align-items: flex-start;
      }
      .receipt img {
        display: block;
        max-width: 100%;
        max-height: 100%;
        object-fit: contain;
        object-position: top;
        background: #ffffff;
        border: 3px solid var(--border);
        padding: 0.4rem;
      }
      .status {
        font-size: 1.4rem;
        font-weight: 700;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.3em 1em;
        margin: 0 0 1rem;
      }
      dt {
        color: var(--muted);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      /* The OPLR1 code has no spaces: unbroken it ran 2,500 px wide, cut at the screen's edge on every
         panel, and it is what a visitor whose receipt did not print has to keep. */
      .code {
        font-size: 1.6rem;
        font-weight: 700;
        letter-spacing: 0.1em;
        overflow-wrap: anywhere;
      }
      /* Short of room (large text on a cramped panel, 1366×768 in any text): the date and the card, a
         visitor's proof of payment on screen when the receipt did not print, were hidden whole. The
         mark (decorative) and the amount get smaller, the amount still the largest text, the margins
         tighter; the authorisation code (on the receipt) and the printer's pointer (the status line
         says where the receipt is) are last, so they are what gives way. */
      ${whenShortOfRoom(".mark", "width: 2.6rem; height: 2.6rem;")}
      ${whenShortOfRoom(".headline", "margin-bottom: 0.2rem;")}
      ${whenShortOfRoom(".paid", "margin-bottom: 0.2rem;")}
      ${whenShortOfRoom(".paid strong", "font-size: 2rem;")}
      ${whenShortOfRoom(".status", "margin-bottom: 0.3em;")}
      ${whenShortOfRoom("dl", "gap: 0.1em 1em; margin-bottom: 0.3rem;")}
    `,
  ];

  constructor() {
    super();
    this.session = null;
    this.imageAttempt = 0;
    this.printer = "below-left";
  }

  /** The receipt exists once the payment is committed; a request just before that is tried again. */
  private retryImage(): void {
    if (this.imageAttempt >= 5) return;
    window.setTimeout(() => {
      this.imageAttempt += 1;
    }, 500);
  }

  /** The line that tells the visitor what to do, also spoken. */
  statusText(): string {
    const t = this.t.approved;
    const session = this.session;
    if (session?.state !== "done") return t.printing;
    return session.payment?.receiptPrinted === false ? t.notPrinted : t.take;
  }

  override render() {
    const session = this.session;
    if (!session) return null;
    const t = this.t.approved;
    const payment = session.payment;
    const done = session.state === "done";
    const notPrinted = done && payment?.receiptPrinted === false;
    const total = formatMoney(session.total, this.lang);
    return html`
      <div class="info">
      <div class="headline">
        <svg class="mark" viewBox="0 0 48 48" aria-hidden="true" focusable="false" data-testid="success-mark">
          <circle cx="24" cy="24" r="22" fill="currentColor" />
          <path d="M13 25l7 7 15-16" fill="none" stroke="var(--bg)" stroke-width="5" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
        <h1 tabindex="-1">${t.title}</h1>
      </div>
      <p class="paid">${layoutText(this.lang).paid}: <strong class="amount" data-testid="paid-amount">${total}</strong></p>
      <div class="layout">
        <div>
          <p class="status ${notPrinted ? "alert" : ""}" role="status" aria-live="polite" data-testid="receipt-status">
            ${this.statusText()}
          </p>
          ${
            notPrinted && payment?.verificationCode
              ? html`<p>${t.verificationCode}: <span class="code" data-testid="verification-code">${payment.verificationCode}</span></p>`
              : null
          }
          <dl>
            ${payment?.paidAt ? html`<dt>${t.paidAt}</dt><dd data-testid="paid-at">${formatDateTime(payment.paidAt, this.lang)}</dd>` : null}
            ${
              payment?.maskedPan
                ? html`<dt>${t.card}</dt><dd data-testid="paid-card">${[payment.cardBrand, payment.maskedPan].filter(Boolean).join(" ")}</dd>`
                : null
            }
            ${payment?.receiptNumber ? html`<dt>${t.receiptNumber}</dt><dd data-testid="receipt-number">${payment.receiptNumber}</dd>` : null}
            ${payment?.authCode ? html`<dt>${t.authCode}</dt><dd>${payment.authCode}</dd>` : null}
          </dl>
          <device-pointer lang=${this.lang} device="printer" place=${this.printer}></device-pointer>
        </div>
        ${
          payment?.id && session.state !== "approved"
            ? html`<figure class="receipt">
                <img
                  src=${`${receiptUrl(payment.id)}?v=${session.state}-${this.imageAttempt}`}
                  alt=${t.receiptAlt(total)}
                  data-testid="receipt-image"
                  @error=${() => this.retryImage()}
                />
              </figure>`
            : null
        }
      </div>
      </div>
      ${
        done
          ? html`<div class="actions">
              <button class="primary big" @click=${() => emitAction(this, { type: "finish" })}>${t.finish}</button>
            </div>`
          : null
      }
    `;
  }
}
customElements.define("approved-screen", ApprovedScreen);
