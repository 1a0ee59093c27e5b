/**
 * The kiosk app: follows the daemon's session over server-sent events, decides which screen is up,
 * runs the inactivity warning, the keyboard-wedge capture and speech, and turns screen actions into
 * API calls. The screens only render and emit actions.
 */
import { css, html, LitElement } from "lit";
import { inProgress } from "../../contracts/session-states.ts";
import { startLanguage } from "../../contracts/session-view.ts";
import { ACTION_EVENT, type KioskAction } from "./actions.ts";
import {
  ApiProblem,
  api,
  awaitsStaff,
  type Catalog,
  DEFAULT_LAYOUT,
  type KioskInfo,
  type KioskLayout,
  LANGUAGES,
  type Language,
  type PaidSlip,
  PAYMENT_UNRESOLVED,
  type Session,
  slipIdOf,
  type AudioState,
  subscribeSessions,
} from "./api.ts";
import "./components/kiosk-toolbar.ts";
import "./components/timeout-dialog.ts";
import type { Step } from "./i18n/layout-text.ts";
import "./layout/countdown-ring.ts";
import { dataEntrySeconds, reachLine } from "./layout/screen-layout.ts";
import "./layout/step-bar.ts";
import { crampedPanel, shortPanel } from "./styles.ts";
import { messages } from "./i18n/index.ts";
import "./screens/approved-screen.ts";
import "./screens/attract-screen.ts";
import "./screens/authorizing-screen.ts";
import "./screens/basket-screen.ts";
import type { BasketDraftLine, BasketScreen } from "./screens/basket-screen.ts";
import "./screens/declined-screen.ts";
import "./screens/error-screen.ts";
import type { ReprintStatus } from "./screens/error-screen.ts";
import "./screens/out-of-order-screen.ts";
import type { Screen } from "./screens/screen.ts";
import type { ServiceEntry, ServiceMode } from "./service/service-mode.ts";
import "./screens/summary-screen.ts";
import "./screens/welcome-screen.ts";
import { type SpeakMode, Speaker, speakableCode } from "./speech.ts";
import type { SpeechMessage } from "./i18n/spoken.ts";
import { attachWedge } from "./wedge.ts";
import { AudioKeyGate } from "./audio-key.ts";
import { focusMessage } from "./focus-speech.ts";
import { KEYPAD_KEYS, type KeypadKey } from "./i18n/spoken.ts";
import { deepActiveElement, isArrow, keepFocus, moveFocus, restoreLostFocus } from "./keynav.ts";
import { StreamOrder } from "./stream-order.ts";

export type ScreenName =
  | "welcome"
  | "basket"
  | "error"
  | "summary"
  | "authorizing"
  | "approved"
  | "declined"
  | "out_of_order";

/** How often the page tells the daemon it is alive (bin/screen-watchdog.mjs reads it). */
const HEARTBEAT_MS = 5_000;
/** An untouched start screen gives way to the attract screen after this long. */
const ATTRACT_AFTER_MS = 60_000;
/** The warning appears this long before the deadline (WCAG 2.2.1: at least 20 s). */
const WARNING_MS = 20_000;
const ACTIVITY_THROTTLE_MS = 3_000;
/** The daemon's out-of-order reason while the technician's key is turned (kiosk/status/out-of-order.ts). */
const SERVICE_KEY_REASON = "service mode (service key turned)";

export class OplatomatApp extends LitElement {
  static override properties = {
    session: { state: true },
    connected: { state: true },
    kiosk: { state: true },
    catalog: { state: true },
    lang: { state: true },
    local: { state: true },
    localError: { state: true },
    basketProblem: { state: true },
    dismissedSessionId: { state: true },
    speechOn: { state: true },
    largeText: { state: true },
    highContrast: { state: true },
    now: { state: true },
    serviceEntry: { state: true },
    cancelNotice: { state: true },
    localPaid: { state: true },
    changing: { state: true },
    reprintStatus: { state: true },
  };
  declare session: Session | null;
  declare connected: boolean;
  declare kiosk: KioskInfo | null;
  declare catalog: Catalog | null | "unavailable";
  declare lang: Language;
  declare local: "welcome" | "basket";
  declare localError: string | null;
  declare basketProblem: string;
  declare dismissedSessionId: string | null;
  declare speechOn: boolean;
  declare largeText: boolean;
  declare highContrast: boolean;
  declare now: number;
  /** Service mode is up (its code is loaded on demand, in its own chunk), and how it was entered. */
  declare serviceEntry: ServiceEntry | null;
  /** The visitor cancelled: the start screen says no money was taken, in their language, until they time out. */
  declare cancelNotice: boolean;
  /** SPEC §1a: the refused slip's payment, shown with the error. */
  declare localPaid: PaidSlip | null;
  declare reprintStatus: ReprintStatus;
  /** Check answers: the visitor went back from the summary to change a line (the summary stays). */
  declare changing: { draft: BasketDraftLine[]; code: string } | null;

  /** Not reactive: a key press must not re-render the screen (a scanner burst is 100 keys). */
  private lastActivity = Date.now();
  private readonly audioKey = new AudioKeyGate(() => this.onAudioKey());
  /** Whether the last render showed the attract screen (the tick re-renders when that changes). */
  private attractShown = false;
  private readonly speaker = new Speaker();
  private cleanups: Array<() => void> = [];
  /** Whether a call's answer is newer than what the event stream delivered meanwhile. */
  private readonly order = new StreamOrder();
  private lastActivityPost = 0;
  private shownScreenKey = "";
  private spokenWarning = false;
  private languageRequested = "";
  private disconnectedSince: number | null = null;
  private serviceKeyTurned = false;
  /** This turn of the key has opened its login once; turned back, the next turn opens it again. */
  private keyLoginOffered = false;
  private serviceLoading = false;
  /** How audio mode was started: the audio key (or the toolbar), or headphones (private listening). */
  private audioVia: "key" | "headphones" | null = null;
  private headphones = false;
  /** The app is moving focus itself: what the control says waits behind the screen's sentence. */
  private programmaticFocus = false;
  /** The control audio mode said last (focus moving inside one shadow root sends no focusin to the page). */
  private lastFocus: HTMLElement | null = null;
  /** The session the visitor has just cancelled: its end is not a time-out, so nothing is reset. */
  private cancelledByVisitor: string | null = null;
  /** The payload of the last scan: "try again" sends it once more, a reprint names the slip by it. */
  private lastPayload: string | null = null;
  /** When the last refusal of a reader wired to the daemon was refused (`error.at`): shown once. */
  private refusalShown: string | null = null;
  /** The browser's own scans under way: their refusals come as their 422 (with the paid details). */
  private scansInFlight = 0;
  /** The slips of this visit's summary by payload: a changed basket is rebuilt with them. */
  private visitSlips: string[] = [];

  /*
   * One screen, never scrolled: the step bar and countdown at the top, the screen in the middle (its
   * own layout puts the actions at its foot, ui/src/layout/screen-layout.ts), the toolbar at the bottom
   * edge whatever the text size, panel or orientation.
   */
  static override styles = css`
    :host {
      display: grid;
      grid-template-rows: auto minmax(0, 1fr) auto;
      /* vh, not dvh: a kiosk has no browser bars, and headless Chromium sizes dvh from its window. */
      height: 100vh;
      overflow: hidden;
      background: var(--bg);
      color: var(--fg);
    }
    header,
    main,
    footer {
      box-sizing: border-box;
      min-width: 0;
    }
    header {
      display: flex;
      align-items: center;
      gap: 1rem;
      width: 100%;
      max-width: 70rem;
      margin: 0 auto;
      padding: 0.6rem clamp(0.5rem, 3vw, 1.5rem) 0;
    }
    header:empty {
      display: none;
    }
    /* Fixed rows: with no header shown the screen still takes the middle one. */
    header {
      grid-row: 1;
    }
    main {
      grid-row: 2;
    }
    footer {
      grid-row: 3;
    }
    header step-bar {
      flex: 1 1 auto;
    }
    header countdown-ring {
      margin-left: auto;
    }
    main {
      min-height: 0;
      display: flex;
      flex-direction: column;
      width: 100%;
      max-width: 70rem;
      margin: 0 auto;
      padding: 1rem clamp(0.5rem, 3vw, 1.5rem) 0.8rem;
      overflow: hidden;
    }
    main > :not(timeout-dialog) {
      flex: 1 1 auto;
      min-height: 0;
    }
    main[data-screen="service"] {
      overflow: auto;
    }
    footer {
      border-top: 3px solid var(--border);
      padding: 0.8rem clamp(0.5rem, 3vw, 1.5rem);
      background: var(--surface);
    }
    /* Large text on a short panel (1366×768): the margins around the screen are what gives way first,
       so the basket and the summary keep their actions above the toolbar. */
    /* The header's ring keeps about the default text's size (101 px, not 143) in large text where the
       height is short (1920×1080, 1366×768, 1280×1024, 800×1280), as the toolbar does. */
    @media ${crampedPanel} {
      :host-context(.large-text) header countdown-ring {
        --ring: 3rem;
      }
    }
    @media ${shortPanel} {
      :host-context(.large-text) header {
        padding-top: 0.3rem;
      }
      :host-context(.large-text) main {
        padding-block: 0.4rem 0.3rem;
      }
      :host-context(.large-text) footer {
        padding-block: 0.3rem;
      }
    }
  `;

  constructor() {
    super();
    this.session = null;
    this.connected = false;
    this.kiosk = null;
    this.catalog = null;
    this.lang = "pl";
    this.local = "welcome";
    this.localError = null;
    this.basketProblem = "";
    this.dismissedSessionId = null;
    this.speechOn = false;
    this.largeText = false;
    this.highContrast = false;
    this.now = Date.now();
    this.serviceEntry = null;
    this.cancelNotice = false;
    this.localPaid = null;
    this.reprintStatus = "none";
    this.changing = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.cleanups.push(
      subscribeSessions(
        (session) => {
          this.order.onEvent();
          this.onSession(session);
        },
        (connected) => this.onConnection(connected),
        (audio) => this.onAudio(audio),
      ),
    );
    this.cleanups.push(
      attachWedge(document, (payload) => {
        this.audioKey.scanEnded();
        // In service mode a scan is the technician's reader test, never a visitor's payment.
        if (this.serviceEntry) this.renderRoot.querySelector<ServiceMode>("service-mode")?.scan(payload);
        else void this.scan(payload);
      }),
    );
    const onAction = (event: Event) => void this.onAction((event as CustomEvent<KioskAction>).detail);
    const onKey = (event: KeyboardEvent) => this.onKey(event);
    const onActivity = () => this.noteActivity();
    const onServiceRequest = () => void this.enterService("manual");
    const onServiceExit = () => this.leaveService();
    this.addEventListener(ACTION_EVENT, onAction);
    this.addEventListener("service-request", onServiceRequest);
    this.addEventListener("service-exit", onServiceExit);
    document.addEventListener("keydown", onKey);
    const onFocusIn = () => this.announceFocus();
    const onKeypadKey = (event: Event) => this.onKeypadKey((event as CustomEvent<string>).detail);
    document.addEventListener("focusin", onFocusIn);
    document.addEventListener("keyup", onFocusIn, { capture: true });
    const onActivate = () => this.sayChange();
    document.addEventListener("click", onActivate, { capture: true });
    this.addEventListener("keypad-key", onKeypadKey);
    this.cleanups.push(keepFocus(() => void this.focusScreenStart()));
    document.addEventListener("pointerdown", onActivity, { capture: true });
    document.addEventListener("keydown", onActivity, { capture: true });
    const timer = window.setInterval(() => this.tick(), 250);
    // The heartbeat comes from this page's own event loop: a crashed or hung renderer goes silent.
    const beat = () => void api.heartbeat().catch(() => undefined);
    beat();
    const heartbeat = window.setInterval(beat, HEARTBEAT_MS);
    this.cleanups.push(() => window.clearInterval(heartbeat));
    const onResize = () => this.placeReachLine();
    window.addEventListener("resize", onResize);
    this.cleanups.push(() => window.removeEventListener("resize", onResize));
    this.cleanups.push(() => {
      this.removeEventListener(ACTION_EVENT, onAction);
      this.removeEventListener("service-request", onServiceRequest);
      this.removeEventListener("service-exit", onServiceExit);
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("focusin", onFocusIn);
      document.removeEventListener("keyup", onFocusIn, { capture: true });
      document.removeEventListener("click", onActivate, { capture: true });
      this.removeEventListener("keypad-key", onKeypadKey);
      document.removeEventListener("pointerdown", onActivity, { capture: true });
      document.removeEventListener("keydown", onActivity, { capture: true });
      window.clearInterval(timer);
      this.audioKey.cancel();
    });
    api.kiosk().then(
      (kiosk) => {
        this.kiosk = kiosk;
        // A kiosk without Polish greets in the first language it offers, like the daemon does.
        if (this.local === "welcome" && !kiosk.languages.includes(this.lang)) this.lang = this.startLang;
      },
      () => undefined,
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.speaker.stop();
  }

  // ---- what is on screen -------------------------------------------------------------------------

  screen(): ScreenName {
    const session = this.session;
    if (!session) return "out_of_order";
    if (!this.connected && this.disconnectedSince !== null && this.now - this.disconnectedSince > 3_000) {
      return "out_of_order";
    }
    const state = session.state;
    if (state === "out_of_order") return "out_of_order";
    if (state === "authorizing" || state === "unknown") return "authorizing";
    if (state === "approved" || state === "printing") return "approved";
    if (this.localError) return "error";
    const dismissed = session.id !== null && session.id === this.dismissedSessionId;
    if (!dismissed) {
      if (state === "summary") return this.changing ? "basket" : "summary";
      if (state === "declined") return "declined";
      if (state === "done") return "approved";
    }
    return this.local;
  }

  /** When the visitor will be sent back to the start, or null while nothing can time out. */
  deadline(): number | null {
    if (this.serviceEntry) return null;
    const session = this.session;
    if (!session || inProgress(session.state) || session.state === "out_of_order") return null;
    const dismissed = session.id !== null && session.id === this.dismissedSessionId;
    const daemonOwned = !dismissed && !this.localError && session.state !== "idle";
    if (daemonOwned) return session.expiresAt ? Date.parse(session.expiresAt) : null;
    const atStart =
      this.local === "welcome" &&
      !this.localError &&
      !this.cancelNotice &&
      this.lang === "pl" &&
      !this.largeText &&
      !this.highContrast;
    if (atStart && (session.state === "idle" || dismissed)) return null;
    return this.lastActivity + this.timeoutSeconds() * 1000;
  }

  /** The idle time of the screen shown: longer where the visitor picks services and types amounts. */
  private timeoutSeconds(): number {
    const idle = this.kiosk?.idleTimeoutSeconds ?? 60;
    return this.screen() === "basket" ? dataEntrySeconds(idle) : idle;
  }

  /** Nobody has touched the idle start screen for a while: show passers-by where to scan. */
  private attracting(): boolean {
    return (
      this.serviceEntry === null &&
      this.screen() === "welcome" &&
      this.deadline() === null &&
      this.session?.state === "idle" &&
      Date.now() - this.lastActivity >= ATTRACT_AFTER_MS
    );
  }

  private tick(): void {
    // Focus is never left on the page (a control it was on went away): back to the main action.
    if (!this.serviceEntry) restoreLostFocus(() => void this.focusScreenStart());
    const deadline = this.deadline();
    if (this.attracting() !== this.attractShown) this.now = Date.now();
    // Re-render only when a countdown or a lost connection can change what is shown.
    if (deadline === null && this.connected) return;
    this.now = Date.now();
    if (deadline === null) return;
    const session = this.session;
    const daemonOwned =
      session && session.state !== "idle" && session.id !== this.dismissedSessionId && !this.localError;
    if (this.now >= deadline && !daemonOwned) this.resetForNextVisitor();
  }

  private warningOpen(): boolean {
    // A paid visitor is never asked for more time: the success screen just counts down quietly.
    if (this.screen() === "approved") return false;
    const deadline = this.deadline();
    return deadline !== null && deadline - this.now <= WARNING_MS && deadline - this.now > -5_000;
  }

  // ---- events from the daemon ----------------------------------------------------------------------

  private onSession(session: Session): void {
    const previous = this.session;
    this.session = session;
    this.showReaderRefusal(session, previous === null);
    // The key may be turned while a visit is on screen: its login opens where F9 would, at once or
    // once the screen gets there (the out-of-order screen after a paid visit, a payment left to staff).
    // Turned while service mode is up, that mode offers the key login itself.
    const keyTurned = session.outOfOrderReasons.includes(SERVICE_KEY_REASON);
    this.serviceKeyTurned = keyTurned;
    if (!keyTurned) this.keyLoginOffered = false;
    else if (!this.keyLoginOffered && (this.serviceEntry !== null || this.serviceReachable())) {
      this.keyLoginOffered = true;
      void this.enterService("key");
    }
    const wasVisit = previous && previous.state !== "idle" && previous.id !== this.dismissedSessionId;
    if (session.state === "idle" && wasVisit) {
      if (previous.id !== null && previous.id === this.cancelledByVisitor) {
        // The visitor's own cancel: they stay, in their language, and are told nothing was taken.
        this.cancelledByVisitor = null;
        this.dismissedSessionId = previous.id;
        this.local = "welcome";
        this.cancelNotice = true;
        this.lastActivity = Date.now();
        return;
      }
      this.resetForNextVisitor();
      return;
    }
    if (
      session.state !== "idle" &&
      session.state !== "out_of_order" &&
      session.id !== this.dismissedSessionId
    ) {
      this.ensureLanguage(session);
    }
  }

  private onConnection(connected: boolean): void {
    this.connected = connected;
    this.disconnectedSince = connected ? null : (this.disconnectedSince ?? Date.now());
  }

  /** The visitor's language wins: a session the daemon started in Polish is switched to it. */
  private ensureLanguage(session: Session): void {
    if (session.language === this.lang) return;
    const key = `${session.id}:${this.lang}`;
    if (this.languageRequested === key) return;
    this.languageRequested = key;
    api.language(this.lang).catch(() => undefined);
  }

  /** The language each visit starts in (Polish where offered): the daemon's rule, SPEC §3 languages. */
  private get startLang(): Language {
    return startLanguage(this.kiosk?.languages ?? LANGUAGES);
  }

  /** After each visitor: the start screen, in Polish where offered, default display, empty basket, speech off. */
  private resetForNextVisitor(): void {
    this.local = "welcome";
    this.clearLocalError();
    this.lastPayload = null;
    this.visitSlips = [];
    this.changing = null;
    this.cancelNotice = false;
    this.cancelledByVisitor = null;
    this.basketProblem = "";
    this.lang = this.startLang;
    this.largeText = false;
    this.highContrast = false;
    this.stopAudio();
    // Headphones still in: the next visitor's audio mode waits for them to be plugged in again.
    this.lastActivity = Date.now();
    this.renderRoot.querySelector<BasketScreen>("basket-screen")?.reset();
    if (this.session && this.session.state !== "idle") this.dismissedSessionId = this.session.id;
    else if (this.session && this.session.language !== this.lang) this.ensureLanguage(this.session);
  }

  // ---- the visitor's actions -------------------------------------------------------------------

  private noteActivity(): void {
    this.lastActivity = Date.now();
    if (this.attractShown) this.now = this.lastActivity;
    this.speaker.stop();
    if (this.serviceEntry) return;
    const session = this.session;
    if (!session || session.state === "idle" || inProgress(session.state)) return;
    if (this.lastActivity - this.lastActivityPost < ACTIVITY_THROTTLE_MS) return;
    this.lastActivityPost = this.lastActivity;
    api.activity().catch(() => undefined);
  }

  private onKey(event: KeyboardEvent): void {
    const audioKey = this.audioKey.key(event);
    if (event.key === "F9") {
      if (this.serviceReachable()) {
        event.preventDefault();
        void this.enterService("manual");
      }
      return;
    }
    if (this.serviceEntry) return;
    if (audioKey) {
      // The keypad's audio key ("*"), not a reader's: it acts once it stood alone (audio-key.ts).
      event.preventDefault();
      return;
    }
    if (isArrow(event.key) && !event.defaultPrevented && !event.altKey && !event.ctrlKey && !event.metaKey) {
      if (moveFocus(this.renderRoot, event.key)) {
        event.preventDefault();
        this.announceFocus();
      }
      return;
    }
    if (event.key === "F2") {
      event.preventDefault();
      void this.onAction({ type: "toggle", setting: "speech" });
      return;
    }
    if (event.key !== "Escape" || event.defaultPrevented) return;
    // The kiosk keypad's Cancel key sends Escape: it means "back" or "cancel" on the current screen.
    const screen = this.screen();
    if (screen === "summary" || screen === "declined" || screen === "authorizing") {
      if (this.session?.state !== "unknown") void this.onAction({ type: "cancel" });
    } else if (screen === "error" && this.paymentKept()) {
      // Back, not cancel: the payment on the summary is kept; cancelling it is a button of its own.
      void this.onAction({ type: "resume" });
    } else if (screen === "basket" || screen === "error") {
      void this.onAction({ type: "back" });
    }
  }

  // ---- audio mode and keypad use (issue 18 findings 1 and 6) ----------------------------------------

  /** The keypad's audio key: audio mode on, or the screen said again. */
  private onAudioKey(): void {
    if (this.serviceEntry) return;
    if (this.speechOn) this.speaker.repeat(this.lang);
    else this.startAudio("key");
  }

  /** Audio mode on: how to use the keys, where the visitor is, then the focused control. */
  private startAudio(via: "key" | "headphones"): void {
    this.audioVia = via;
    this.speechOn = true;
    this.speaker.enabled = true;
    this.speaker.speak(this.lang, { id: "audioOn" }, "interrupt");
    this.speaker.repeat(this.lang, "queue");
    this.lastFocus = null;
    this.announceFocus("queue");
  }

  private stopAudio(): void {
    this.audioVia = null;
    this.lastFocus = null;
    this.speechOn = false;
    this.speaker.enabled = false;
    this.speaker.stop();
  }

  /** Headphones plugged in start audio mode; pulled out, what they were saying is not continued aloud. */
  private onAudio(audio: AudioState): void {
    const plugged = audio.headphones && !this.headphones;
    const unplugged = !audio.headphones && this.headphones;
    this.headphones = audio.headphones;
    if (this.serviceEntry) return;
    if (plugged) this.startAudio("headphones");
    else if (unplugged && this.audioVia === "headphones") this.stopAudio();
  }

  /**
   * Says the focused control when it changed. Called on focusin, on every key release and after the
   * app moves focus: a move inside one shadow root (Tab between two buttons of a screen) never reaches
   * the page as an event, so the page asks where focus is instead.
   */
  private announceFocus(mode?: SpeakMode): void {
    if (!this.speechOn || this.serviceEntry) return;
    const el = deepActiveElement();
    if (!el || el === this.lastFocus) return;
    this.lastFocus = el;
    const message = focusMessage(el, this.lang);
    if (message)
      this.speaker.speak(this.lang, message, mode ?? (this.programmaticFocus ? "queue" : "interrupt"));
  }

  /** After Enter on a control that keeps focus (a quantity, a switch), its new value is said. */
  private sayChange(): void {
    if (!this.speechOn) return;
    const el = deepActiveElement();
    if (!el) return;
    const before = JSON.stringify(focusMessage(el, this.lang));
    window.setTimeout(() => {
      if (deepActiveElement() !== el) return this.announceFocus();
      const message = focusMessage(el, this.lang);
      if (message && JSON.stringify(message) !== before) this.speaker.speak(this.lang, message, "queue");
    }, 120);
  }

  /** A key of the on-screen keypad was pressed or typed: it is said back (never a PIN's digits). */
  private onKeypadKey(key: string): void {
    if (!this.speechOn || !(KEYPAD_KEYS as readonly string[]).includes(key)) return;
    this.speaker.speak(this.lang, { id: "key", params: { key: key as KeypadKey } });
  }

  private async focusScreenStart(): Promise<void> {
    if (this.serviceEntry) return;
    this.programmaticFocus = true;
    try {
      await this.renderRoot.querySelector<Screen>("main > *")?.focusStart();
      this.announceFocus("queue");
    } finally {
      this.programmaticFocus = false;
    }
  }

  // ---- service mode ------------------------------------------------------------------------------

  /**
   * Where F9 and the service key open the console: only where no visitor is in the middle of
   * something, or where a payment waits for staff's decision (which only the console can record).
   */
  private serviceReachable(): boolean {
    const screen = this.screen();
    return (
      !this.serviceEntry && (screen === "welcome" || screen === "out_of_order" || awaitsStaff(this.session))
    );
  }

  private async enterService(via: ServiceEntry): Promise<void> {
    if (this.serviceEntry || this.serviceLoading) return;
    this.serviceLoading = true;
    try {
      await import("./service/service-mode.ts");
      this.speaker.stop();
      this.serviceEntry = via;
    } finally {
      this.serviceLoading = false;
    }
  }

  private leaveService(): void {
    this.serviceEntry = null;
    this.resetForNextVisitor();
  }

  /**
   * A scan the kiosk refused, read by a reader wired to the daemon (serial, HID): the session names it
   * with the time it was refused, once per refusal. The browser's own (keyboard-wedge) scans get their
   * 422 as well, with the already-paid details; the same refusal is not shown twice.
   */
  private showReaderRefusal(session: Session, firstSeen: boolean): void {
    const refusal = session.error;
    if (!refusal?.at || (session.state !== "idle" && session.state !== "summary")) return;
    if (refusal.at === this.refusalShown) return;
    this.refusalShown = refusal.at;
    // A page (re)loaded after the refusal: that visitor has moved on.
    if (firstSeen || this.scansInFlight > 0 || this.serviceEntry || this.localError === refusal.code) return;
    this.localError = refusal.code;
    // A slip paid already: when, where and how much, as the 422 tells the page's own scans, and
    // "print again" where the daemon sent the slip as its reader read it (the reprint is asked with it).
    const payload = refusal.paid?.reprint ? (refusal.payload ?? null) : null;
    this.localPaid = refusal.paid ? { ...refusal.paid, reprint: payload !== null } : null;
    this.reprintStatus = "none";
    this.lastPayload = payload;
    this.noteActivity();
  }

  /** An error is shown over a payment still on the summary (a refused second scan): it can go back to it. */
  private paymentKept(): boolean {
    const session = this.session;
    return this.localError !== null && session?.state === "summary" && session.id !== this.dismissedSessionId;
  }

  private clearLocalError(): void {
    this.localError = null;
    this.localPaid = null;
    this.reprintStatus = "none";
  }

  private showProblem(error: unknown): void {
    this.localError = error instanceof ApiProblem ? error.problem.code : "UNKNOWN";
    this.localPaid = error instanceof ApiProblem ? (error.problem.paid ?? null) : null;
    this.reprintStatus = "none";
  }

  /**
   * Whether the page holds the code of every slip on the summary, so a changed basket can be rebuilt
   * with them (`POST /api/basket` takes slips by their code). A slip the daemon's own reader added is
   * not among them: its summary offers no Change rather than drop that slip.
   */
  private slipsKnown(): boolean {
    const known = new Set(this.visitSlips.map(slipIdOf));
    return (this.session?.slips ?? []).every((slip) => known.has(slip.id));
  }

  /** Check answers' Change: the basket screen with the summary's services, at the line to change. */
  private startChange(code: string): void {
    const session = this.session;
    if (session?.state !== "summary" || !this.slipsKnown()) return;
    const draft = session.lines
      .filter((line) => line.slip === null)
      .map((line) => ({
        code: line.code,
        quantity: line.quantity,
        amount: line.amount,
        reference: line.reference,
      }));
    this.basketProblem = "";
    this.local = "basket";
    this.changing = { draft, code };
  }

  private async reprint(): Promise<void> {
    if (!this.lastPayload) return;
    this.reprintStatus = "printing";
    try {
      await api.reprint(this.lastPayload);
      // At most three copies: the button goes once one is printing, the daemon counts the rest.
      if (this.localPaid) this.localPaid = { ...this.localPaid, reprint: false };
    } catch {
      this.reprintStatus = "failed";
    }
  }

  private async scan(payload: string): Promise<void> {
    this.noteActivity();
    this.lastPayload = payload;
    this.scansInFlight += 1;
    try {
      // On the summary a scanned slip joins the payment (SPEC §4), so several slips are paid at once.
      const adding = this.session?.state === "summary";
      const mark = this.order.mark();
      const session = adding ? await api.addSlip(payload) : await api.scan(payload);
      this.clearLocalError();
      this.changing = null;
      const isSlip = (session?.slips.length ?? 0) > 0;
      this.visitSlips = adding ? [...this.visitSlips, payload] : isSlip ? [payload] : [];
      this.cancelNotice = false;
      this.local = "welcome";
      this.showAnswer(session, mark);
    } catch (error) {
      this.showProblem(error);
    } finally {
      this.scansInFlight -= 1;
    }
  }

  /** Shows a call's answer, unless the event stream brought a newer session meanwhile (stream-order.ts). */
  private showAnswer(session: Session | null | undefined, mark: number): void {
    if (session && this.order.answerIsNewest(mark)) this.onSession(session);
  }

  private async onAction(action: KioskAction): Promise<void> {
    try {
      switch (action.type) {
        case "choose-service":
          this.local = "basket";
          this.cancelNotice = false;
          this.basketProblem = "";
          this.catalog = null;
          this.catalog = await api.catalog().catch(() => "unavailable" as const);
          break;
        case "basket": {
          this.basketProblem = "";
          try {
            // A changed basket keeps the summary's slips; a new one is services only.
            const slips = this.changing ? this.visitSlips.map((slip) => ({ slip })) : [];
            const mark = this.order.mark();
            const session = await api.basket([...action.items, ...slips]);
            if (!this.changing) this.visitSlips = [];
            this.changing = null;
            this.showAnswer(session, mark);
            this.local = "welcome";
            this.renderRoot.querySelector<BasketScreen>("basket-screen")?.reset();
          } catch (error) {
            this.basketProblem = error instanceof ApiProblem ? error.problem.code : "UNKNOWN";
          }
          break;
        }
        case "pay":
        case "retry":
          await api.pay();
          break;
        case "cancel":
          this.local = "welcome";
          if (this.session && ["summary", "declined"].includes(this.session.state)) {
            this.cancelledByVisitor = this.session.id;
          }
          await api.cancel();
          break;
        case "back":
          // From changing a line: back to the summary, unchanged.
          this.changing = null;
          if (this.localError && this.session?.state === "summary") await api.cancel().catch(() => undefined);
          this.clearLocalError();
          this.local = "welcome";
          break;
        case "resume":
          // The refused scan changed nothing stored (SPEC §4): the summary behind it is shown again.
          this.clearLocalError();
          this.local = "welcome";
          break;
        case "change":
          this.startChange(action.code);
          if (this.catalog === null || this.catalog === "unavailable") {
            this.catalog = await api.catalog().catch(() => "unavailable" as const);
          }
          break;
        case "enter-amount": {
          const mark = this.order.mark();
          this.showAnswer(await api.enterAmount(action.grosze), mark);
          break;
        }
        case "rescan":
          if (this.lastPayload) await this.scan(this.lastPayload);
          // A reader wired to the daemon kept the code to itself: the visitor scans it again.
          else this.clearLocalError();
          break;
        case "reprint":
          await this.reprint();
          break;
        case "finish":
          // Cancel ends a summary or a decline, and sends a finished visit back to idle at once.
          if (this.session && ["summary", "declined", "done", "cancelled"].includes(this.session.state)) {
            await api.cancel().catch(() => undefined);
          }
          this.resetForNextVisitor();
          break;
        case "language":
          this.lang = action.lang;
          // The daemon keeps the language for the session the visitor is about to start, too.
          if (this.session) this.ensureLanguage(this.session);
          break;
        case "toggle":
          if (action.setting === "speech") {
            if (this.speechOn) this.stopAudio();
            else this.startAudio("key");
          } else if (action.setting === "largeText") {
            this.largeText = !this.largeText;
          } else {
            this.highContrast = !this.highContrast;
          }
          break;
        case "more-time":
          this.lastActivity = Date.now();
          this.lastActivityPost = this.lastActivity;
          this.spokenWarning = false;
          if (this.session && this.session.state !== "idle") {
            const mark = this.order.mark();
            this.showAnswer(await api.activity(), mark);
          }
          break;
      }
    } catch (error) {
      this.showProblem(error);
    }
  }

  // ---- rendering -----------------------------------------------------------------------------------

  /**
   * What the speech synthesiser says for the screen now shown: a sentence of the catalogue by id with
   * its amounts (ui/src/i18n/spoken.ts); the daemon speaks nothing else. The terminal's own display
   * text is free text from a device, so it is shown but not spoken.
   */
  spokenMessage(screen: ScreenName): SpeechMessage {
    const session = this.session;
    switch (screen) {
      case "welcome":
        return { id: "welcome" };
      case "basket":
        return { id: "basket" };
      case "summary":
        return { id: "summary", params: { count: session?.lines.length ?? 0, total: session?.total ?? 0 } };
      case "authorizing":
        if (session?.state !== "unknown")
          return { id: "authorizing", params: { total: session?.total ?? 0 } };
        // Only staff can settle it: said as the screen says it, not "please wait".
        return awaitsStaff(session)
          ? { id: "error", params: { code: PAYMENT_UNRESOLVED } }
          : { id: "checking" };
      case "approved": {
        if (session?.state !== "done") return { id: "approved.printing" };
        return { id: session.payment?.receiptPrinted === false ? "approved.notPrinted" : "approved.take" };
      }
      case "declined": {
        const code = session?.error?.code;
        return { id: "declined", params: { code: speakableCode(code ?? "DECLINED") } };
      }
      case "error":
        return { id: "error", params: { code: speakableCode(this.localError ?? "UNKNOWN") } };
      case "out_of_order":
        return { id: "outOfOrder" };
    }
  }

  protected override updated(): void {
    this.placeReachLine();
    const root = document.documentElement;
    root.lang = this.lang;
    root.classList.toggle("large-text", this.largeText);
    root.classList.toggle("high-contrast", this.highContrast);
    document.title = messages(this.lang).appName;
    if (this.serviceEntry) {
      // Service mode moves its own focus; back on a visitor screen the focus goes to its heading.
      this.shownScreenKey = "service";
      return;
    }
    const screen = this.screen();
    const session = this.session;
    const detail =
      screen === "authorizing"
        ? `${session?.state}:${session?.terminalMessage}`
        : screen === "approved"
          ? // Approved and printing say the same sentence: said again, it cut itself off mid-word.
            this.spokenMessage(screen).id
          : screen === "error"
            ? `${this.localError}`
            : "";
    const key = `${screen}|${this.lang}|${detail}`;
    if (key !== this.shownScreenKey) {
      const screenChanged = key.split("|")[0] !== this.shownScreenKey.split("|")[0];
      const sameLanguage = key.split("|")[1] === this.shownScreenKey.split("|")[1];
      this.shownScreenKey = key;
      const prompt = session?.state === "authorizing" ? session.terminalStatus : null;
      if (screen === "authorizing" && !screenChanged && sameLanguage && prompt !== null) {
        // A new prompt of the terminal waits for the one before to be said (issue 18 finding 1).
        this.speaker.speak(this.lang, { id: "terminal", params: { status: prompt } }, "queue");
      } else {
        this.speaker.speak(this.lang, this.spokenMessage(screen), "interrupt", true);
        if (screen === "authorizing" && prompt !== null) {
          this.speaker.speak(this.lang, { id: "terminal", params: { status: prompt } }, "queue");
        }
      }
      if (screenChanged) {
        void this.focusScreenStart();
        this.lastActivity = Date.now();
      } else if (deepActiveElement()?.tagName === "H1") {
        // The main action came later (Finish once the receipt is printed): focus goes to it.
        void this.focusScreenStart();
      }
    }
    const warning = this.warningOpen();
    if (warning && !this.spokenWarning) {
      this.spokenWarning = true;
      this.speaker.speak(this.lang, { id: "timeout" });
    } else if (!warning) {
      this.spokenWarning = false;
    }
  }

  private renderScreen(screen: ScreenName) {
    const session = this.session;
    const lang = this.lang;
    switch (screen) {
      case "welcome": {
        const cancelled =
          this.cancelNotice || (session?.state === "cancelled" && session.id !== this.dismissedSessionId);
        return html`<welcome-screen
          lang=${lang}
          office=${this.kiosk?.office.name ?? ""}
          notice=${cancelled ? messages(lang).welcome.cancelledNotice : ""}
          scanner=${this.layout().scanner}
        ></welcome-screen>`;
      }
      case "basket":
        return html`<basket-screen
          lang=${lang}
          .catalog=${this.catalog}
          problemCode=${this.basketProblem}
          .draft=${this.changing?.draft ?? null}
          focusCode=${this.changing?.code ?? ""}
        ></basket-screen>`;
      case "error":
        return html`<error-screen
          lang=${lang}
          code=${this.localError ?? "UNKNOWN"}
          .paid=${this.localPaid}
          kioskId=${this.kiosk?.kiosk.id ?? ""}
          reprintStatus=${this.reprintStatus}
          ?paymentKept=${this.paymentKept()}
        ></error-screen>`;
      case "summary":
        return html`<summary-screen
          lang=${lang}
          .session=${session}
          .catalog=${this.catalog}
          ?changeable=${this.slipsKnown()}
        ></summary-screen>`;
      case "authorizing":
        return html`<authorizing-screen
          lang=${lang}
          .session=${session}
          pinPad=${this.layout().pinPad}
        ></authorizing-screen>`;
      case "approved":
        return html`<approved-screen lang=${lang} .session=${session} printer=${this.layout().printer}></approved-screen>`;
      case "declined":
        return html`<declined-screen lang=${lang} .session=${session}></declined-screen>`;
      case "out_of_order":
        return html`<out-of-order-screen
          lang=${lang}
          .languages=${this.kiosk?.languages ?? LANGUAGES}
          ?reconnecting=${!this.connected}
        ></out-of-order-screen>`;
    }
  }

  private layout(): KioskLayout {
    return this.kiosk?.layout ?? DEFAULT_LAYOUT;
  }

  /** Where the screen stands in a payment, for the step bar (none at the start or on an error). */
  private step(screen: ScreenName): Step | null {
    if (screen === "basket" || screen === "summary") return "check";
    if (screen === "authorizing" || screen === "declined") return "pay";
    if (screen === "approved") return "receipt";
    return null;
  }

  private renderHeader(screen: ScreenName, deadline: number | null) {
    if (this.serviceEntry) return null;
    const step = this.step(screen);
    const seconds = deadline === null ? null : Math.max(0, Math.ceil((deadline - this.now) / 1000));
    return html`${step ? html`<step-bar lang=${this.lang} step=${step}></step-bar>` : null}${
      seconds !== null
        ? html`<countdown-ring lang=${this.lang} seconds=${seconds} total=${this.timeoutSeconds()}></countdown-ring>`
        : null
    }`;
  }

  /** Tells the screens where the reach line is (`--info-zone`): what lies below it is within reach. */
  private placeReachLine(): void {
    const main = this.renderRoot.querySelector<HTMLElement>("main");
    if (!main) return;
    const line = reachLine(window.innerWidth, window.innerHeight, this.layout().orientation);
    const zone = Math.max(0, line - main.getBoundingClientRect().top);
    main.style.setProperty("--info-zone", `${Math.round(zone)}px`);
  }

  override render() {
    const screen = this.screen();
    const deadline = this.deadline();
    const warning = this.warningOpen();
    const service = this.serviceEntry;
    const attract = this.attracting();
    this.attractShown = attract;
    const languageSwitch =
      service !== null ||
      screen === "welcome" ||
      screen === "summary" ||
      screen === "basket" ||
      screen === "error";
    return html`
      <header>${this.renderHeader(screen, deadline)}</header>
      <main data-screen=${service ? "service" : screen} ?data-attract=${attract}>
        ${
          service
            ? html`<service-mode lang=${this.lang} entry=${service} ?keyTurned=${this.serviceKeyTurned}></service-mode>`
            : attract
              ? html`<attract-screen
                  lang=${this.lang}
                  .languages=${this.kiosk?.languages ?? LANGUAGES}
                  scanner=${this.layout().scanner}
                ></attract-screen>`
              : this.renderScreen(screen)
        }
        <timeout-dialog
          lang=${this.lang}
          ?open=${warning}
          seconds=${deadline === null ? 0 : Math.ceil((deadline - this.now) / 1000)}
          total=${this.timeoutSeconds()}
        ></timeout-dialog>
      </main>
      <footer>
        <kiosk-toolbar
          lang=${this.lang}
          .languages=${this.kiosk?.languages ?? [...LANGUAGES]}
          ?showLanguages=${languageSwitch}
          ?speech=${this.speechOn}
          ?speechAvailable=${this.kiosk?.speech !== false}
          ?largeText=${this.largeText}
          ?highContrast=${this.highContrast}
        ></kiosk-toolbar>
      </footer>
    `;
  }
}
customElements.define("oplatomat-app", OplatomatApp);
