/**
 * The visit on screen: which session the visitor sees, in which language, the terminal's prompt, a
 * refused scan's error, and when the screen ends by itself (inactivity); and whether the kiosk is
 * out of order, which ends a summary on screen. The flow decides when a visit starts and what is
 * paid; this module decides what the screen shows meanwhile and when it returns to idle.
 */
import type { LocalizedText } from "../../devices/device.ts";
import type { KioskConfig, Language } from "../config/types.ts";
import { startLanguage } from "../../contracts/session-view.ts";
import { readSessions, type SessionRow, type SessionStore, sessionsRevision } from "../store/sessions.ts";
import { isDatabaseFull } from "../store/space.ts";
import { FlowError } from "./errors.ts";
import { IdleTimer } from "./idle-timer.ts";
import { Memo } from "./memo.ts";
import { appliesTo, type OpenAmount, withOpenAmount } from "./open-amount.ts";
import { isOperatorAction, OutOfOrderReasons } from "./out-of-order.ts";
import type { FlowDependencies, FlowEvents } from "./ports.ts";
import { idleView, type RefusedScan, refusalView, type SessionView, viewOf } from "./session-view.ts";
import type { PaidSlip } from "./slip-check.ts";
import { awaitsVisitor, inProgress } from "./states.ts";
import { abandonVisit } from "./transition.ts";

export interface VisitScreenDependencies extends Pick<FlowDependencies, "config" | "store" | "log"> {
  now: () => Date;
  emit<K extends keyof FlowEvents>(event: K, ...args: FlowEvents[K]): void;
  /** Whether anything listens to `event` now (a screen on the event stream, for `session`). */
  listening(event: keyof FlowEvents): boolean;
  /** Runs `job` in turn with the flow's other work on the visit (the inactivity time-out). */
  serialise(job: () => void): void;
}

export class VisitScreen {
  /** The session on screen, or null on the welcome (or out-of-order) screen. */
  private currentId: string | null = null;
  language: Language;
  /** A refused scan's code: shown on the idle screen, or beside the summary it did not replace. */
  private idleError: (RefusedScan & { at: string }) | null = null;
  private terminalMessage: string | null = null;
  /** The intermediate status code of terminalMessage (its spoken prompt is the catalogue's). */
  private terminalStatus: number | null = null;
  /** SPEC §1b: a `000000` transfer code's session whose amount the visitor has not typed yet. */
  openAmount: OpenAmount | null = null;
  private readonly idleTimer = new IdleTimer();
  private readonly reasons = new OutOfOrderReasons();
  private closed = false;
  /** The session on screen and its view, read again only after a change (sessionsRevision). */
  private readonly row = new Memo<SessionRow | undefined>();
  private readonly shownView = new Memo<SessionView>();

  constructor(private readonly deps: VisitScreenDependencies) {
    this.language = startLanguage(deps.config.kiosk.languages);
  }

  private get config(): KioskConfig {
    return this.deps.config;
  }

  private get store(): SessionStore {
    return this.deps.store;
  }

  get id(): string | null {
    return this.currentId;
  }

  current(): SessionRow | undefined {
    const id = this.currentId;
    if (!id) return undefined;
    // The revision and, after a change, the row in one read transaction (one lock on the log's index).
    return readSessions(this.store.db, () => {
      const revision = sessionsRevision(this.store.db);
      return this.row.get(revision && `${revision} ${id}`, () => this.store.get(id));
    });
  }

  /**
   * The session as the screen and `GET /api/session` show it. Built again only when a session was
   * written or something of the screen's own changed: every caller between two changes (the event
   * to the screen, the HTTP answer) gets the same view.
   */
  view(): SessionView {
    // The revision and, after a change, the session's row, lines and slips in one read transaction.
    return readSessions(this.store.db, () => {
      const revision = sessionsRevision(this.store.db);
      return this.shownView.get(revision && this.viewKey(revision), () => this.buildView());
    });
  }

  /** Everything the view is made of besides the stored session. */
  private viewKey(revision: string): string {
    const open = this.openAmount;
    return JSON.stringify([
      revision,
      this.currentId,
      this.language,
      this.idleError?.code ?? null,
      this.idleError?.at ?? null,
      this.terminalMessage,
      this.terminalStatus,
      this.idleTimer.deadline?.getTime() ?? null,
      this.reasons.list(),
      open && [open.sessionId, open.code, open.min, open.max, open.placeholder],
    ]);
  }

  private buildView(): SessionView {
    const row = this.current();
    if (!row) {
      const ooo = this.reasons.any;
      return idleView(
        this.language,
        ooo ? "out_of_order" : "idle",
        ooo ? null : this.idleError,
        this.reasons.list(),
      );
    }
    const deadline = this.idleTimer.deadline;
    const view = viewOf(this.config, row, this.store.lines(row.id), this.store.slips(row.id), {
      terminalMessage: row.state === "authorizing" ? this.terminalMessage : null,
      terminalStatus: this.terminalStatus,
      expiresAt: inProgress(row.state) || !deadline ? null : deadline.toISOString(),
    });
    // A refused scan beside the summary it did not replace: a reader wired to the daemon has no other
    // way to tell the screen (the browser's own scans get the 422).
    const refusal = this.idleError;
    if (row.state === "summary" && refusal) view.error = refusalView(refusal, this.language);
    // Out of order behind a visit still on screen (a payment only staff can settle, a key turned
    // meanwhile): the page learns of the service key from these, and opens its login where it may.
    if (this.reasons.any) view.outOfOrderReasons = this.reasons.list();
    const open = this.openAmount;
    return row.state === "summary" && appliesTo(open, row.id) ? withOpenAmount(view, open) : view;
  }

  /**
   * Shows the screen again; silent once the kiosk is closing. Its state goes to every listener (the
   * scanner, the quiet moments); the whole view is built only when a screen listens (event stream).
   */
  publish(): void {
    if (this.closed) return;
    const row = this.current();
    const state = row ? row.state : this.reasons.any ? "out_of_order" : "idle";
    this.deps.emit("screen", { id: row ? row.id : null, state });
    if (this.deps.listening("session")) this.deps.emit("session", this.view());
  }

  /** Shows the screen again when session `id` is the one on it. */
  shown(id: string): void {
    if (id === this.currentId) this.publish();
  }

  /** Session `id` reached an outcome: if it is on screen, its inactivity timer starts. */
  settled(id: string): void {
    if (id === this.currentId) this.restartIdleTimer();
  }

  /** Session `id` is now on screen: a new visit, with no error and no prompt from an earlier one. */
  show(id: string): SessionView {
    this.currentId = id;
    this.idleError = null;
    this.terminalMessage = null;
    return this.activity();
  }

  /** Session `id` on screen again after a restart (so the visitor sees the outcome). */
  adopt(id: string): void {
    this.currentId = id;
    this.activity();
  }

  /** The visitor is still there: the inactivity timer starts again and the screen is shown. */
  activity(): SessionView {
    this.restartIdleTimer();
    this.publish();
    return this.view();
  }

  /** The visitor's language, kept with the session on screen; only the kiosk's languages are offered. */
  setLanguage(language: Language): SessionView {
    if (!this.config.kiosk.languages.includes(language)) {
      throw new FlowError("VALIDATION", `language ${language} is not offered on this kiosk`);
    }
    this.language = language;
    const row = this.current();
    if (row) this.store.setLanguage(row.id, language);
    return this.activity();
  }

  /**
   * A refused scan replaces nothing: a summary on screen stays valid, else the error shows on idle.
   * A slip paid already brings where and when (`paid`, SPEC §1a), as the 422 to the page does, and
   * the slip as read when it can be reprinted here: the page asks the reprint with it.
   */
  refused(code: string, paid?: PaidSlip, payload?: string): void {
    this.idleError = {
      code,
      at: this.deps.now().toISOString(),
      ...(paid ? { paid } : {}),
      ...(paid?.reprint && payload ? { payload } : {}),
    };
    if (!this.current()) this.restartIdleTimer();
    this.publish();
  }

  /** A scan or slip was taken after a refusal: its error is over. */
  clearError(): void {
    this.idleError = null;
  }

  /** The terminal's prompt for the attempt on screen, in the visitor's language. */
  terminalSaid(message: LocalizedText, status: number): void {
    this.terminalMessage = message[this.language];
    this.terminalStatus = status;
    this.publish();
  }

  clearTerminalMessage(): void {
    this.terminalMessage = null;
  }

  // ───────────────────────────── inactivity ─────────────────────────────

  /** The visit on screen ends by itself after the configured idle time, unless it is at the terminal. */
  restartIdleTimer(): void {
    this.idleTimer.stop();
    // At the cash desk the cashier ends a basket, not a timer.
    if (this.config.kiosk.mode === "attended") return;
    const row = this.current();
    if (!row && !this.idleError) return;
    if (row && inProgress(row.state)) return;
    this.idleTimer.start(this.deps.now(), this.config.kiosk.idleTimeoutSeconds * 1000, () => {
      this.deps.serialise(() => this.onIdle());
    });
  }

  /** A payment at the terminal has no time-out on screen. */
  stopIdleTimer(): void {
    this.idleTimer.stop();
  }

  private onIdle(): void {
    const row = this.current();
    if (row && awaitsVisitor(row.state) && abandonVisit(this.store, row.id, "inactivity")) {
      this.deps.emit("visitAbandoned", { outcome: "timed_out" });
    }
    this.toIdle();
  }

  /** Back to the welcome screen, in Polish, for the next visitor (never while a payment runs). */
  toIdle(): void {
    const row = this.current();
    if (row && inProgress(row.state)) return;
    this.currentId = null;
    this.idleError = null;
    this.terminalMessage = null;
    this.language = startLanguage(this.config.kiosk.languages);
    this.restartIdleTimer();
    this.publish();
  }

  // ───────────────────────────── out of order ─────────────────────────────

  get outOfOrder(): boolean {
    return this.reasons.any;
  }

  outOfOrderReasons(): string[] {
    return this.reasons.list();
  }

  /** Sets or clears one reason for being out of order (door open, service switch, printer, …). */
  setOutOfOrder(key: string, reason: string | null): void {
    if (this.closed || !this.reasons.set(key, reason)) return;
    this.deps.emit("outOfOrder", this.reasons.list());
    // A visitor looking at a summary must not start paying on a kiosk that just went out of order.
    const row = this.current();
    const ended =
      reason &&
      row &&
      awaitsVisitor(row.state) &&
      abandonVisit(this.store, row.id, `out of order: ${reason}`);
    if (ended) this.deps.emit("visitAbandoned", { outcome: "out_of_order" });
    // A technician's switch or an open door ends a finished visit's screen at once. A device fault ends
    // one that took no money (its summary or decline just abandoned, or cancelled before): left on
    // screen, it was the start screen inviting a scan the kiosk would refuse. A paid visit's screen
    // stays, so a visitor whose receipt failed still sees its image and verification code.
    const shown = this.current();
    const ends = shown && !inProgress(shown.state) && (isOperatorAction(key) || shown.state === "cancelled");
    if (reason && ends) this.toIdle();
    else this.publish();
  }

  /**
   * Runs a write that starts or changes a visit; a full database puts the kiosk out of order (issue 8:
   * cleanly, never a 500) and nothing is charged, since every write precedes the side effect it enables.
   */
  unlessFull<T>(write: () => T): T {
    try {
      return write();
    } catch (e) {
      if (isDatabaseFull(e)) this.databaseFull();
      throw e;
    }
  }

  databaseFull(): never {
    this.deps.log.error({}, "database full: out of order until space is back");
    this.setOutOfOrder("database", "the database is full");
    // Back in service by itself once a write fits again (space freed, or the ceiling raised).
    if (!this.closed) this.reasons.watchSpace(this.store.db, () => this.setOutOfOrder("database", null));
    throw new FlowError("DEVICE_UNAVAILABLE", "out of order: the database is full");
  }

  /** The kiosk is closing: no more events, no timers. */
  close(): void {
    this.closed = true;
    this.idleTimer.stop();
    this.reasons.stopWatch();
  }
}
