/**
 * The technician's console: devices with their state, last error, statistics and a health check each;
 * test print and reader test; terminal diagnosis and end-of-day (confirmed first); today's payments
 * with a reprint each; the out-of-order switch; the log tail. The daemon audits every call.
 */
import { css, html, LitElement, nothing } from "lit";
import type { Language } from "../api.ts";
import { formatMoney } from "../format.ts";
import { type ServiceMessages, serviceMessages } from "../i18n/service.ts";
import { baseStyles } from "../styles.ts";
import {
  type DeviceReport,
  type EndOfDay,
  type Health,
  type OutOfOrder,
  type ScanTest,
  type ServiceApi,
  type ServicePayment,
  ServiceProblem,
  type UnresolvedPayment,
  warsawDay,
} from "./service-api.ts";
import { deviceErrorText } from "./device-error.ts";
import { unresolvedFacts } from "./unresolved-facts.ts";
import "./end-of-day-reconciliation.ts";
import "./service-queue.ts";

export type SectionName = "devices" | "tests" | "terminal" | "payments" | "queue" | "outOfOrder" | "logs";
const SECTIONS: readonly SectionName[] = [
  "devices",
  "tests",
  "terminal",
  "payments",
  "queue",
  "outOfOrder",
  "logs",
];

/** The log tail the console shows. */
const LOG_LINES = 200;
/** The reader test shows only a code's length and start: the code may be a visitor's slip. */
const PREVIEW_CHARS = 12;

type Outcome = { kind: "busy" | "ok" | "error"; text: string };

const LOCALES: Record<Language, string> = { pl: "pl-PL", en: "en-GB", uk: "uk-UA" };

export class ServiceConsole extends LitElement {
  static override properties = {
    lang: { type: String },
    api: { attribute: false },
    section: { state: true },
    devices: { state: true },
    outOfOrder: { state: true },
    outcomes: { state: true },
    endOfDay: { state: true },
    confirmingEndOfDay: { state: true },
    payments: { state: true },
    unresolved: { state: true },
    logLines: { state: true },
    reason: { state: true },
  };
  declare lang: Language;
  declare api: ServiceApi | null;
  declare section: SectionName;
  declare devices: DeviceReport[] | null;
  declare outOfOrder: OutOfOrder | null;
  declare outcomes: Record<string, Outcome>;
  declare endOfDay: EndOfDay | null;
  declare confirmingEndOfDay: boolean;
  declare payments: ServicePayment[] | null;
  declare unresolved: UnresolvedPayment[];
  declare logLines: string[] | null;
  declare reason: string;

  private scanWaiter: ((payload: string) => void) | null = null;

  static override styles = [
    baseStyles,
    css`
      header {
        display: flex;
        flex-wrap: wrap;
        gap: 1rem;
        align-items: baseline;
        justify-content: space-between;
      }
      nav ul {
        list-style: none;
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        padding: 0;
        margin: 0 0 1.2rem;
      }
      nav button[aria-current="true"] {
        background: var(--primary);
        color: var(--primary-fg);
      }
      section {
        border-top: 3px solid var(--border);
        padding-top: 1rem;
      }
      .devices {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr));
        gap: 1rem;
        padding: 0;
        list-style: none;
      }
      .devices > li {
        border: 3px solid var(--border);
        border-radius: 0.5rem;
        padding: 0.8rem;
        background: var(--surface);
        min-width: 0;
        overflow-wrap: anywhere;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0.2rem 0.8rem;
        margin: 0 0 0.8rem;
        font-size: 0.85rem;
      }
      dt {
        font-weight: 700;
      }
      dd {
        margin: 0;
      }
      .ok {
        color: var(--ok);
        font-weight: 700;
      }
      .error {
        color: var(--danger);
        font-weight: 700;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 0.8rem;
      }
      th,
      td {
        text-align: left;
        border-bottom: 2px solid var(--border);
        padding: 0.3rem 0.4rem;
        overflow-wrap: anywhere;
      }
      .table {
        overflow-x: auto;
      }
      pre {
        font-family: "DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono", monospace;
        font-size: 0.55rem;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        max-height: 60vh;
        overflow: auto;
        background: var(--surface);
        border: 3px solid var(--border);
        padding: 0.5rem;
        margin: 0;
      }
      pre:focus-visible {
        outline: 5px solid var(--focus);
        outline-offset: 3px;
      }
      label {
        display: block;
        font-weight: 700;
        margin-bottom: 0.3rem;
      }
      input {
        width: min(30rem, 100%);
      }
      .confirm {
        border: 3px solid var(--danger);
        border-radius: 0.5rem;
        padding: 0.8rem;
        margin-top: 1rem;
      }
    `,
  ];

  constructor() {
    super();
    this.lang = "pl";
    this.api = null;
    this.section = "devices";
    this.devices = null;
    this.outOfOrder = null;
    this.outcomes = {};
    this.endOfDay = null;
    this.confirmingEndOfDay = false;
    this.payments = null;
    this.unresolved = [];
    this.logLines = null;
    this.reason = "";
  }

  private get s(): ServiceMessages {
    return serviceMessages(this.lang);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.show("devices", false);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.scanWaiter = null;
  }

  async focusHeading(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("h1")?.focus();
  }

  /** A code from the keyboard-wedge reader: the answer to a running reader test, else ignored. */
  scanned(payload: string): void {
    this.scanWaiter?.(payload);
  }

  private setOutcome(key: string, outcome: Outcome | null): void {
    const next = { ...this.outcomes };
    if (outcome) next[key] = outcome;
    else delete next[key];
    this.outcomes = next;
  }

  private failure(error: unknown): string {
    if (error instanceof ServiceProblem) return this.s.console.failed(error.code, error.message);
    return this.s.console.failed("UNKNOWN", error instanceof Error ? error.message : String(error));
  }

  /** Runs one call with its status line: busy, then what it gave (or why it failed). */
  private async run<T>(key: string, call: (api: ServiceApi) => Promise<T>, ok: (value: T) => string) {
    const api = this.api;
    if (!api || this.outcomes[key]?.kind === "busy") return;
    this.setOutcome(key, { kind: "busy", text: this.s.console.busy });
    try {
      const value = await call(api);
      this.setOutcome(key, { kind: "ok", text: ok(value) });
    } catch (error) {
      this.setOutcome(key, { kind: "error", text: this.failure(error) });
    }
  }

  private async show(section: SectionName, focus = true): Promise<void> {
    this.section = section;
    if (focus) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>("section h2")?.focus();
    }
    if (section === "devices" || section === "outOfOrder") await this.loadDevices();
    else if (section === "payments") await this.loadPayments();
    else if (section === "logs") await this.loadLogs();
  }

  private async loadDevices(): Promise<void> {
    await this.run(
      "devices",
      async (api) => {
        const { devices, outOfOrder } = await api.devices();
        this.devices = devices;
        this.outOfOrder = outOfOrder;
      },
      () => "",
    );
  }

  private async loadPayments(): Promise<void> {
    await this.run(
      "payments",
      async (api) => {
        this.payments = await api.payments(warsawDay());
        this.unresolved = await api.unresolved();
      },
      () => "",
    );
  }

  private async loadLogs(): Promise<void> {
    await this.run(
      "logs",
      async (api) => {
        this.logLines = await api.logs(LOG_LINES);
      },
      () => "",
    );
  }

  private healthText(health: Health): string {
    const t = this.s.devices;
    return `${health.ok ? t.healthy : t.unhealthy}: ${health.message}`;
  }

  /** A driver's counter in the technician's language; a key the catalogue does not know, as it is. */
  private statisticName(key: string): string {
    const names = this.s.devices.statisticNames;
    const known = names[key];
    if (known) return known;
    const coded = /^(errors|jobs_failed|transactions)_(.+)$/.exec(key);
    const family = coded ? names[coded[1] as string] : undefined;
    return family ? `${family} (${coded?.[2]})` : key;
  }

  private deviceName(name: string): string {
    return this.s.devices.name[name] ?? name;
  }

  private async checkDevice(name: string): Promise<void> {
    await this.run(
      `health:${name}`,
      (api) => api.health(name),
      (h) => this.healthText(h),
    );
    await this.loadDevices();
  }

  private async scannerTest(): Promise<void> {
    const t = this.s.tests;
    // A keyboard-wedge reader types into this page, so its code arrives here, not at the daemon; a
    // serial or HID reader answers through the API. The API call is made either way (it is audited).
    const local = new Promise<ScanTest>((resolve) => {
      this.scanWaiter = (payload) => {
        this.scanWaiter = null;
        resolve({ read: true, length: payload.length, preview: payload.slice(0, PREVIEW_CHARS) });
      };
    });
    await this.run(
      "scanner",
      async (api) => {
        this.setOutcome("scanner", { kind: "busy", text: t.scanNow });
        const result = await Promise.race([local, api.scannerTest()]);
        this.scanWaiter = null;
        return result;
      },
      (r) => (r.read ? t.scanned(r.length, r.preview) : t.nothingScanned),
    );
  }

  private async askEndOfDay(): Promise<void> {
    this.confirmingEndOfDay = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("[data-action=confirm-end-of-day]")?.focus();
  }

  private async runEndOfDay(confirmed: boolean): Promise<void> {
    this.confirmingEndOfDay = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("[data-action=end-of-day]")?.focus();
    if (!confirmed) return;
    this.endOfDay = null;
    await this.run(
      "endOfDay",
      async (api) => {
        this.endOfDay = await api.endOfDay();
      },
      () => this.s.console.done,
    );
  }

  private async reprint(id: string): Promise<void> {
    await this.run(
      `reprint:${id}`,
      (api) => api.reprint(id),
      () => this.s.payments.reprinted(id),
    );
    await this.loadPayments();
  }

  private async setOutOfOrder(on: boolean): Promise<void> {
    const reason = this.reason.trim() || this.s.outOfOrder.defaultReason;
    await this.run(
      "outOfOrder",
      async (api) => {
        this.outOfOrder = await api.setOutOfOrder(on, reason);
      },
      () => this.s.console.done,
    );
  }

  // ---- rendering -----------------------------------------------------------------------------------

  private status(key: string) {
    const outcome = this.outcomes[key];
    return html`<p role="status" data-status=${key} class=${outcome?.kind === "error" ? "error" : ""}>
      ${outcome?.text ?? ""}
    </p>`;
  }

  /** One big console action: its button, then the line where its outcome is announced. */
  private action(name: string, label: string, onClick: () => void, statusKey: string) {
    return html`<div class="actions">
        <button type="button" class="big" data-action=${name} @click=${onClick}>${label}</button>
      </div>
      ${this.status(statusKey)}`;
  }

  private renderDevices() {
    const t = this.s.devices;
    return html`
      <h2 tabindex="-1">${t.heading}</h2>
      <button type="button" @click=${() => this.loadDevices()}>${t.refresh}</button>
      ${this.status("devices")}
      <ul class="devices">
        ${(this.devices ?? []).map((device) => {
          const stats = Object.entries(device.statistics);
          return html`<li data-device=${device.name}>
            <h3>${this.deviceName(device.name)}</h3>
            <dl>
              <dt>${t.state}</dt>
              <dd data-state>${t.states[device.state] ?? device.state}</dd>
              <dt>${t.lastError}</dt>
              <dd>
                ${
                  device.lastError
                    ? deviceErrorText(device.lastError, t.errorNames, this.time(device.lastError.at))
                    : t.noError
                }
              </dd>
              <dt>${t.statistics}</dt>
              <dd>${stats.length ? stats.map(([k, v]) => `${this.statisticName(k)}: ${v}`).join(", ") : t.noStatistics}</dd>
            </dl>
            <button type="button" data-check=${device.name} @click=${() => this.checkDevice(device.name)}>
              ${t.check(this.deviceName(device.name))}
            </button>
            ${this.status(`health:${device.name}`)}
          </li>`;
        })}
      </ul>
    `;
  }

  private renderTests() {
    const t = this.s.tests;
    return html`
      <h2 tabindex="-1">${t.heading}</h2>
      ${this.action(
        "test-print",
        t.testPrint,
        () =>
          this.run(
            "testPrint",
            (api) => api.testPrint(),
            () => t.printed,
          ),
        "testPrint",
      )}
      ${this.action("scanner-test", t.scannerTest, () => this.scannerTest(), "scanner")}
    `;
  }

  private renderTerminal() {
    const t = this.s.terminal;
    const eod = this.endOfDay;
    return html`
      <h2 tabindex="-1">${t.heading}</h2>
      ${this.action(
        "diagnosis",
        t.diagnosis,
        () =>
          this.run(
            "diagnosis",
            (api) => api.terminalDiagnosis(),
            (h) => this.healthText(h),
          ),
        "diagnosis",
      )}
      <div class="actions">
        <button type="button" class="big" data-action="end-of-day" @click=${() => this.askEndOfDay()}>
          ${t.endOfDay}
        </button>
      </div>
      ${
        this.confirmingEndOfDay
          ? html`<div class="confirm" role="group" aria-labelledby="eod-question">
              <p id="eod-question">${t.confirmEndOfDay}</p>
              <div class="actions">
                <button
                  type="button"
                  class="primary"
                  data-action="confirm-end-of-day"
                  @click=${() => this.runEndOfDay(true)}
                >
                  ${t.confirm}
                </button>
                <button type="button" @click=${() => this.runEndOfDay(false)}>${t.cancel}</button>
              </div>
            </div>`
          : nothing
      }
      ${this.status("endOfDay")}
      ${
        eod
          ? html`<h3>${t.totals}</h3>
              <dl data-end-of-day>
                <dt>${t.count}</dt>
                <dd>${eod.count}</dd>
                <dt>${t.total}</dt>
                <dd class="amount">${formatMoney(eod.total, this.lang)}</dd>
                ${eod.traceNumber ? html`<dt>${t.trace}</dt><dd>${eod.traceNumber}</dd>` : nothing}
                ${Object.entries(eod.perBrand).map(
                  ([brand, v]) =>
                    html`<dt>${t.brand}: ${brand}</dt><dd>${v.count} × · <span class="amount">${formatMoney(v.total, this.lang)}</span></dd>`,
                )}
              </dl>
              <end-of-day-reconciliation
                lang=${this.lang}
                .reconciliation=${eod.reconciliation}
              ></end-of-day-reconciliation>`
          : nothing
      }
    `;
  }

  private time(iso: string | null): string {
    if (!iso) return "–";
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(LOCALES[this.lang], {
      timeStyle: "medium",
      timeZone: "Europe/Warsaw",
    }).format(date);
  }

  /** Staff's verdict on a payment the terminal could not prove, with what its journal shows. */
  private async resolve(id: string, verdict: "charged" | "not_charged"): Promise<void> {
    const field = (name: string) =>
      this.renderRoot
        .querySelector<HTMLInputElement>(`[data-unresolved="${id}"] [name=${name}]`)
        ?.value.trim() ?? "";
    // One status line outside the list: the resolved payment's card leaves the list, its outcome must not.
    await this.run(
      "resolve",
      async (api) => {
        await api.resolve(id, verdict, field("note"), field("receiptNo"));
        this.unresolved = await api.unresolved();
      },
      () => this.s.payments.resolved(id),
    );
  }

  private renderUnresolved() {
    const t = this.s.payments;
    if (!this.unresolved?.length) return nothing;
    return html`<section aria-labelledby="unresolved-heading" data-unresolved-list>
      <h3 id="unresolved-heading">${t.unresolvedHeading}</h3>
      <p>${t.unresolvedIntro}</p>
      ${this.unresolved.map(
        (p) => html`<fieldset data-unresolved=${p.id}>
          <legend>${p.id} · <span class="amount">${formatMoney(p.total, this.lang)}</span></legend>
          ${unresolvedFacts(p, t, this.lang).map((fact) => html`<p>${fact}</p>`)}
          <label>${t.note} <input name="note" required minlength="3" maxlength="300" /></label>
          <label>${t.receiptNo} <input name="receiptNo" inputmode="numeric" pattern="[0-9]{1,6}" /></label>
          <div class="actions">
            <button type="button" @click=${() => this.resolve(p.id, "charged")}>${t.charged}</button>
            <button type="button" @click=${() => this.resolve(p.id, "not_charged")}>${t.notCharged}</button>
          </div>
        </fieldset>`,
      )}
    </section>`;
  }

  private renderPayments() {
    const t = this.s.payments;
    const payments = this.payments ?? [];
    return html`
      <h2 tabindex="-1">${t.heading}</h2>
      ${this.renderUnresolved()}
      ${this.status("resolve")}
      <button type="button" @click=${() => this.loadPayments()}>${t.refresh}</button>
      ${this.status("payments")}
      ${
        this.payments !== null && payments.length === 0
          ? html`<p>${t.none}</p>`
          : html`<div class="table">
              <table>
                <thead>
                  <tr>
                    <th scope="col">${t.id}</th>
                    <th scope="col">${t.time}</th>
                    <th scope="col">${t.amount}</th>
                    <th scope="col">${t.status}</th>
                    <th scope="col">${t.receipt}</th>
                  </tr>
                </thead>
                <tbody>
                  ${payments.map(
                    (p) => html`<tr data-payment=${p.id}>
                      <td>${p.id}</td>
                      <td>${this.time(p.paidAt)}</td>
                      <td class="amount">${formatMoney(p.total, this.lang)}</td>
                      <td data-status-of=${p.id}>${t.statuses[p.status] ?? p.status}</td>
                      <td>
                        ${p.paidAt ? (p.receiptPrinted ? t.printed : t.notPrinted) : "–"}
                        ${
                          p.paidAt
                            ? html`<button
                                type="button"
                                data-reprint=${p.id}
                                aria-label=${t.reprintOf(p.id)}
                                @click=${() => this.reprint(p.id)}
                              >
                                ${t.reprint}
                              </button>`
                            : nothing
                        }
                      </td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      ${payments.map((p) => (this.outcomes[`reprint:${p.id}`] ? this.status(`reprint:${p.id}`) : nothing))}
    `;
  }

  private renderOutOfOrder() {
    const t = this.s.outOfOrder;
    const state = this.outOfOrder;
    return html`
      <h2 tabindex="-1">${t.heading}</h2>
      <p data-out-of-order=${state ? String(state.on) : ""}>
        ${state ? (state.on ? t.isOn(state.reason ?? "") : t.isOff) : ""}
      </p>
      <label for="reason">${t.reason}</label>
      <input
        id="reason"
        maxlength="200"
        autocomplete="off"
        placeholder=${t.defaultReason}
        .value=${this.reason}
        @input=${(e: Event) => {
          this.reason = (e.target as HTMLInputElement).value;
        }}
      />
      <div class="actions">
        <button type="button" class="big" data-action="out-of-order-on" @click=${() => this.setOutOfOrder(true)}>
          ${t.switchOn}
        </button>
        <button type="button" class="big" data-action="out-of-order-off" @click=${() => this.setOutOfOrder(false)}>
          ${t.switchOff}
        </button>
      </div>
      ${this.status("outOfOrder")}
    `;
  }

  private renderLogs() {
    const t = this.s.logs;
    const lines = this.logLines ?? [];
    return html`
      <h2 tabindex="-1" id="logs-heading">${t.heading}</h2>
      <button type="button" @click=${() => this.loadLogs()}>${t.refresh}</button>
      ${this.status("logs")}
      ${
        this.logLines !== null && lines.length === 0
          ? html`<p>${t.empty}</p>`
          : html`<pre tabindex="0" role="region" aria-label=${t.label} data-log>${lines.join("\n")}</pre>`
      }
    `;
  }

  private renderSection() {
    switch (this.section) {
      case "devices":
        return this.renderDevices();
      case "tests":
        return this.renderTests();
      case "terminal":
        return this.renderTerminal();
      case "payments":
        return this.renderPayments();
      case "queue":
        return html`<h2 tabindex="-1">${this.s.queue.heading}</h2>
          <service-queue .api=${this.api} lang=${this.lang}></service-queue>`;
      case "outOfOrder":
        return this.renderOutOfOrder();
      case "logs":
        return this.renderLogs();
    }
  }

  private sectionTitle(section: SectionName): string {
    const s = this.s;
    switch (section) {
      case "devices":
        return s.devices.heading;
      case "tests":
        return s.tests.heading;
      case "terminal":
        return s.terminal.heading;
      case "payments":
        return s.payments.heading;
      case "queue":
        return s.queue.heading;
      case "outOfOrder":
        return s.outOfOrder.heading;
      case "logs":
        return s.logs.heading;
    }
  }

  override render() {
    const s = this.s;
    return html`
      <header>
        <h1 tabindex="-1">${s.title}</h1>
        <button type="button" class="big" data-action="logout" @click=${() =>
          this.dispatchEvent(new CustomEvent("service-logout", { bubbles: true, composed: true }))}>
          ${s.console.logout}
        </button>
      </header>
      <nav aria-label=${s.console.sections}>
        <ul>
          ${SECTIONS.map(
            (section) => html`<li>
              <button
                type="button"
                data-section=${section}
                aria-current=${this.section === section ? "true" : "false"}
                @click=${() => this.show(section)}
              >
                ${this.sectionTitle(section)}
              </button>
            </li>`,
          )}
        </ul>
      </nav>
      <section data-section=${this.section}>${this.renderSection()}</section>
    `;
  }
}
customElements.define("service-console", ServiceConsole);
