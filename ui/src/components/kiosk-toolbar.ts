import { css, html, LitElement } from "lit";
import { emitAction } from "../actions.ts";
import type { Language } from "../api.ts";
import { LANGUAGE_NAMES, messages } from "../i18n/index.ts";
import { baseStyles, crampedPanel, narrowPanel, shortPanel } from "../styles.ts";

/** Language, speech, large text, high contrast: one touch or key each, on every screen (EAA item 6). */
export class KioskToolbar extends LitElement {
  static override properties = {
    lang: { type: String },
    languages: { attribute: false },
    showLanguages: { type: Boolean },
    speech: { type: Boolean },
    speechAvailable: { type: Boolean },
    largeText: { type: Boolean },
    highContrast: { type: Boolean },
  };
  declare lang: Language;
  declare languages: Language[];
  declare showLanguages: boolean;
  declare speech: boolean;
  declare speechAvailable: boolean;
  declare largeText: boolean;
  declare highContrast: boolean;

  static override styles = [
    baseStyles,
    css`
      .bar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.6rem 1.2rem;
        align-items: center;
        justify-content: space-between;
      }
      .group {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      button[aria-pressed="true"] {
        background: var(--primary);
        color: var(--primary-fg);
      }
      button[aria-pressed="true"]::before {
        content: "✓ ";
      }
      /* Large text on a narrow panel (800×1280): at large text's 34 px the six buttons took four rows,
         465 of 1280 px, and a summary had no room left for its fees. There, and on the panels no taller
         than a landscape one, the toolbar keeps the default text's size (24 px), as it had when the
         visitor found it, and the screen's content is what grows. */
      @media ${crampedPanel} {
        .bar.large {
          gap: 0.3rem 0.6rem;
        }
        .bar.large .group {
          gap: 0.3rem;
        }
        .bar.large button {
          font-size: 0.7rem;
          padding: 0.3em 0.4em;
          /* The default text's height too (2.6 of its 24 px): large text's 88 px kept a whole row of the
             1366×768 panel from the basket's actions. */
          min-height: 2.6em;
        }
      }
      /* A short panel (1366×768) in any text: the Ukrainian words made two rows of the toolbar and left
         the basket's actions under it. The buttons keep their 44 px and more. A zoomed browser's narrow
         viewport too: there the toolbar took four rows and lay over the summary's actions. */
      @media ${shortPanel}, ${narrowPanel} {
        .bar button {
          padding: 0.3em 0.6em;
        }
        .bar {
          gap: 0.3rem 0.6rem;
        }
      }
    `,
  ];

  constructor() {
    super();
    this.lang = "pl";
    this.languages = ["pl", "en", "uk"];
    this.showLanguages = true;
    this.speech = false;
    this.speechAvailable = true;
    this.largeText = false;
    this.highContrast = false;
  }

  override render() {
    const t = messages(this.lang).toolbar;
    return html`
      <div class=${this.largeText ? "bar large" : "bar"}>
        ${
          this.showLanguages
            ? html`<div class="group" role="group" aria-label=${t.language}>
                ${this.languages.map(
                  (lang) => html`<button
                    lang=${lang}
                    aria-pressed=${lang === this.lang ? "true" : "false"}
                    data-lang=${lang}
                    @click=${() => emitAction(this, { type: "language", lang })}
                  >
                    ${LANGUAGE_NAMES[lang]}
                  </button>`,
                )}
              </div>`
            : html`<span></span>`
        }
        <div class="group" role="group" aria-label=${t.label}>
          ${
            this.speechAvailable
              ? html`<button
                  data-setting="speech"
                  aria-pressed=${this.speech ? "true" : "false"}
                  aria-keyshortcuts="F2"
                  @click=${() => emitAction(this, { type: "toggle", setting: "speech" })}
                >
                  ${t.speech}
                </button>`
              : null
          }
          <button
            data-setting="largeText"
            aria-pressed=${this.largeText ? "true" : "false"}
            @click=${() => emitAction(this, { type: "toggle", setting: "largeText" })}
          >
            ${t.largeText}
          </button>
          <button
            data-setting="highContrast"
            aria-pressed=${this.highContrast ? "true" : "false"}
            @click=${() => emitAction(this, { type: "toggle", setting: "highContrast" })}
          >
            ${t.highContrast}
          </button>
        </div>
      </div>
    `;
  }
}
customElements.define("kiosk-toolbar", KioskToolbar);
