/**
 * The cash-desk screen (SPEC §10), for a clerk with a keyboard, a hand scanner and a mouse or touch:
 * shift open, a basket that takes scans continuously (the scan field keeps the focus, so a
 * keyboard-wedge reader types into it and its Enter adds the slip), services by code or name with
 * quantity, amount and reference, the total, pay by card, the terminal's messages, the outcome,
 * reprint, void of a payment of this shift (PIN and reason), and shift close with its report.
 */
import { html, LitElement, type PropertyValues, type TemplateResult } from "lit";
import { inProgress } from "../../../contracts/session-states.ts";
import {
  ApiProblem,
  type Catalog,
  type CatalogItem,
  type FieldProblem,
  type Language,
  LANGUAGES,
  type Session,
  type SessionLine,
  slipIdOf,
  textOf,
} from "../api.ts";
import { formatDateTime, formatMoney, formatQuantity, parseAmountInput } from "../format.ts";
import { type DeskMessages, deskMessages } from "../i18n/desk.ts";
import { type DeskAdvice, type DeskDeviceProblem, deskAdvice } from "../i18n/desk-advice.ts";
import { errorText, LANGUAGE_NAMES } from "../i18n/index.ts";
import { StreamOrder } from "../stream-order.ts";
import { baseStyles } from "../styles.ts";
import { tableStyles } from "../screens/summary-screen.ts";
import type { ClosedShiftPage } from "../../../contracts/desk-shifts.ts";
import {
  closedShifts,
  deskApi,
  forgetToken,
  type ShiftInfo,
  reportPdfs,
  type ShiftReport,
  storedToken,
  subscribeDesk,
} from "./desk-api.ts";
import { deskStyles } from "./desk-styles.ts";
import { reportView } from "./report-view.ts";

/** What the cashier was doing when a call was refused: it decides the words of the refusal. */
type DeskAction = "login" | "void" | "close" | "closedPdf" | "pay" | "reprint" | "scan" | "service" | "other";

/**
 * A refusal as the cashier reads it: what happened (the alert's first line), what to do about it
 * (under it, in the same alert so a screen reader says both), and, for a slip paid on this desk,
 * the slip's code so a copy of its confirmation can be printed.
 */
interface DeskProblem {
  title: string;
  advice: string;
  copyOf?: string;
}

const NO_PROBLEM: DeskProblem = { title: "", advice: "" };

/**
 * The language the cashier last chose at this desk's browser: a desk is one person's working screen for
 * a shift, unlike the kiosk, whose next visitor must start in the office's language. Kept in
 * localStorage, so a reload or a restarted browser does not switch the desk back to Polish.
 */
const LANGUAGE_KEY = "oplatomat.desk.language";

function rememberedLanguage(): Language {
  try {
    const stored = localStorage.getItem(LANGUAGE_KEY);
    return LANGUAGES.find((l) => l === stored) ?? "pl";
  } catch {
    return "pl";
  }
}

/** Closed shifts listed at a time on the desk. */
const HISTORY_PAGE = 10;

/** The device behind a DEVICE_UNAVAILABLE or PRINTER_UNAVAILABLE refusal, by what was asked of it. */
function deviceProblem(code: string, action: DeskAction): DeskDeviceProblem | null {
  if (code !== "DEVICE_UNAVAILABLE" && code !== "PRINTER_UNAVAILABLE") return null;
  if (action === "reprint") return "copy";
  if (action === "void") return "void";
  if (action === "close") return "endOfDay";
  if (action === "pay") return code === "PRINTER_UNAVAILABLE" ? "printer" : "terminal";
  return "outOfOrder";
}

export class CashDesk extends LitElement {
  static override properties = {
    lang: { state: true },
    shift: { state: true },
    session: { state: true },
    catalog: { state: true },
    message: { state: true },
    problem: { state: true },
    voiding: { state: true },
    report: { state: true },
    closedToken: { state: true },
    history: { state: true },
    endOfDayChoice: { state: true },
    closeProblem: { state: true },
  };
  static override styles = [baseStyles, tableStyles, deskStyles];

  declare lang: Language;
  declare shift: ShiftInfo | null;
  declare session: Session | null;
  declare catalog: Catalog | null;
  declare message: string;
  declare problem: DeskProblem;
  declare voiding: string | null;
  declare report: ShiftReport | null;
  /** The closed shift's own token, in memory only: it fetches that shift's report PDF for 30 minutes. */
  declare closedToken: string | null;
  /** The page of the cashier's own closed shifts on screen, once asked for. */
  declare history: ClosedShiftPage | null;
  /** The close confirmation's answer to "the day's last shift?": none until the cashier gives one. */
  declare endOfDayChoice: "yes" | "no" | null;
  /** What the close confirmation says when the cashier confirmed without answering. */
  declare closeProblem: string;
  private unsubscribe: (() => void) | null = null;
  /** Whether a call's answer is newer than what the event stream delivered meanwhile. */
  private readonly order = new StreamOrder();
  /** The session and language last asked of the daemon, so one switch is asked for once. */
  private languageAsked = "";

  constructor() {
    super();
    this.lang = rememberedLanguage();
    this.shift = null;
    this.session = null;
    this.catalog = null;
    this.message = "";
    this.problem = NO_PROBLEM;
    this.voiding = null;
    this.report = null;
    this.closedToken = null;
    this.history = null;
    this.endOfDayChoice = null;
    this.closeProblem = "";
  }

  private get t(): DeskMessages {
    return deskMessages(this.lang);
  }

  private get advice(): DeskAdvice {
    return deskAdvice(this.lang);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (storedToken()) void this.resume();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  /** A reload keeps the shift while its token is still good. */
  private async resume(): Promise<void> {
    try {
      await this.start();
    } catch {
      forgetToken();
      this.shift = null;
    }
  }

  private async start(): Promise<void> {
    this.shift = await deskApi.shift();
    await this.answer(deskApi.session);
    this.catalog = await deskApi.catalog().catch(() => null);
    this.unsubscribe?.();
    this.unsubscribe = subscribeDesk((s) => {
      this.order.onEvent();
      this.session = s;
      if (s.state === "done" || s.state === "cancelled") void this.refreshShift();
    });
    await this.updateComplete;
    this.focusScan();
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has("session") || changed.has("lang")) this.followLanguage();
  }

  /**
   * The lines', the fee's and the terminal's words come from the daemon in the session's language
   * (SPEC §4 `language`), the desk's own from this page's. As on the kiosk (app.ts ensureLanguage),
   * the page's language wins: the session is switched to it, and so is an idle desk, so the next
   * basket starts in it (after each basket the daemon goes back to its first language).
   */
  private followLanguage(): void {
    const s = this.session;
    if (!this.shift || !s) return;
    if (s.language === this.lang) {
      this.languageAsked = "";
      return;
    }
    const key = `${s.id ?? ""}:${this.lang}`;
    if (this.languageAsked === key) return;
    this.languageAsked = key;
    const lang = this.lang;
    // A refusal (no shift any more, a language the desk does not offer) leaves the labels as they are.
    void this.answer(() => deskApi.language(lang)).catch(() => undefined);
  }

  private async refreshShift(): Promise<void> {
    this.shift = await deskApi.shift().catch(() => this.shift);
  }

  private focusScan(): void {
    this.renderRoot.querySelector<HTMLInputElement>("#scan")?.focus();
  }

  /** Shows the session a call answered, unless the event stream brought a newer one (stream-order.ts). */
  private async answer(call: () => Promise<Session>): Promise<void> {
    const mark = this.order.mark();
    const session = await call();
    if (this.order.answerIsNewest(mark)) this.session = session;
  }

  private chooseLanguage(lang: Language): void {
    this.lang = lang;
    try {
      localStorage.setItem(LANGUAGE_KEY, lang);
    } catch {
      // Storage off (a locked-down browser profile): the choice lasts until the page is reloaded.
    }
  }

  /** Runs a call; a refusal is shown in the cashier's language, nothing else changes. */
  private async attempt(
    fn: () => Promise<unknown>,
    done = "",
    action: DeskAction = "other",
    payload = "",
  ): Promise<boolean> {
    this.problem = NO_PROBLEM;
    this.message = "";
    try {
      await fn();
      this.message = done;
      return true;
    } catch (e) {
      this.problem = this.describe(e, action, payload);
      return false;
    }
  }

  /**
   * A refusal in the cashier's language: no error code, no English sentence of the daemon's. Slip
   * and device refusals carry the desk's own advice (the kiosk's "what to do" speaks to a visitor).
   */
  private describe(e: unknown, action: DeskAction, payload = ""): DeskProblem {
    const p = this.t.problems;
    const only = (title: string): DeskProblem => ({ title, advice: "" });
    if (!(e instanceof ApiProblem)) return only(p.offline);
    const { code, status, paid } = e.problem;
    if (code === "UNAUTHORIZED") {
      if (status === 429) return only(p.lockedOut);
      if (action === "closedPdf") return only(p.pdfExpired);
      return only(action === "login" || action === "void" ? p.wrongPin : p.noShift);
    }
    // A slip scanned twice into one basket is refused as paid, without the details of a payment; so
    // is a slip the office system holds as paid (paid elsewhere): only the basket tells them apart.
    if (code === "SLIP_ALREADY_PAID" && !paid && this.inBasket(payload)) return only(p.inBasket);
    if (action === "close" && code === "CONFLICT") return only(p.closeRefused);
    if (action === "service" && code === "VALIDATION") {
      const worded = this.serviceRefusal(e.problem.errors ?? [], payload);
      if (worded) return only(worded);
    }
    if (action === "void") {
      if (code === "VALIDATION") return only(p.voidIncomplete);
      if (code === "NOT_FOUND") return only(p.voidNotFound);
      if (code === "CONFLICT") return only(p.voidRefused);
    }
    const a = this.advice;
    const device = deviceProblem(code, action);
    if (device) {
      const shown = { title: a.device[device].title, advice: a.device[device].todo };
      // A copy the printer refused can be asked for again once it is ready.
      return device === "copy" && payload ? { ...shown, copyOf: payload } : shown;
    }
    const title = errorText(this.lang, code).title;
    if (code === "SLIP_ALREADY_PAID" && paid) {
      const when = a.paidWhen(
        formatDateTime(paid.paidAt, this.lang),
        paid.kiosk,
        formatMoney(paid.total, this.lang),
      );
      // SPEC §1a: `reprint` is true on the device that took the payment, for 30 days.
      if (paid.reprint && payload) return { title, advice: `${when} ${a.paidCopy}`, copyOf: payload };
      return { title, advice: `${when} ${a.slip.SLIP_ALREADY_PAID}` };
    }
    if (code in a.slip) return { title, advice: a.slip[code as keyof DeskAdvice["slip"]] };
    return only(title);
  }

  /** Whether a scanned slip's id (SPEC §1 field 3) is one of the open basket's slips. */
  private inBasket(payload: string): boolean {
    const slip = slipIdOf(payload);
    return slip !== undefined && (this.session?.slips ?? []).some((s) => s.id === slip);
  }

  private async onCopy(payload: string): Promise<void> {
    await this.attempt(() => deskApi.reprintSlip(payload), this.advice.copyPrinted, "reprint", payload);
    this.focusScan();
  }

  private async onLogin(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    await this.attempt(
      async () => {
        await deskApi.open(String(form.get("cashier") ?? "").trim(), String(form.get("pin") ?? ""));
        this.report = null;
        this.closedToken = null;
        this.history = null;
        this.endOfDayChoice = null;
        await this.start();
      },
      "",
      "login",
    );
  }

  private async onScan(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>("#scan");
    const payload = input?.value.trim() ?? "";
    if (!input || payload === "") return;
    input.value = "";
    await this.attempt(() => this.answer(() => deskApi.scan(payload)), "", "scan", payload);
    this.focusScan();
  }

  private findService(text: string): CatalogItem | undefined {
    const wanted = text.trim().toLowerCase();
    const items = this.catalog?.items ?? [];
    return (
      items.find((i) => i.code.toLowerCase() === wanted) ??
      items.find((i) => `${i.code} — ${textOf(i.label, this.lang)}`.toLowerCase() === wanted) ??
      items.find((i) => textOf(i.label, this.lang).toLowerCase() === wanted)
    );
  }

  private async onService(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const form = new FormData(formElement);
    const item = this.findService(String(form.get("service") ?? ""));
    if (!item) {
      this.problem = { title: this.t.service.unknown, advice: "" };
      return;
    }
    const request: { code: string; quantity?: number; amount?: number; reference?: string } = {
      code: item.code,
    };
    if (item.variable) {
      const amount = parseAmountInput(String(form.get("amount") ?? ""));
      if (amount === null) {
        this.problem = { title: this.t.service.badAmount, advice: "" };
        return;
      }
      request.amount = amount;
    } else {
      request.quantity = Number(form.get("quantity") ?? 1) || 1;
    }
    const reference = String(form.get("reference") ?? "").trim();
    if (reference) request.reference = reference;
    const ok = await this.attempt(
      () =>
        this.answer(() =>
          this.session?.state === "summary" ? deskApi.addServices([request]) : deskApi.basket([request]),
        ),
      "",
      "service",
      item.code,
    );
    if (ok) formElement.reset();
  }

  /**
   * The daemon's refusal of a price-list service (its 422 lists each refused field with its rule and
   * bounds, kiosk/domain/basket.ts), said with what to change: an amount outside the service's range,
   * a missing reference it requires (by the office's name for it), more than its maximum quantity in
   * the basket (an added service joins its line, so the line's quantity counts too). The rules are the
   * daemon's; the desk only words them. Null for a refusal the desk has no words of its own for.
   */
  private serviceRefusal(errors: readonly FieldProblem[], code: string): string | null {
    const t = this.t.service;
    const find = (field: string, rule: string) => errors.find((e) => e.field === field && e.rule === rule);
    const range = find("amount", "range");
    if (range?.min !== undefined && range.max !== undefined)
      return t.amountRange(formatMoney(range.min, this.lang), formatMoney(range.max, this.lang));
    if (find("reference", "required")) {
      const item = this.catalog?.items.find((i) => i.code === code);
      const what = item?.referenceLabel ? textOf(item.referenceLabel, this.lang) : t.reference;
      return t.needsReference(what, t.reference);
    }
    const quantity = find("quantity", "range");
    if (quantity?.max !== undefined) return t.tooMany(quantity.max);
    return null;
  }

  private async onVoid(event: SubmitEvent, id: string): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const ok = await this.attempt(
      () => deskApi.voidPayment(id, String(form.get("pin") ?? ""), String(form.get("reason") ?? "").trim()),
      this.t.voidForm.done,
      "void",
    );
    if (ok) {
      this.voiding = null;
      await this.refreshShift();
    }
  }

  private get closeDialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector<HTMLDialogElement>("#close-dialog");
  }

  /**
   * The close confirmation: the shift's figures as they are now, and whether it is the day's last
   * shift. With a scheduled end of day the answer starts at "no" (the terminal closes the day by
   * itself then); without one it starts unanswered, so the day's end is never closed, or left open, by
   * a click that did not mean it.
   */
  private async openCloseDialog(): Promise<void> {
    await this.refreshShift();
    if (this.endOfDayChoice === null && this.shift?.closing?.scheduledEndOfDay) this.endOfDayChoice = "no";
    this.closeProblem = "";
    await this.updateComplete;
    const dialog = this.closeDialog;
    if (!dialog || dialog.open) return;
    dialog.showModal();
    const chosen = this.renderRoot.querySelector<HTMLInputElement>(
      "#close-dialog input[name=endOfDay]:checked",
    );
    (
      chosen ?? this.renderRoot.querySelector<HTMLInputElement>("#close-dialog input[name=endOfDay]")
    )?.focus();
  }

  /** Escape, "back" or a finished close: the focus goes back where the cashier was, or to the report. */
  private onCloseDialogClosed(): void {
    if (this.shift) this.renderRoot.querySelector<HTMLButtonElement>("#close-open")?.focus();
  }

  private async onClose(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const choice = this.endOfDayChoice;
    if (choice === null) {
      this.closeProblem = this.t.close.unanswered;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>("#close-dialog input[name=endOfDay]")?.focus();
      return;
    }
    // The refusals (a basket open, the terminal's end of day failed) are said in the desk's alert.
    this.closeDialog?.close();
    const token = storedToken();
    const closed = await this.attempt(
      async () => {
        this.report = await deskApi.close(choice === "yes");
        this.closedToken = token;
        this.unsubscribe?.();
        this.unsubscribe = null;
        forgetToken();
        this.shift = null;
        this.session = null;
        this.history = null;
        this.endOfDayChoice = null;
      },
      "",
      "close",
    );
    if (closed) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>("#report-heading")?.focus();
    }
  }

  override render(): TemplateResult {
    const t = this.t;
    return html`
      <header>
        <h1>${t.title}</h1>
        ${this.shift ? html`<p>${t.shift(this.shift.cashier.name, this.shift.id)}</p>` : null}
        <label>
          ${t.language}
          <select @change=${(e: Event) => this.chooseLanguage((e.target as HTMLSelectElement).value as Language)}>
            ${LANGUAGES.map((l) => html`<option value=${l} ?selected=${l === this.lang}>${LANGUAGE_NAMES[l]}</option>`)}
          </select>
        </label>
      </header>
      <main>
        <div role="alert" class="alert">
          <p class="problem">${this.problem.title}</p>
          ${this.problem.advice ? html`<p class="advice">${this.problem.advice}</p>` : null}
        </div>
        ${
          this.problem.copyOf
            ? html`<button class="copy" @click=${() => this.onCopy(this.problem.copyOf ?? "")}>${this.advice.copy}</button>`
            : null
        }
        <div role="status" class="message">${this.message}</div>
        ${this.report ? reportView(this.report, t, this.lang, this.closedPdf(this.report)) : null}
        ${this.shift ? this.deskView() : this.loginView()}
      </main>
    `;
  }

  private loginView(): TemplateResult {
    const t = this.t.login;
    return html`<section aria-labelledby="login-heading">
      <h2 id="login-heading">${t.heading}</h2>
      <form @submit=${(e: SubmitEvent) => this.onLogin(e)}>
        <label for="cashier">${t.cashier}</label>
        <input id="cashier" name="cashier" autocomplete="username" required maxlength="32" />
        <label for="pin">${t.pin}</label>
        <input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="current-password" required pattern="[0-9]{6,12}" />
        <button class="primary" type="submit">${t.open}</button>
      </form>
    </section>`;
  }

  private deskView(): TemplateResult {
    const t = this.t;
    const busy = inProgress(this.session?.state ?? "");
    return html`
      <div class="columns">
        <section aria-labelledby="entry-heading">
          <h2 id="entry-heading">${t.scan.label}</h2>
          <form @submit=${(e: SubmitEvent) => this.onScan(e)}>
            <label for="scan">${t.scan.label}</label>
            <input id="scan" autocomplete="off" aria-describedby="scan-hint" ?disabled=${busy} />
            <p id="scan-hint" class="hint">${t.scan.hint}</p>
            <button type="submit" ?disabled=${busy}>${t.scan.add}</button>
          </form>
          ${this.serviceForm(busy)}
        </section>
        <section aria-labelledby="basket-heading">${this.basketView()}</section>
      </div>
      ${this.paymentsView()} ${this.closeView(busy)} ${this.historyView()}
    `;
  }

  /** The closed report's PDF while the page holds that shift's token; a refusal says so in the alert. */
  private closedPdf(report: ShiftReport): (() => void) | null {
    const token = this.closedToken;
    if (!token) return null;
    return () => void this.attempt(() => reportPdfs.closed(token, report.shift.id), "", "closedPdf");
  }

  private async showHistory(offset: number): Promise<void> {
    await this.attempt(async () => {
      this.history = await closedShifts(offset, HISTORY_PAGE);
    });
  }

  /** The cashier's own closed shifts, newest first, a page at a time, each with its report as PDF. */
  private historyView(): TemplateResult {
    const t = this.t.history;
    const page = this.history;
    const money = (g: number) => formatMoney(g, this.lang);
    // The office's local time as the report prints it ("2026-12-07 12:14").
    const at = (iso: string) => iso.slice(0, 16).replace("T", " ");
    let body: TemplateResult;
    if (!page)
      body = html`<button type="button" id="history-show" @click=${() => this.showHistory(0)}>${t.show}</button>`;
    else if (page.items.length === 0) body = html`<p>${t.none}</p>`;
    else
      body = html`<table class="history">
          <thead><tr><th scope="col">${t.shift}</th><th scope="col">${t.opened}</th><th scope="col">${t.closed}</th><th scope="col" class="num">${t.count}</th><th scope="col" class="num">${t.total}</th><th scope="col"><span class="visually-hidden">${t.pdf}</span></th></tr></thead>
          <tbody>
            ${page.items.map(
              (s) => html`<tr data-shift=${s.id}>
                <th scope="row">${s.id}</th><td>${at(s.openedAt)}</td><td>${at(s.closedAt)}</td>
                <td class="num">${s.count}</td><td class="num">${money(s.total)}</td>
                <td><button type="button" class="pdf" aria-label=${t.pdfOf(s.id)} @click=${() => this.attempt(() => reportPdfs.ofShift(s.id))}>${t.pdf}</button></td>
              </tr>`,
            )}
          </tbody>
        </table>
        <p class="pages">
          <span>${t.range(page.offset + 1, page.offset + page.items.length, page.total)}</span>
          ${page.offset > 0 ? html`<button type="button" @click=${() => this.showHistory(Math.max(0, page.offset - page.limit))}>${t.newer}</button>` : null}
          ${page.offset + page.items.length < page.total ? html`<button type="button" @click=${() => this.showHistory(page.offset + page.limit)}>${t.older}</button>` : null}
        </p>`;
    return html`<section aria-labelledby="history-heading">
      <h2 id="history-heading">${t.heading}</h2>
      ${body}
    </section>`;
  }

  private serviceForm(busy: boolean): TemplateResult {
    const t = this.t.service;
    return html`<form @submit=${(e: SubmitEvent) => this.onService(e)}>
      <h3>${t.heading}</h3>
      <label for="service">${t.code}</label>
      <input id="service" name="service" list="services" autocomplete="off" required ?disabled=${busy} />
      <datalist id="services">
        ${(this.catalog?.items ?? []).map((i) => html`<option value=${`${i.code} — ${textOf(i.label, this.lang)}`}></option>`)}
      </datalist>
      <label for="quantity">${t.quantity}</label>
      <input id="quantity" name="quantity" type="number" min="1" max="99" value="1" ?disabled=${busy} />
      <label for="amount">${t.amount}</label>
      <input id="amount" name="amount" inputmode="decimal" autocomplete="off" ?disabled=${busy} />
      <label for="reference">${t.reference}</label>
      <input id="reference" name="reference" maxlength="40" autocomplete="off" ?disabled=${busy} />
      <button type="submit" ?disabled=${busy}>${t.add}</button>
    </form>`;
  }

  /**
   * SPEC §1b: a transfer code for `000000` leaves the amount to the payer; at the desk the cashier
   * types it from the visitor's decision or invoice (the same `POST /api/session/amount` as the
   * kiosk's keypad). Without it the basket could only be cancelled: paying is refused until then.
   */
  private amountEntry(range: { min: number; max: number }): TemplateResult {
    const t = this.t.basket;
    const busy = inProgress(this.session?.state ?? "");
    const money = (g: number) => formatMoney(g, this.lang);
    return html`<form class="amount-entry" @submit=${(e: SubmitEvent) => this.onOpenAmount(e, range)}>
      <label for="open-amount">${t.openAmount(money(range.min), money(range.max))}</label>
      <input id="open-amount" name="amount" inputmode="decimal" autocomplete="off" ?disabled=${busy} />
      <button type="submit" ?disabled=${busy}>${t.setAmount}</button>
    </form>`;
  }

  private async onOpenAmount(event: SubmitEvent, range: { min: number; max: number }): Promise<void> {
    event.preventDefault();
    const amount = parseAmountInput(
      String(new FormData(event.target as HTMLFormElement).get("amount") ?? ""),
    );
    if (amount === null || amount < range.min || amount > range.max) {
      this.problem = { title: this.t.service.badAmount, advice: "" };
      return;
    }
    await this.attempt(() => this.answer(() => deskApi.amount(amount)));
    this.focusScan();
  }

  private basketView(): TemplateResult {
    const t = this.t.basket;
    const s = this.session;
    const money = (g: number) => formatMoney(g, this.lang);
    const state = s ? (this.t.state[s.state] ?? s.state) : this.t.state.idle;
    const lines = s?.lines ?? [];
    const amountOpen = lines.some((l) => l.amountToEnter !== null);
    const groups = [
      ...(s?.slips ?? []).map((slip) => ({
        heading: t.slip(slip.id, slip.caseRef),
        lines: lines.filter((l) => l.slip === slip.id),
      })),
      { heading: t.services, lines: lines.filter((l) => l.slip === null) },
    ].filter((g) => g.lines.length > 0);
    return html`
      <h2 id="basket-heading">${t.heading}</h2>
      <div aria-live="polite">
        <p class="state" data-state=${s?.state ?? "idle"}>${state} ${s?.terminalMessage ?? ""}</p>
        ${this.sessionAdvice(s)}
      </div>
      ${
        lines.length === 0
          ? html`<p>${t.empty}</p>`
          : html`<table>
              <thead><tr><th scope="col">${t.item}</th><th scope="col" class="num">${t.amount}</th></tr></thead>
              <tbody>
                ${groups.map(
                  (g) => html`<tr class="group"><th scope="rowgroup" colspan="2">${g.heading}</th></tr>
                    ${g.lines.map((l) => html`<tr data-code=${l.code}><td>${l.label}${this.quantityOf(l)}<span class="recipient">${l.recipientName}</span>${l.amountToEnter ? this.amountEntry(l.amountToEnter) : null}</td><td class="num">${l.amountToEnter ? html`<span class="pending" data-testid="amount-pending">${t.amountPending}</span>` : money(l.amount)}</td></tr>`)}`,
                )}
                ${s?.handlingFee ? html`<tr><td>${s.handlingFee.label || t.fee}</td><td class="num">${money(s.handlingFee.amount)}</td></tr>` : null}
              </tbody>
              <tfoot><tr><th scope="row">${t.total}</th><td class="num" data-testid="total">${
                // A transfer code's open line counts 0 in the daemon's total until its amount is
                // entered: shown as a sum, the cashier would read it out as what the visitor owes.
                amountOpen ? html`<span class="pending">${t.totalPending}</span>` : money(s?.total ?? 0)
              }</td></tr></tfoot>
            </table>`
      }
      <div class="actions">${this.basketActions()}</div>
    `;
  }

  /** How many of a service and at what price each, when more than one (the summary screen's words). */
  private quantityOf(line: SessionLine): TemplateResult | null {
    if (line.quantity <= 1) return null;
    return html`<span class="detail" data-testid="quantity"
      >${this.t.service.quantity}: ${formatQuantity(line, this.lang)}</span
    >`;
  }

  /**
   * What the cashier does after a payment that ended without a charge or without its receipt, and
   * while the desk is out of order (which also closed a basket that was open).
   */
  private sessionAdvice(s: Session | null): TemplateResult | null {
    // Out of order: what the cashier checks; the desk comes back by itself.
    if (s?.state === "out_of_order")
      return html`<p class="advice" data-code="out_of_order">${this.advice.device.outOfOrder.todo}</p>`;
    const code = s?.error?.code;
    if (!s || !code || s.state === "summary" || s.state === "idle") return null;
    const text = this.advice.session[code as keyof DeskAdvice["session"]];
    return text ? html`<p class="advice" data-code=${code}>${text}</p>` : null;
  }

  private basketActions(): TemplateResult | null {
    const t = this.t.basket;
    const s = this.session;
    if (!s) return null;
    if (s.state === "summary" || s.state === "declined")
      return html`<button class="primary big" @click=${() => this.attempt(() => this.answer(deskApi.pay), "", "pay")}>${t.pay}</button>
        <button @click=${() => this.attempt(() => this.answer(deskApi.cancel))}>${t.cancel}</button>`;
    if (s.state === "done" || s.state === "cancelled")
      return html`${s.payment ? html`<button @click=${() => this.attempt(() => deskApi.reprint(s.payment?.id ?? ""), "", "reprint")}>${t.reprint}</button>` : null}
        <button class="primary" @click=${async () => {
          await this.attempt(() => this.answer(deskApi.cancel));
          this.focusScan();
        }}>${t.next}</button>`;
    return null;
  }

  private paymentsView(): TemplateResult {
    const t = this.t.payments;
    const payments = this.shift?.payments ?? [];
    return html`<section aria-labelledby="payments-heading">
      <h2 id="payments-heading">${t.heading}</h2>
      ${
        payments.length === 0
          ? html`<p>${t.none}</p>`
          : html`<table>
              <thead><tr><th scope="col">${t.time}</th><th scope="col">${t.id}</th><th scope="col" class="num">${t.total}</th><th scope="col">${t.status}</th><th scope="col"><span class="visually-hidden">${t.void}</span></th></tr></thead>
              <tbody>
                ${payments.map(
                  (p) => html`<tr data-payment=${p.id}>
                    <td>${p.paidAt.slice(11, 19)}</td><td>${p.id}</td><td class="num">${formatMoney(p.total, this.lang)}</td>
                    <td>${p.status === "reversed" ? `${this.t.reversed}: ${p.reason ?? ""}` : this.t.approved}</td>
                    <td>${p.status === "approved" ? html`<button @click=${() => (this.voiding = p.id)} aria-label=${`${t.void} ${p.id}`}>${t.void}</button>` : null}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
      }
      ${this.voiding ? this.voidForm(this.voiding) : null}
    </section>`;
  }

  private voidForm(id: string): TemplateResult {
    const t = this.t.voidForm;
    return html`<form @submit=${(e: SubmitEvent) => this.onVoid(e, id)} aria-labelledby="void-heading">
      <h3 id="void-heading">${t.heading(id)}</h3>
      <label for="void-pin">${t.pin}</label>
      <input id="void-pin" name="pin" type="password" inputmode="numeric" autocomplete="off" required pattern="[0-9]{6,12}" />
      <label for="void-reason">${t.reason}</label>
      <input id="void-reason" name="reason" required minlength="3" maxlength="200" />
      <button class="primary" type="submit">${t.confirm}</button>
      <button type="button" @click=${() => (this.voiding = null)}>${t.back}</button>
    </form>`;
  }

  private closeView(busy: boolean): TemplateResult {
    const t = this.t.close;
    return html`<section aria-labelledby="close-heading">
      <h2 id="close-heading">${t.heading}</h2>
      <button id="close-open" type="button" aria-haspopup="dialog" ?disabled=${busy} @click=${() => this.openCloseDialog()}>${t.button}</button>
      ${this.closeConfirmation()}
    </section>`;
  }

  /** A modal dialog: Escape and "back" cancel; the figures are the shift's from the daemon. */
  private closeConfirmation(): TemplateResult {
    const t = this.t.close;
    const shift = this.shift;
    const money = (g: number) => formatMoney(g, this.lang);
    const voided = (shift?.payments ?? []).filter((p) => p.status === "reversed");
    const scheduled = shift?.closing?.scheduledEndOfDay ?? null;
    const choose = (choice: "yes" | "no") => {
      this.endOfDayChoice = choice;
      this.closeProblem = "";
    };
    return html`<dialog
      id="close-dialog"
      class="confirm"
      aria-labelledby="close-dialog-heading"
      aria-describedby="close-dialog-summary"
      @close=${() => this.onCloseDialogClosed()}
    >
      <form novalidate @submit=${(e: SubmitEvent) => this.onClose(e)}>
        <h2 id="close-dialog-heading">${t.confirmHeading}</h2>
        <div id="close-dialog-summary">
          ${shift ? html`<p>${this.t.shift(shift.cashier.name, shift.id)}</p>` : null}
          <p data-testid="close-summary">${t.summary(shift?.count ?? 0, money(shift?.total ?? 0))}</p>
          ${
            voided.length > 0
              ? html`<p data-testid="close-voids">${t.voids(voided.length, money(voided.reduce((a, p) => a + p.total, 0)))}</p>`
              : null
          }
        </div>
        <fieldset aria-describedby="close-day-explain">
          <legend>${t.lastShift}</legend>
          <label class="check"><input type="radio" name="endOfDay" value="yes" .checked=${this.endOfDayChoice === "yes"} @change=${() => choose("yes")} /> ${t.lastShiftYes}</label>
          <label class="check"><input type="radio" name="endOfDay" value="no" .checked=${this.endOfDayChoice === "no"} @change=${() => choose("no")} /> ${t.lastShiftNo}</label>
          <p id="close-day-explain" class="hint">${t.explain}${scheduled ? ` ${t.scheduled(scheduled)}` : ""}</p>
        </fieldset>
        ${
          // An alert put in with its words is said at once; none stands empty beside the desk's own.
          this.closeProblem ? html`<p class="close-problem" role="alert">${this.closeProblem}</p>` : null
        }
        <div class="actions">
          <button class="primary" type="submit">${t.confirm}</button>
          <button type="button" @click=${() => this.closeDialog?.close()}>${t.back}</button>
        </div>
      </form>
    </dialog>`;
  }
}
customElements.define("cash-desk", CashDesk);
