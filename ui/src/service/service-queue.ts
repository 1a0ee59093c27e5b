/**
 * The console's "messages and alarms" section: the alarms staff must act on (a slip paid twice, an
 * end-of-day whose totals differ) with an acknowledgement each, and the outbox's parked and pending
 * messages with their last error and a requeue button for each parked one. A parked settlement
 * transaction (the hub refuses it when the kiosk held a wrong account) can also be sent with the
 * accounts from the kiosk's configuration: the changes, from → to, are shown first and sent only
 * once confirmed. The daemon audits every call; what to do for each alarm and message is in
 * docs/operations.md.
 */
import { css, html, LitElement } from "lit";
import type { Language } from "../api.ts";
import { formatDateTime } from "../format.ts";
import { type ServiceMessages, serviceMessages } from "../i18n/service.ts";
import { baseStyles } from "../styles.ts";
import { alarmSummary } from "./alarm-summary.ts";
import {
  type AccountsPreview,
  type Alarm,
  type QueuedMessage,
  type ServiceApi,
  ServiceProblem,
} from "./service-api.ts";

/** An account as people read it: `14 1020 5226 0000 1234 5678 9012`. */
function grouped(nrb: string): string {
  return /^\d{26}$/.test(nrb) ? `${nrb.slice(0, 2)} ${nrb.slice(2).replace(/(\d{4})(?=\d)/g, "$1 ")}` : nrb;
}

/** A settlement transaction carries the recipients' accounts: it can go with the configuration's. */
function carriesAccounts(m: QueuedMessage): boolean {
  return m.state === "failed" && m.destination === "settlement" && m.kind === "transaction";
}

export class ServiceQueue extends LitElement {
  static override properties = {
    lang: { type: String },
    api: { attribute: false },
    messages: { state: true },
    alarms: { state: true },
    status: { state: true },
    accounts: { state: true },
  };
  declare lang: Language;
  declare api: ServiceApi | null;
  declare messages: QueuedMessage[] | null;
  declare alarms: Alarm[] | null;
  declare status: { error: boolean; text: string };
  /** The account changes of one parked message, shown for confirmation. */
  declare accounts: { id: string; preview: AccountsPreview } | null;

  static override styles = [
    baseStyles,
    css`
      ul {
        list-style: none;
        padding: 0;
      }
      li {
        border-top: 1px solid currentColor;
        padding: 0.6rem 0;
      }
      ul.changes li {
        border-top: none;
        padding: 0.2rem 0;
      }
      .error {
        font-weight: 700;
      }
      code {
        overflow-wrap: anywhere;
      }
    `,
  ];

  constructor() {
    super();
    this.lang = "pl";
    this.api = null;
    this.messages = null;
    this.alarms = null;
    this.status = { error: false, text: "" };
    this.accounts = null;
  }

  private get s(): ServiceMessages["queue"] {
    return serviceMessages(this.lang).queue;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async attempt(call: (api: ServiceApi) => Promise<void>, done: string): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.status = { error: false, text: serviceMessages(this.lang).console.busy };
    try {
      await call(api);
      this.status = { error: false, text: done };
    } catch (error) {
      const code = error instanceof ServiceProblem ? error.code : "UNKNOWN";
      const message = error instanceof Error ? error.message : String(error);
      this.status = { error: true, text: serviceMessages(this.lang).console.failed(code, message) };
    }
  }

  async load(): Promise<void> {
    await this.attempt(async (api) => {
      [this.alarms, this.messages] = await Promise.all([api.alarms(), api.outbox()]);
    }, "");
  }

  private async requeue(id: string): Promise<void> {
    await this.attempt((api) => api.requeue([id]), this.s.requeued(id));
    await this.load();
  }

  private async showAccounts(id: string): Promise<void> {
    this.accounts = null;
    await this.attempt(async (api) => {
      this.accounts = { id, preview: await api.accountsPreview(id) };
    }, "");
  }

  private async requeueWithAccounts(id: string): Promise<void> {
    this.accounts = null;
    await this.attempt((api) => api.requeue([id], true), this.s.requeuedWithAccounts(id));
    await this.load();
  }

  private renderAccounts(id: string, preview: AccountsPreview) {
    const t = this.s;
    const cancel = html`<button type="button" data-action="cancel-accounts" @click=${() => {
      this.accounts = null;
    }}>${t.cancelAccounts}</button>`;
    if (preview.refused)
      return html`<div data-accounts=${id}>
        <p class="error">${t.accountsRefused(preview.recipient ?? preview.reason)}</p>
        ${cancel}
      </div>`;
    if (preview.changes.length === 0)
      return html`<div data-accounts=${id}><p>${t.accountsUnchanged}</p>${cancel}</div>`;
    return html`<div data-accounts=${id}>
      <p>${t.accountsHeading}</p>
      <ul class="changes">
        ${preview.changes.map((c) => html`<li>${t.accountChange(c.recipient, grouped(c.from), grouped(c.to))}</li>`)}
      </ul>
      ${preview.recordLines > 0 ? html`<p>${t.accountRecords(preview.recordLines)}</p>` : ""}
      <button type="button" class="big" data-action="confirm-accounts" @click=${() => this.requeueWithAccounts(id)}>
        ${t.confirmAccounts}
      </button>
      ${cancel}
    </div>`;
  }

  private async acknowledge(alarm: Alarm): Promise<void> {
    await this.attempt((api) => api.acknowledge(alarm.id, ""), this.s.acknowledged);
    await this.load();
  }

  private renderAlarm(a: Alarm) {
    const t = this.s;
    return html`<li data-alarm=${a.id}>
      <p><strong>${t.alarmKind[a.kind] ?? a.kind}</strong> · ${formatDateTime(a.raisedAt, this.lang)}</p>
      <p>${alarmSummary(a, t, this.lang)}</p>
      <p>${t.alarmAction[a.kind] ?? ""}</p>
      <button type="button" class="big" data-action="acknowledge" @click=${() => this.acknowledge(a)}>
        ${t.acknowledge}
      </button>
    </li>`;
  }

  private renderMessage(m: QueuedMessage) {
    const t = this.s;
    const state = m.state === "failed" ? t.parked : m.waitingFor ? t.waitsFor(m.waitingFor) : t.pending;
    return html`<li data-message=${m.id}>
      <p><code>${m.id}</code> · ${state} · ${t.attempts(m.attempts)}</p>
      ${m.lastError ? html`<p class="error">${t.lastError}: ${m.lastStatus ?? ""} ${m.lastError}</p>` : ""}
      ${
        m.state === "failed"
          ? html`<button type="button" class="big" data-action="requeue" @click=${() => this.requeue(m.id)}>
              ${t.requeue}
            </button>`
          : ""
      }
      ${
        carriesAccounts(m)
          ? html`<button type="button" data-action="accounts" @click=${() => this.showAccounts(m.id)}>
              ${t.requeueWithAccounts}
            </button>`
          : ""
      }
      ${this.accounts?.id === m.id ? this.renderAccounts(m.id, this.accounts.preview) : ""}
    </li>`;
  }

  override render() {
    const t = this.s;
    const alarms = this.alarms ?? [];
    const messages = this.messages ?? [];
    return html`
      <button type="button" @click=${() => this.load()}>${t.refresh}</button>
      <p role="status" data-status="queue" class=${this.status.error ? "error" : ""}>${this.status.text}</p>
      <h3>${t.alarmsHeading}</h3>
      ${alarms.length === 0 ? html`<p>${t.noAlarms}</p>` : html`<ul>${alarms.map((a) => this.renderAlarm(a))}</ul>`}
      <h3>${t.messagesHeading}</h3>
      <p>${t.messagesHelp}</p>
      ${
        messages.length === 0
          ? html`<p>${t.noMessages}</p>`
          : html`<ul>${messages.map((m) => this.renderMessage(m))}</ul>`
      }
    `;
  }
}
customElements.define("service-queue", ServiceQueue);
