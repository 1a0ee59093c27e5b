import { html } from "lit";
import { LANGUAGES, type Language } from "../api.ts";
import { messages } from "../i18n/index.ts";
import { screenLayout } from "../layout/screen-layout.ts";
import { baseStyles } from "../styles.ts";
import { Screen } from "./screen.ts";

/**
 * Out of order, in every language of the kiosk at once: nobody can switch language on a kiosk that
 * does not work, so the visitor's own language comes first and the others follow, each marked as such.
 */
export class OutOfOrderScreen extends Screen {
  static override properties = {
    ...Screen.properties,
    reconnecting: { type: Boolean },
    languages: { attribute: false },
  };
  declare reconnecting: boolean;
  declare languages: readonly Language[];

  static override styles = [baseStyles, screenLayout];

  constructor() {
    super();
    this.reconnecting = false;
    this.languages = LANGUAGES;
  }

  override render() {
    const t = this.t.outOfOrder;
    const others = this.languages.filter((lang) => lang !== this.lang);
    return html`
      <div class="info">
      <h1 tabindex="-1">${t.title}</h1>
      <p>${t.body}</p>
      ${others.map((lang) => {
        const other = messages(lang).outOfOrder;
        return html`<section lang=${lang} data-lang=${lang}>
          <h2>${other.title}</h2>
          <p>${other.body}</p>
        </section>`;
      })}
      <p class="muted" role="status">${this.reconnecting ? t.reconnecting : ""}</p>
      </div>
    `;
  }
}
customElements.define("out-of-order-screen", OutOfOrderScreen);
