import { css, html } from "lit";
import { emitAction } from "../actions.ts";
import type { Place } from "../api.ts";
import "../layout/device-pointer.ts";
import { screenLayout } from "../layout/screen-layout.ts";
import { baseStyles, whenShortOfRoom } from "../styles.ts";
import "../components/service-spot.ts";
import { Screen } from "./screen.ts";

export class WelcomeScreen extends Screen {
  static override properties = {
    ...Screen.properties,
    notice: { type: String },
    office: { type: String },
    scanner: { type: String },
  };
  declare notice: string;
  declare office: string;
  /** Where this kiosk's code reader is (`kiosk.layout.scanner`). */
  declare scanner: Place;

  static override styles = [
    baseStyles,
    screenLayout,
    css`
      .scan {
        display: flex;
        gap: 1.2rem;
        align-items: center;
        padding: 1.2rem;
        border: 3px solid var(--border);
        border-radius: 0.6rem;
        background: var(--surface);
        margin: 1rem 0;
      }
      .scan {
        flex-wrap: wrap;
      }
      .scan > div {
        flex: 1 1 12rem;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .scan svg {
        flex: none;
        width: 5rem;
        height: 5rem;
      }
      .office {
        min-height: 2.6rem;
      }
      .or {
        font-size: 1.2rem;
        margin: 1rem 0;
      }
      /* Short of room (large text on a cramped panel, 1366×768 in any text): the "scan the QR code"
         box, the screen's main instruction, was cut through its words at the zone's foot, then hidden
         whole (whole-items.ts), and the reader's pointer after it. Tighter margins and padding, and the
         QR icon (decorative) given way, keep both whole; the text keeps its size. */
      ${whenShortOfRoom(".scan svg", "display: none;")}
      ${whenShortOfRoom(".office", "min-height: 0; margin-bottom: 0.2em;")}
      ${whenShortOfRoom(".scan", "padding: 0.3rem 1rem; margin: 0.4rem 0;")}
      ${whenShortOfRoom(".scan h2", "margin-bottom: 0.2em;")}
      ${whenShortOfRoom(".scan p", "margin: 0;")}
      ${whenShortOfRoom(".or", "margin: 0;")}
    `,
  ];

  constructor() {
    super();
    this.notice = "";
    this.office = "";
    this.scanner = "below";
  }

  override render() {
    const t = this.t.welcome;
    return html`
      <!-- For technicians (service-spot.ts); F9 and the service key are the others (app.ts). -->
      <service-spot></service-spot>
      <div class="info">
      <p class="muted office" data-office>${this.office}</p>
      <h1 tabindex="-1">${t.title}</h1>
      <div role="status">${this.notice ? html`<p class="alert">${this.notice}</p>` : null}</div>
      <div class="scan" data-whole>
        <svg viewBox="0 0 48 48" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M4 4h16v16H4zm4 4v8h8V8zm20-4h16v16H28zm4 4v8h8V8zM4 28h16v16H4zm4 4v8h8v-8zm20-4h4v4h-4zm8 0h8v4h-8zm-8 8h4v8h-4zm8 4h8v4h-8zm0-4h4v4h-4z"
          />
        </svg>
        <div>
          <h2>${t.scan}</h2>
          <p>${t.scanHint}</p>
        </div>
      </div>
      <device-pointer lang=${this.lang} device="scanner" place=${this.scanner}></device-pointer>
      </div>
      <div class="actions">
        <button class="primary big" @click=${() => emitAction(this, { type: "choose-service" })}>
          ${t.chooseService}
        </button>
        <p class="or">${t.or}</p>
      </div>
    `;
  }
}
customElements.define("welcome-screen", WelcomeScreen);
