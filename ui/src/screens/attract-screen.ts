/**
 * What an idle kiosk shows to people passing by: where to hold the slip's QR code (a large pointer
 * at this kiosk's reader) and how to start, in every language of the kiosk at once. A scan works
 * from here as from the start screen; any touch or key brings the start screen back.
 */
import { css, html } from "lit";
import { LANGUAGES, type Language, type Place } from "../api.ts";
import { layoutText } from "../i18n/layout-text.ts";
import "../layout/device-pointer.ts";
import { screenLayout } from "../layout/screen-layout.ts";
import { baseStyles } from "../styles.ts";
import { Screen } from "./screen.ts";

export class AttractScreen extends Screen {
  static override properties = {
    ...Screen.properties,
    languages: { attribute: false },
    scanner: { type: String },
  };
  declare languages: readonly Language[];
  declare scanner: Place;

  static override styles = [
    baseStyles,
    screenLayout,
    css`
      /* Centred while it fits; where it does not (1366×768, 1280×1024, 800×1280) it starts at the top,
         and what does not fit is hidden whole from the foot up: centred, it was cut at both edges. */
      .info {
        justify-content: safe center;
        gap: 1.5rem;
      }
      section {
        border-left: 0.5rem solid var(--primary);
        padding-left: 1rem;
      }
      section h2 {
        font-size: 1.6rem;
        margin: 0 0 0.2rem;
      }
      section p {
        margin: 0;
      }
      .qr {
        width: 9rem;
        height: 9rem;
        align-self: center;
      }
      device-pointer {
        font-size: 1.4rem;
      }
    `,
  ];

  constructor() {
    super();
    this.languages = LANGUAGES;
    this.scanner = "below";
  }

  override render() {
    // The visitor's language first (Polish on an idle kiosk), the others after it.
    const order = [this.lang, ...this.languages.filter((l) => l !== this.lang)];
    return html`<div class="info" data-testid="attract">
      <h1 tabindex="-1">${layoutText(this.lang).attract.title}</h1>
      <p>${layoutText(this.lang).attract.touch}</p>
      ${order.slice(1).map(
        (lang) => html`<section lang=${lang}>
          <h2>${layoutText(lang).attract.title}</h2>
          <p>${layoutText(lang).attract.touch}</p>
        </section>`,
      )}
      <svg class="qr" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M4 4h16v16H4zm4 4v8h8V8zm20-4h16v16H28zm4 4v8h8V8zM4 28h16v16H4zm4 4v8h8v-8zm20-4h4v4h-4zm8 0h8v4h-8zm-8 8h4v8h-4zm8 4h8v4h-8zm0-4h4v4h-4z"
        />
      </svg>
      ${order.map(
        (lang) => html`<device-pointer lang=${lang} device="scanner" place=${this.scanner}></device-pointer>`,
      )}
    </div>`;
  }
}
customElements.define("attract-screen", AttractScreen);
