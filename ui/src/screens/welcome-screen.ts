import { css, html } from "lit";
import { emitAction } from "../actions.ts";
import type { Place } from "../api.ts";
import "../layout/device-pointer.ts";
import { screenLayout } from "../layout/screen-layout.ts";
import { baseStyles } from "../styles.ts";
import { Screen } from "./screen.ts";

/**
 * For technicians: holding the office name for 3 seconds (or pressing F9, see app.ts) opens the
 * service login. Nothing on screen points visitors to it; the service login screen explains it.
 */
const SERVICE_LONG_PRESS_MS = 3_000;

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
        user-select: none;
        -webkit-user-select: none;
        touch-action: none;
      }
      .or {
        font-size: 1.2rem;
        margin: 1rem 0;
      }
    `,
  ];

  private longPress: number | undefined;

  constructor() {
    super();
    this.notice = "";
    this.office = "";
    this.scanner = "below";
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.cancelLongPress();
  }

  private startLongPress(): void {
    this.cancelLongPress();
    this.longPress = window.setTimeout(() => {
      this.longPress = undefined;
      this.dispatchEvent(new CustomEvent("service-request", { bubbles: true, composed: true }));
    }, SERVICE_LONG_PRESS_MS);
  }

  private cancelLongPress(): void {
    window.clearTimeout(this.longPress);
    this.longPress = undefined;
  }

  override render() {
    const t = this.t.welcome;
    return html`
      <div class="info">
      <p
        class="muted office"
        data-office
        @pointerdown=${() => this.startLongPress()}
        @pointerup=${() => this.cancelLongPress()}
        @pointerleave=${() => this.cancelLongPress()}
        @pointercancel=${() => this.cancelLongPress()}
        @contextmenu=${(e: Event) => e.preventDefault()}
      >${this.office}</p>
      <h1 tabindex="-1">${t.title}</h1>
      <div role="status">${this.notice ? html`<p class="alert">${this.notice}</p>` : null}</div>
      <div class="scan">
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
