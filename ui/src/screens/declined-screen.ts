import { html } from "lit";
import { emitAction } from "../actions.ts";
import type { Session } from "../api.ts";
import { formatMoney } from "../format.ts";
import { errorText } from "../i18n/index.ts";
import { screenLayout } from "../layout/screen-layout.ts";
import { baseStyles } from "../styles.ts";
import { Screen } from "./screen.ts";

export class DeclinedScreen extends Screen {
  static override properties = { ...Screen.properties, session: { attribute: false } };
  declare session: Session | null;

  static override styles = [baseStyles, screenLayout];

  constructor() {
    super();
    this.session = null;
  }

  /** The terminal's own words when it gave any (already in the session language), else ours by code. */
  reason(): string {
    const session = this.session;
    const code = session?.error?.code;
    if (session?.terminalMessage) return session.terminalMessage;
    if (code && code !== "DECLINED") return errorText(this.lang, code).title;
    return this.t.declined.defaultReason;
  }

  /** Stopped on the PIN pad (ZVT 6C) or by "Stop the payment": the daemon says CANCELLED, not a refusal. */
  cancelled(): boolean {
    return this.session?.error?.code === "CANCELLED";
  }

  override render() {
    const session = this.session;
    if (!session) return null;
    const t = this.t.declined;
    const cancelled = this.cancelled();
    return html`
      <div class="info">
      <h1 tabindex="-1" data-testid="decline-title">${cancelled ? t.cancelledTitle : t.title}</h1>
      ${
        cancelled
          ? html`<p class="alert" role="alert" data-testid="decline-reason">${t.cancelledBody}</p>`
          : html`<p class="alert" role="alert" data-testid="decline-reason">${t.reason}: ${this.reason()}</p>
              <p>${t.nothingCharged}</p>`
      }
      <p>${this.t.summary.total}: <strong class="amount">${formatMoney(session.total, this.lang)}</strong></p>
      </div>
      <div class="actions">
        <button class="primary big" @click=${() => emitAction(this, { type: "retry" })}>${t.tryAgain}</button>
        <button class="big" @click=${() => emitAction(this, { type: "cancel" })}>${t.cancel}</button>
      </div>
    `;
  }
}
customElements.define("declined-screen", DeclinedScreen);
