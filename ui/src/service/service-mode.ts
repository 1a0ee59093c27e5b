/**
 * Service mode, loaded only when a technician asks for it: the login (service PIN on the kiosk keypad,
 * or the physical service key) and then the console. The token stays in memory; leaving service mode,
 * closing the page or 15 idle minutes log out, and any 401 brings the login back.
 */
import { css, html } from "lit";
import "../components/keypad-dialog.ts";
import type { KeypadDialog, KeypadResult } from "../components/keypad-dialog.ts";
import { type ServiceMessages, serviceMessages } from "../i18n/service.ts";
import { Screen } from "../screens/screen.ts";
import { screenLayout } from "../layout/screen-layout.ts";
import { baseStyles } from "../styles.ts";
import "./service-console.ts";
import type { ServiceConsole } from "./service-console.ts";
import { ServiceApi, ServiceProblem } from "./service-api.ts";

/** How service mode was entered: by a person (F9, long press) or by the turned service key. */
export type ServiceEntry = "manual" | "key";

export const SERVICE_EXIT_EVENT = "service-exit";

const IDLE_CHECK_MS = 5_000;
/** A login screen nobody uses goes back to the visitor's start screen (a visitor may have stumbled in). */
export const LOGIN_IDLE_MS = 30_000;

export class ServiceMode extends Screen {
  static override properties = {
    ...Screen.properties,
    entry: { type: String },
    keyTurned: { type: Boolean },
    loggedIn: { state: true },
    loginError: { state: true },
    notice: { state: true },
    pending: { state: true },
  };
  declare entry: ServiceEntry;
  declare keyTurned: boolean;
  declare loggedIn: boolean;
  declare loginError: string;
  declare notice: string;
  declare pending: boolean;

  readonly api = new ServiceApi();
  private method: "pin" | "key" | null = null;
  private idleMs = 15 * 60_000;
  private lastActivity = Date.now();
  private idleTimer: number | undefined;
  private opened = false;
  private readonly onActivity = () => {
    this.lastActivity = Date.now();
  };
  private readonly onPageHide = () => void this.api.logout();

  static override styles = [
    baseStyles,
    screenLayout,
    css`
      .help {
        border-left: 0.4rem solid var(--border);
        padding: 0.4em 0.8em;
        background: var(--surface);
      }
      .error {
        color: var(--danger);
        font-weight: 700;
      }
    `,
  ];

  constructor() {
    super();
    this.entry = "manual";
    this.keyTurned = false;
    this.loggedIn = false;
    this.loginError = "";
    this.notice = "";
    this.pending = false;
    this.api.onUnauthorized = () => {
      this.loggedIn = false;
      this.method = null;
      this.notice = this.s.console.sessionExpired;
      void this.focusHeading();
    };
  }

  private get s(): ServiceMessages {
    return serviceMessages(this.lang);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener("pointerdown", this.onActivity, { capture: true });
    this.addEventListener("keydown", this.onActivity, { capture: true });
    window.addEventListener("pagehide", this.onPageHide);
    this.idleTimer = window.setInterval(() => this.checkIdle(), IDLE_CHECK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener("pointerdown", this.onActivity, { capture: true });
    this.removeEventListener("keydown", this.onActivity, { capture: true });
    window.removeEventListener("pagehide", this.onPageHide);
    window.clearInterval(this.idleTimer);
    void this.api.logout();
  }

  protected override firstUpdated(): void {
    void this.focusHeading();
    // A person who pressed F9 or held the office name came to type the PIN.
    if (this.entry === "manual" && !this.opened) {
      this.opened = true;
      void this.openKeypad();
    }
  }

  protected override updated(changed: Map<string, unknown>): void {
    // The key turned back: a key login ends with it, and a key-started login screen goes away.
    if (changed.has("keyTurned") && changed.get("keyTurned") === true && !this.keyTurned) {
      if (this.method === "key" || (!this.loggedIn && this.entry === "key")) void this.exit();
    }
  }

  /** A code the keyboard-wedge reader typed while service mode is up (never a visitor's payment). */
  scan(payload: string): void {
    this.renderRoot.querySelector<ServiceConsole>("service-console")?.scanned(payload);
  }

  override async focusHeading(): Promise<void> {
    await this.updateComplete;
    const console = this.renderRoot.querySelector<ServiceConsole>("service-console");
    if (console) await console.focusHeading();
    else this.renderRoot.querySelector<HTMLElement>("h1")?.focus();
  }

  private checkIdle(): void {
    if (!this.loggedIn) {
      // The key-started login stays while the key is turned; one opened by hand does not wait for anyone.
      const keyHeld = this.entry === "key" && this.keyTurned;
      if (!keyHeld && !this.pending && Date.now() - this.lastActivity >= LOGIN_IDLE_MS) void this.exit();
      return;
    }
    if (Date.now() - this.lastActivity < this.idleMs) return;
    void this.api.logout();
    this.loggedIn = false;
    this.method = null;
    this.notice = this.s.console.loggedOutIdle;
    void this.focusHeading();
  }

  private keypad(): KeypadDialog | null {
    return this.renderRoot.querySelector("keypad-dialog");
  }

  private async openKeypad(error = ""): Promise<void> {
    await this.updateComplete;
    const t = this.s.login;
    await this.keypad()?.open({ mode: "pin", heading: `${t.pinTitle}. ${t.staffOnly}`, initial: "", error });
  }

  private async login(method: "pin" | "key", pin = ""): Promise<void> {
    if (this.pending) return;
    this.pending = true;
    this.loginError = "";
    this.notice = "";
    try {
      const result = method === "key" ? await this.api.loginWithKey() : await this.api.loginWithPin(pin);
      this.idleMs = result.idleTimeoutSeconds * 1000;
      this.lastActivity = Date.now();
      this.method = method;
      this.loggedIn = true;
      await this.focusHeading();
    } catch (error) {
      this.loginError = this.loginErrorText(method, error);
      if (method === "pin" && !(error instanceof ServiceProblem && error.status === 429)) {
        await this.openKeypad(this.loginError);
      } else {
        this.renderRoot.querySelector<HTMLElement>("[data-action=pin]")?.focus();
      }
    } finally {
      this.pending = false;
    }
  }

  private loginErrorText(method: "pin" | "key", error: unknown): string {
    const t = this.s.login;
    if (!(error instanceof ServiceProblem)) return t.failed;
    if (error.status === 429) return t.locked(error.retryAfterSeconds ?? 300);
    if (error.status === 401) return method === "key" ? t.keyNotTurned : t.wrongPin;
    return `${t.failed} (${error.code})`;
  }

  private onKeypadDone(event: CustomEvent<KeypadResult>): void {
    event.stopPropagation();
    const result = event.detail;
    if (result.mode === "pin") void this.login("pin", result.text);
  }

  private onKeypadCancel(event: Event): void {
    event.stopPropagation();
    this.renderRoot.querySelector<HTMLElement>("[data-action=pin]")?.focus();
  }

  /** Logs out (when logged in) and hands the screen back to the visitor app. */
  async exit(): Promise<void> {
    this.loggedIn = false;
    this.method = null;
    await this.api.logout();
    this.dispatchEvent(new CustomEvent(SERVICE_EXIT_EVENT, { bubbles: true, composed: true }));
  }

  /**
   * The login in the public-terminal layout, as a visitor's screen: the words at the top, the buttons
   * within reach at the foot, the main one (the PIN pad, or the key when it is turned) bottom right.
   */
  private renderLogin() {
    const t = this.s.login;
    return html`
      <div class="info zone">
        <h1 tabindex="-1">${t.heading}</h1>
        <div class="more">
        <p class="alert" data-staff-only>${t.staffOnly}</p>
        <p class="help">${t.help}</p>
        <div role="status">${this.notice ? html`<p class="alert">${this.notice}</p>` : null}</div>
        <p class="error" role="alert" data-login-error>${this.loginError}</p>
        ${this.keyTurned ? html`<p>${t.keyTurned}</p>` : null}
        <p class="muted" role="status">${this.pending ? t.loggingIn : ""}</p>
        </div>
      </div>
      <div class="actions">
        ${
          this.keyTurned
            ? html`<button type="button" class="primary big" data-action="key" @click=${() => this.login("key")}>
                ${t.keyLogin}
              </button>`
            : null
        }
        <button type="button" class="big ${this.keyTurned ? "" : "primary"}" data-action="pin" @click=${() => this.openKeypad()}>
          ${t.enterPin}
        </button>
        <button type="button" class="big" data-action="back" @click=${() => this.exit()}>${t.back}</button>
      </div>
      <keypad-dialog
        lang=${this.lang}
        @keypad-done=${(e: CustomEvent<KeypadResult>) => this.onKeypadDone(e)}
        @keypad-cancel=${(e: Event) => this.onKeypadCancel(e)}
      ></keypad-dialog>
    `;
  }

  override render() {
    if (!this.loggedIn) return this.renderLogin();
    return html`<service-console
      lang=${this.lang}
      .api=${this.api}
      @service-logout=${() => this.exit()}
    ></service-console>`;
  }
}
customElements.define("service-mode", ServiceMode);
