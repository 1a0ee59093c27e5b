import { css, html } from "lit";
import { emitAction } from "../actions.ts";
import { receiptUrl, type Session } from "../api.ts";
import { formatDateTime, formatMoney } from "../format.ts";
import { baseStyles } from "../styles.ts";
import { Screen } from "./screen.ts";

export class ApprovedScreen extends Screen {
  static override properties = {
    ...Screen.properties,
    session: { attribute: false },
    imageAttempt: { state: true },
  };
  declare session: Session | null;
  declare imageAttempt: number;

  static override styles = [
    baseStyles,
    css`
      .layout {
        display: grid;
        gap: 1.5rem;
      }
      @media (orientation: landscape) and (min-width: 60rem) {
        .layout {
          grid-template-columns: 1fr minmax(0, 26rem);
        }
      }
      .receipt {
        background: #ffffff;
        border: 3px solid var(--border);
        padding: 0.5rem;
        max-width: 26rem;
      }
      .receipt img {
        display: block;
        width: 100%;
        height: auto;
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
      .code {
        font-size: 1.6rem;
        font-weight: 700;
        letter-spacing: 0.1em;
      }
    `,
  ];

  constructor() {
    super();
    this.session = null;
    this.imageAttempt = 0;
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
      <h1 tabindex="-1">${t.title}</h1>
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
            <dt>${this.t.summary.total}</dt>
            <dd class="amount">${total}</dd>
            ${payment?.paidAt ? html`<dt>${t.paidAt}</dt><dd>${formatDateTime(payment.paidAt, this.lang)}</dd>` : null}
            ${payment?.authCode ? html`<dt>${t.authCode}</dt><dd>${payment.authCode}</dd>` : null}
            ${
              payment?.maskedPan
                ? html`<dt>${t.card}</dt><dd>${[payment.cardBrand, payment.maskedPan].filter(Boolean).join(" ")}</dd>`
                : null
            }
          </dl>
          ${
            done
              ? html`<div class="actions">
                  <button class="primary big" @click=${() => emitAction(this, { type: "finish" })}>${t.finish}</button>
                </div>`
              : null
          }
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
    `;
  }
}
customElements.define("approved-screen", ApprovedScreen);
