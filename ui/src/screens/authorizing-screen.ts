import { css, html } from "lit";
import { emitAction } from "../actions.ts";
import { awaitsStaff, PAYMENT_UNRESOLVED, type Place, type Session } from "../api.ts";
import { staffCode } from "../error-codes.ts";
import { formatMoney } from "../format.ts";
import { errorText } from "../i18n/index.ts";
import "../components/service-spot.ts";
import "../layout/device-pointer.ts";
import { screenLayout } from "../layout/screen-layout.ts";
import { baseStyles, whenShortOfRoom } from "../styles.ts";
import { Screen } from "./screen.ts";

export class AuthorizingScreen extends Screen {
  static override properties = {
    ...Screen.properties,
    session: { attribute: false },
    pinPad: { type: String },
  };
  declare session: Session | null;
  /** Where this kiosk's card terminal is (`kiosk.layout.pinPad`). */
  declare pinPad: Place;

  static override styles = [
    baseStyles,
    screenLayout,
    css`
      .due {
        margin: 0 0 1rem;
      }
      .due strong {
        display: block;
        font-size: 3.2rem;
        line-height: 1.1;
      }
      device-pointer {
        margin-top: auto;
      }
      .terminal {
        font-size: 1.7rem;
        font-weight: 700;
        padding: 1.2rem;
        margin: 1.2rem 0;
        border: 4px solid var(--primary);
        border-radius: 0.6rem;
        background: var(--surface);
        min-height: 4.5rem;
      }
      /* Short of room (large text on a cramped panel, 1366×768 in any text): the amount on a line of its
         own and the message's padding left the terminal's message (what to do now) cut through its
         words, and the terminal's pointer hidden. The amount goes beside its label at a smaller size
         (still the largest text on the screen), the message's box gets tighter, and "follow the
         terminal's instructions" (said again by the message) goes after the pointer, so it is the one
         that gives way; the texts keep their size. */
      ${whenShortOfRoom(".due strong", "display: inline; margin-left: 0.3em; font-size: 2.2rem;")}
      ${whenShortOfRoom(".due", "margin-bottom: 0.4rem;")}
      ${whenShortOfRoom(".terminal", "padding: 0.4rem 0.8rem; margin: 0.4rem 0; min-height: 0;")}
      ${whenShortOfRoom(".follow", "order: 1;")}
    `,
  ];

  constructor() {
    super();
    this.session = null;
    this.pinPad = "below-right";
  }

  override render() {
    const session = this.session;
    if (!session) return null;
    const t = this.t.authorizing;
    const checking = session.state === "unknown";
    if (awaitsStaff(session)) return this.renderUnresolved(session);
    return html`
      <div class="info">
      <h1 tabindex="-1">${t.title}</h1>
      <p class="due">${t.amount}: <strong class="amount" data-testid="amount-due">${formatMoney(session.total, this.lang)}</strong></p>
      <div class="terminal" role="status" aria-live="assertive" aria-atomic="true" data-testid="terminal-message">
        ${checking ? t.checking : session.terminalMessage || t.defaultMessage}
      </div>
      <p class="follow">${t.follow}</p>
      <device-pointer lang=${this.lang} device="pinPad" place=${this.pinPad}></device-pointer>
      </div>
      ${
        checking
          ? null
          : html`<div class="actions">
              <button class="big" @click=${() => emitAction(this, { type: "cancel" })}>${t.cancel}</button>
            </div>`
      }
    `;
  }

  /**
   * The terminal cannot prove whether the card was charged and only staff can settle it: the visitor
   * is told so, not to pay again, and given the code to quote, instead of "please wait" for ever.
   */
  private renderUnresolved(session: Session) {
    const text = errorText(this.lang, PAYMENT_UNRESOLVED);
    return html`
      <div class="info">
      <h1 tabindex="-1">${text.title}</h1>
      <p class="due">${this.t.authorizing.amount}: <strong class="amount" data-testid="amount-due">${formatMoney(session.total, this.lang)}</strong></p>
      <p class="terminal" role="alert" data-testid="terminal-message">${text.todo}</p>
      <p class="muted staff">${this.t.error.staffCode}: <strong data-testid="staff-code">${staffCode(PAYMENT_UNRESOLVED)}</strong></p>
      </div>
      <!-- Staff come to decide it: their way into the console on a touch-only kiosk (F9 is the other). -->
      <service-spot></service-spot>
    `;
  }
}
customElements.define("authorizing-screen", AuthorizingScreen);
