import { css, html } from "lit";
import { emitAction } from "../actions.ts";
import type { Session } from "../api.ts";
import { formatMoney } from "../format.ts";
import { baseStyles } from "../styles.ts";
import { Screen } from "./screen.ts";

export class AuthorizingScreen extends Screen {
  static override properties = { ...Screen.properties, session: { attribute: false } };
  declare session: Session | null;

  static override styles = [
    baseStyles,
    css`
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
    `,
  ];

  constructor() {
    super();
    this.session = null;
  }

  override render() {
    const session = this.session;
    if (!session) return null;
    const t = this.t.authorizing;
    const checking = session.state === "unknown";
    return html`
      <h1 tabindex="-1">${t.title}</h1>
      <p>${t.amount}: <strong class="amount">${formatMoney(session.total, this.lang)}</strong></p>
      <div class="terminal" role="status" aria-live="assertive" aria-atomic="true" data-testid="terminal-message">
        ${checking ? t.checking : session.terminalMessage || t.defaultMessage}
      </div>
      <p>${t.follow}</p>
      ${
        checking
          ? null
          : html`<div class="actions">
              <button class="big" @click=${() => emitAction(this, { type: "cancel" })}>${t.cancel}</button>
            </div>`
      }
    `;
  }
}
customElements.define("authorizing-screen", AuthorizingScreen);
