import {
  type TerminalTransaction,
  TerminalCommandError,
  TerminalOutcomeUnknownError,
  TypedEmitter,
} from "../../devices/device.ts";
import type { KioskConfig, Language } from "../config/types.ts";
import { type BasketRequestItem, buildBasket } from "../domain/basket.ts";
import { priceListFor } from "../domain/catalog.ts";
import { type PaymentLine, slipLines } from "../domain/lines.ts";
import { scrubPans } from "../domain/pan.ts";
import type { ReceiptModel } from "../domain/receipt.ts";
import type { Slip, SlipErrorCode } from "../domain/slip.ts";
import { businessDay } from "../domain/time.ts";
import { crashPoint } from "../ops/crash-points.ts";
import { appendAudit } from "../store/records.ts";
import { RefusalAudit } from "./refusal-audit.ts";
import {
  type SessionContents,
  type SessionRow,
  type SessionStore,
  StaleStateError,
} from "../store/sessions.ts";
import { hasRoomToWrite, isDatabaseFull } from "../store/space.ts";
import { MAX_PAYMENT_ITEMS, newSlip, sessionContents, storedContents } from "./basket-contents.ts";
import { FlowError } from "./errors.ts";
import { awaitsVisitor, inProgress, isFinal } from "./states.ts";
import { type EndOfDayInput, type EndOfDayResult, runEndOfDay } from "./end-of-day.ts";
import { TerminalLock } from "./terminal-lock.ts";
import type { UnresolvedPayment } from "./terminal-answers.ts";
import { transition, tryTransition } from "./transition.ts";
import { Booking } from "./booking.ts";
import { Recovery } from "./recovery.ts";

export type { UnresolvedPayment } from "./terminal-answers.ts";
import { type VoidResult, voidPayment } from "./void-payment.ts";
import { transferCodeLine } from "./transfer-scan.ts";
import {
  appliesTo,
  assertAmountEntered,
  contentsWithAmount,
  type OpenAmount,
  withOpenAmount,
} from "./open-amount.ts";
import { paidSlipInfo, reprintPaidSlip, type SlipReprintDependencies } from "./slip-reprint.ts";
import { receiptModelOf } from "./receipt-model.ts";
import { checkScannedSlip } from "./slip-check.ts";
import { type SessionView, idleView, viewOf } from "./session-view.ts";

export type { SlipCheckAnswer } from "./slip-check.ts";

/** An item of `POST /api/basket`: a catalog service, or a slip by its OPL1 payload. */
export type BasketItem = BasketRequestItem | { slip: string };

import type { FlowDependencies, FlowEvents, FlowHost } from "./ports.ts";

export type { FlowDependencies, FlowEvents } from "./ports.ts";

type TransitionArgs = Parameters<typeof transition> extends [unknown, ...infer Rest] ? Rest : never;

export class PaymentFlow extends TypedEmitter<FlowEvents> {
  private currentId: string | null = null;
  private language: Language = "pl";
  private idleError: { code: string } | null = null;
  private terminalMessage: string | null = null;
  /** The intermediate status code of terminalMessage (its spoken prompt is the catalogue's). */
  private terminalStatus: number | null = null;
  private deadline: Date | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly outOfOrderReasons = new Map<string, string>();
  private cancelRequested = false;
  /** SPEC §1b: a `000000` transfer code's session whose amount the visitor has not typed yet. */
  private openAmount: OpenAmount | null = null;
  private lock: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;
  private readonly terminalReceiptLines: string[] = [];
  /** A technician's scanner test waiting for the next code, from any reader or the keyboard wedge. */
  private scanCapture: ((code: string | null) => void) | null = null;
  private spaceTimer: NodeJS.Timeout | null = null;
  /** Attended mode: the cashier and shift at the desk; payments started now are theirs. */
  private desk: { cashierId: string; shiftId: string } | null = null;
  private closed = false;
  /** The session whose `request_sent` stage is already written (one write per attempt). */
  private stageSeen: string | null = null;
  /** Work still running after an API call returned (authorization, printing), awaited on close. */
  private readonly background = new Set<Promise<unknown>>();
  /** Refused scans come unauthenticated: their audit rows are bounded (issue 13.7). */
  private readonly refusals: RefusalAudit;
  /** The one terminal: payments, recovery, voids and end-of-day take turns on it. */
  private readonly terminalLock = new TerminalLock();
  /** The charge booked and its receipt printed (kiosk/flow/booking.ts). */
  private readonly booking: Booking;
  /** Payments left in flight resolved against the terminal (kiosk/flow/recovery.ts). */
  private readonly recovery: Recovery;

  constructor(private readonly deps: FlowDependencies) {
    super();
    this.now = deps.now ?? (() => new Date());
    this.booking = new Booking({ ...deps, now: this.now }, this.host());
    this.recovery = new Recovery(
      {
        ...deps,
        booking: this.booking,
        now: this.now,
        retry: () => void this.exclusive(() => this.recover()),
      },
      this.host(),
    );
    this.refusals = new RefusalAudit({
      now: this.now,
      write: (action, target, details) =>
        appendAudit(this.deps.store.db, { actor: "visitor", action, target, details }),
    });
    deps.terminal.on("intermediate", (status) => {
      if (!this.currentId) return;
      this.terminalAnswered(this.currentId);
      this.terminalMessage = status.message[this.language];
      this.terminalStatus = status.code;
      this.publish();
    });
    deps.terminal.on("receiptText", (lines, copy) => {
      if (this.currentId) this.terminalAnswered(this.currentId);
      // The merchant's and the administration copy are not the visitor's (issue 12 defect 6).
      if (copy === "merchant" || copy === "administration") return;
      this.terminalReceiptLines.push(...lines.map((l) => scrubPans(l)));
    });
  }

  /** What booking and recovery may ask of the visit on screen. */
  private host(): FlowHost {
    // Getters (not copies): booking reads the attempt's state at the moment it needs it.
    const flow = this;
    return {
      publish: () => this.publish(),
      shown: (id) => {
        if (this.currentId === id) this.publish();
      },
      settled: (id) => {
        if (this.currentId === id) this.armIdleTimer();
      },
      get cancelRequested() {
        return flow.cancelRequested;
      },
      get terminalReceipt() {
        return flow.terminalReceiptLines;
      },
      clearTerminalMessage: () => {
        this.terminalMessage = null;
      },
      setOutOfOrder: (key, reason) => this.setOutOfOrder(key, reason),
      get closed() {
        return flow.closed;
      },
      emit: (event, ...args) => {
        this.emit(event, ...args);
      },
    };
  }

  /** The terminal showed it received the 06 01 (recovery's stage `request_sent`). */
  private terminalAnswered(id: string): void {
    if (this.stageSeen === id) return;
    this.stageSeen = id;
    this.store.advanceStage(id, "request_sent", ["nothing_sent"]);
  }

  private get config(): KioskConfig {
    return this.deps.config;
  }

  private get store(): SessionStore {
    return this.deps.store;
  }

  /** Serialises API calls so two requests never race on the one current session. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private track(p: Promise<unknown>): void {
    this.background.add(p);
    p.finally(() => this.background.delete(p)).catch(() => undefined);
  }

  // ───────────────────────────── views ─────────────────────────────

  current(): SessionRow | undefined {
    return this.currentId ? this.store.get(this.currentId) : undefined;
  }

  view(): SessionView {
    const row = this.current();
    if (!row) {
      const ooo = this.outOfOrderReasons.size > 0;
      return idleView(this.language, ooo ? "out_of_order" : "idle", ooo ? null : this.idleError, [
        ...this.outOfOrderReasons.values(),
      ]);
    }
    const working = inProgress(row.state);
    const view = viewOf(this.config, row, this.store.lines(row.id), this.store.slips(row.id), {
      terminalMessage: row.state === "authorizing" ? this.terminalMessage : null,
      terminalStatus: this.terminalStatus,
      expiresAt: working || !this.deadline ? null : this.deadline.toISOString(),
    });
    const open = this.openAmount;
    return row.state === "summary" && appliesTo(open, row.id) ? withOpenAmount(view, open) : view;
  }

  /** SPEC §1b: the amount the visitor typed for a `000000` transfer code; written before it can be paid. */
  enterAmount(amount: number): Promise<SessionView> {
    return this.exclusive(async () => {
      const row = this.current();
      const open = this.openAmount;
      if (row?.state !== "summary" || !appliesTo(open, row.id)) {
        throw new FlowError("CONFLICT", 409, "no amount to enter");
      }
      const contents = contentsWithAmount(
        this.config,
        open,
        this.store.slips(row.id),
        this.store.lines(row.id),
        amount,
      );
      this.store.replaceContents(row.id, contents, "amount entered by the visitor", this.now().toISOString());
      this.openAmount = null;
      this.armIdleTimer();
      this.publish();
      return this.view();
    });
  }

  private publish(): void {
    if (this.closed) return;
    this.emit("session", this.view());
  }

  isOutOfOrder(): boolean {
    return this.outOfOrderReasons.size > 0;
  }

  outOfOrder(): string[] {
    return [...this.outOfOrderReasons.values()];
  }

  /** Sets or clears one reason for being out of order (door open, service switch, printer, …). */
  setOutOfOrder(key: string, reason: string | null): void {
    if (this.closed) return;
    const before = this.outOfOrderReasons.size;
    if (reason) this.outOfOrderReasons.set(key, reason);
    else this.outOfOrderReasons.delete(key);
    if (before !== this.outOfOrderReasons.size || reason) {
      this.emit("outOfOrder", this.outOfOrder());
      // A visitor looking at a summary must not start paying on a kiosk that just went out of order.
      const row = this.current();
      if (reason && row && awaitsVisitor(row.state)) {
        this.endSession(row.id, "out of order: " + reason);
      }
      // A technician's switch or an open door ends a finished visit's screen at once; a device fault
      // does not, so a visitor whose receipt failed still sees its image and verification code.
      const operatorAction = key === "service" || key === "door" || key === "service_key";
      if (reason && row && operatorAction && !inProgress(this.current()?.state ?? "")) this.toIdle();
      else this.publish();
    }
  }

  // ───────────────────────────── inactivity ─────────────────────────────

  private armIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.deadline = null;
    // At the cash desk the cashier ends a basket, not a timer.
    if (this.attended) return;
    const row = this.current();
    if (!row && !this.idleError) return;
    if (row && inProgress(row.state)) return;
    const ms = this.config.kiosk.idleTimeoutSeconds * 1000;
    this.deadline = new Date(this.now().getTime() + ms);
    this.idleTimer = setTimeout(() => {
      void this.exclusive(async () => this.onIdle());
    }, ms);
    this.idleTimer.unref();
  }

  private onIdle(): void {
    const row = this.current();
    if (row && awaitsVisitor(row.state)) {
      this.endSession(row.id, "inactivity");
    }
    this.toIdle();
  }

  /** Back to the welcome screen, in Polish, for the next visitor. */
  private toIdle(): void {
    const row = this.current();
    if (row && inProgress(row.state)) return;
    this.currentId = null;
    this.idleError = null;
    this.terminalMessage = null;
    this.language = "pl";
    this.armIdleTimer();
    this.publish();
  }

  /** The visitor is still there ("more time"). */
  activity(): SessionView {
    this.armIdleTimer();
    this.publish();
    return this.view();
  }

  setLanguage(language: Language): SessionView {
    if (!this.config.kiosk.languages.includes(language)) {
      throw new FlowError("VALIDATION", 422, `language ${language} is not offered on this kiosk`);
    }
    this.language = language;
    const row = this.current();
    if (row) {
      this.store.setLanguage(row.id, language);
    }
    this.armIdleTimer();
    this.publish();
    return this.view();
  }

  // ───────────────────────────── starting a session ─────────────────────────────

  private get attended(): boolean {
    return this.config.kiosk.mode === "attended";
  }

  /** Attended mode: the shift now open at the desk (null when closed); payments started are its. */
  setDesk(desk: { cashierId: string; shiftId: string } | null): void {
    this.desk = desk;
  }

  private assertCanStart(): void {
    if (this.closed) throw new FlowError("DEVICE_UNAVAILABLE", 503, "the kiosk is shutting down");
    if (this.attended && !this.desk)
      throw new FlowError("UNAUTHORIZED", 401, "no shift is open at this desk");
    if (this.isOutOfOrder()) {
      throw new FlowError("DEVICE_UNAVAILABLE", 503, `out of order: ${this.outOfOrder().join("; ")}`);
    }
    const row = this.current();
    if (row && inProgress(row.state)) {
      throw new FlowError("CONFLICT", 409, "a payment is in progress");
    }
  }

  private refuseScan(
    code: SlipErrorCode,
    payload: string,
    detail?: string,
    extra?: Record<string, unknown>,
  ): never {
    this.refusals.record({ code, payload, ...(detail ? { detail } : {}) });
    this.idleError = { code };
    // A refused scan replaces nothing: a summary on screen stays valid, else show the error on idle.
    if (!this.current()) this.armIdleTimer();
    this.publish();
    throw new FlowError(code, 422, `${code}${detail ? `: ${detail}` : ""}`, undefined, extra);
  }

  /**
   * The next scanned code goes to the technician instead of starting a payment; null on time-out, or
   * when a newer scanner test takes over (its wait must not be ended by this one's timer).
   */
  captureNextScan(timeoutMs: number): Promise<string | null> {
    this.scanCapture?.(null);
    return new Promise((resolve) => {
      const finish = (code: string | null): void => {
        clearTimeout(timer);
        if (this.scanCapture === finish) this.scanCapture = null;
        resolve(code);
      };
      const timer = setTimeout(() => finish(null), timeoutMs);
      this.scanCapture = finish;
    });
  }

  scan(rawPayload: string): Promise<SessionView> {
    const payload = rawPayload.replace(/[\r\n]+$/, "");
    if (this.scanCapture) {
      this.scanCapture(payload);
      return Promise.resolve(this.view());
    }
    // At the cash desk a scan adds the slip to the open basket (SPEC §10); at a kiosk it starts anew.
    if (this.config.kiosk.mode === "attended" && this.current()?.state === "summary") {
      return this.addSlip(payload);
    }
    return this.exclusive(async () => {
      this.assertCanStart();
      const now = this.now();
      const transfer = transferCodeLine(this.config, this.catalog(), payload);
      if (transfer) {
        const { line, amountToEnter } = transfer;
        // Known before the session's first event, so no view shows the placeholder as an amount.
        this.openAmount = amountToEnter
          ? { sessionId: null, code: line.code, placeholder: line.amount, ...amountToEnter }
          : null;
        try {
          const view = this.startSession(
            sessionContents(this.config, [], [line]),
            now,
            "transfer code scanned",
          );
          if (this.openAmount) this.openAmount.sessionId = this.currentId;
          return this.openAmount ? this.view() : view;
        } catch (e) {
          this.openAmount = null;
          throw e;
        }
      }
      const slip = await this.checkedSlip(payload, now, []);
      return this.startSession(
        sessionContents(this.config, [newSlip(slip)], slipLines(slip, this.config.components)),
        now,
        `slip ${slip.slip} scanned`,
      );
    });
  }

  /** Checks one slip (SPEC §1 order); a refusal is audited, shown and thrown as its slip code. */
  private async checkedSlip(payload: string, now: Date, inBasket: readonly string[]): Promise<Slip> {
    const verdict = await checkScannedSlip(
      {
        config: this.config,
        trustedKeys: this.deps.trustedKeys,
        slipTaken: (office, slip) => this.store.slipTaken(office, slip) !== null,
        paidSlip: (office, slip) => paidSlipInfo(this.slipReprints(), office, slip, now),
        ...(this.deps.checkSlip ? { checkSlip: this.deps.checkSlip } : {}),
        acceptedOffline: (slip) =>
          this.deps.log.warn({ slip }, "office system unreachable; slip accepted by offline policy"),
      },
      payload,
      now,
      inBasket,
    );
    if (!verdict.ok) {
      this.refuseScan(
        verdict.code,
        payload,
        verdict.detail,
        verdict.paid ? { paid: verdict.paid } : undefined,
      );
    }
    return verdict.slip;
  }

  private slipReprints(): SlipReprintDependencies {
    return {
      store: this.store,
      kioskId: this.config.kiosk.id,
      officeId: this.config.office.id,
      trustedKeys: this.deps.trustedKeys,
      print: (id) => this.reprint(id, { copy: true }),
      printerReady: () => this.deps.printer.state === "idle" || this.deps.printer.state === "busy",
    };
  }

  /**
   * SPEC §1a: prints the confirmation of a slip paid on this device again. Resolves once the reprint
   * is recorded; the printing itself goes on (a printer fault is logged, the visitor asks staff).
   */
  reprintSlip(payload: string): void {
    const printing = reprintPaidSlip(this.slipReprints(), payload, this.now());
    printing.catch((e: unknown) => this.deps.log.warn({ err: String(e) }, "visitor reprint failed"));
  }

  catalog(): ReturnType<typeof priceListFor> {
    return priceListFor(this.config.catalog, businessDay(this.now(), this.config.kiosk.timezone));
  }

  /** A basket of services and slips (SPEC §4), in the order given; every slip checked as one is. */
  basket(items: BasketItem[]): Promise<SessionView> {
    return this.exclusive(async () => {
      this.assertCanStart();
      const now = this.now();
      const services = items.flatMap((item, index) => ("slip" in item ? [] : [{ item, index }]));
      let serviceLines: PaymentLine[] = [];
      if (services.length > 0) {
        const result = buildBasket(
          services.map((x) => x.item),
          this.catalog(),
        );
        if (!result.ok) {
          const problems = result.problems.map((p) => ({ ...p, index: services[p.index]?.index ?? p.index }));
          throw new FlowError("VALIDATION", 422, "the basket is not valid", problems);
        }
        serviceLines = result.lines;
      }
      const slips: Slip[] = [];
      const lines: PaymentLine[] = [];
      for (const item of items) {
        if ("slip" in item) {
          const payload = item.slip.replace(/[\r\n]+$/, "");
          const slip = await this.checkedSlip(
            payload,
            now,
            slips.map((x) => x.slip),
          );
          slips.push(slip);
          lines.push(...slipLines(slip, this.config.components));
        } else {
          lines.push(serviceLines.shift() as PaymentLine);
        }
      }
      return this.startSession(
        sessionContents(this.config, slips.map(newSlip), lines),
        now,
        slips.length > 0 ? `basket built with ${slips.length} slip(s)` : "basket built",
      );
    });
  }

  /** One more slip into the payment on screen (SPEC §4 `POST /api/session/slips`). */
  addSlip(rawPayload: string): Promise<SessionView> {
    const payload = rawPayload.replace(/[\r\n]+$/, "");
    return this.exclusive(async () => {
      const row = this.current();
      if (row?.state !== "summary")
        throw new FlowError("CONFLICT", 409, "no payment summary to add a slip to");
      assertAmountEntered(this.openAmount, row.id);
      if (this.isOutOfOrder()) throw new FlowError("DEVICE_UNAVAILABLE", 503, "out of order");
      const now = this.now();
      const held = storedContents(this.store.slips(row.id), this.store.lines(row.id));
      if (held.slips.length + held.lines.filter((l) => l.slip === undefined).length >= MAX_PAYMENT_ITEMS) {
        throw new FlowError(
          "VALIDATION",
          422,
          `at most ${MAX_PAYMENT_ITEMS} slips and services in one payment`,
        );
      }
      const slip = await this.checkedSlip(
        payload,
        now,
        held.slips.map((x) => x.id),
      );
      // The visitor may have left, or paid, while the office system answered.
      if (this.current()?.id !== row.id)
        throw new FlowError("CONFLICT", 409, "the payment changed meanwhile");
      const contents = sessionContents(
        this.config,
        [...held.slips, newSlip(slip)],
        [...held.lines, ...slipLines(slip, this.config.components)],
      );
      try {
        this.unlessFull(() =>
          this.store.replaceContents(row.id, contents, `slip ${slip.slip} added`, now.toISOString()),
        );
      } catch (e) {
        if (e instanceof StaleStateError)
          throw new FlowError("CONFLICT", 409, "the payment changed meanwhile");
        throw e;
      }
      this.idleError = null;
      this.armIdleTimer();
      this.publish();
      return this.view();
    });
  }

  /** Catalog services into the payment on screen (the cash desk's basket grows item by item). */
  addServices(items: BasketRequestItem[]): Promise<SessionView> {
    return this.exclusive(async () => {
      const row = this.current();
      if (row?.state !== "summary")
        throw new FlowError("CONFLICT", 409, "no payment summary to add services to");
      const held = storedContents(this.store.slips(row.id), this.store.lines(row.id));
      const count = held.slips.length + held.lines.filter((l) => l.slip === undefined).length;
      if (count + items.length > MAX_PAYMENT_ITEMS) {
        throw new FlowError(
          "VALIDATION",
          422,
          `at most ${MAX_PAYMENT_ITEMS} slips and services in one payment`,
        );
      }
      const result = buildBasket(items, this.catalog());
      if (!result.ok) throw new FlowError("VALIDATION", 422, "the services are not valid", result.problems);
      const now = this.now();
      const contents = sessionContents(this.config, held.slips, [...held.lines, ...result.lines]);
      this.unlessFull(() =>
        this.store.replaceContents(row.id, contents, `${items.length} service(s) added`, now.toISOString()),
      );
      this.publish();
      return this.view();
    });
  }

  private startSession(contents: SessionContents, now: Date, reason: string): SessionView {
    const old = this.current();
    if (old && awaitsVisitor(old.state)) {
      this.endSession(old.id, "replaced by a new session");
    }
    const id = this.unlessFull(() =>
      this.store.create(
        {
          language: this.language,
          officeId: this.config.office.id,
          kioskId: this.config.kiosk.id,
          contents,
          ...(this.desk ? { desk: this.desk } : {}),
          now: now.toISOString(),
          reason,
        },
        businessDay(now, this.config.kiosk.timezone),
      ),
    );
    crashPoint("flow.summary.written");
    this.currentId = id;
    this.idleError = null;
    this.terminalMessage = null;
    this.armIdleTimer();
    this.publish();
    return this.view();
  }

  private endSession(id: string, reason: string): void {
    try {
      this.move(id, "abandon", reason);
    } catch (e) {
      if (!(e instanceof StaleStateError)) throw e;
    }
  }

  cancel(): Promise<SessionView> {
    return this.exclusive(async () => {
      const row = this.current();
      if (!row) return this.view();
      if (row.state === "authorizing") {
        // The terminal decides: an abort it accepts ends as cancelled when its answer comes back.
        this.cancelRequested = true;
        await this.deps.terminal.abort().catch((e: unknown) => {
          this.deps.log.warn({ err: String(e) }, "terminal abort failed");
        });
        return this.view();
      }
      if (awaitsVisitor(row.state)) {
        this.endSession(row.id, "cancelled by the visitor");
        this.toIdle();
        return this.view();
      }
      if (isFinal(row.state)) {
        this.toIdle();
        return this.view();
      }
      throw new FlowError("CONFLICT", 409, `cannot cancel while ${row.state}`);
    });
  }

  // ───────────────────────────── paying ─────────────────────────────

  pay(): Promise<SessionView> {
    return this.exclusive(async () => {
      const row = this.current();
      if (!row || !awaitsVisitor(row.state)) {
        throw new FlowError("CONFLICT", 409, "nothing to pay");
      }
      assertAmountEntered(this.openAmount, row.id);
      if (this.isOutOfOrder()) throw new FlowError("DEVICE_UNAVAILABLE", 503, "out of order");
      if (this.deps.terminal.state === "offline" || this.deps.terminal.state === "closed") {
        throw new FlowError("DEVICE_UNAVAILABLE", 503, "the card terminal is unavailable");
      }
      await this.assertPrinterReady(row.id);
      // Checked last, with nothing awaited until the payment is queued on the terminal below.
      if (this.terminalLock.busy) {
        throw new FlowError(
          "DEVICE_UNAVAILABLE",
          503,
          `the card terminal is busy (${this.terminalLock.heldBy ?? "queued work"}); try again shortly`,
        );
      }
      const now = this.now();
      try {
        this.move(
          row.id,
          "pay",
          "payment started",
          {
            payment_status: "authorizing",
            attempts: row.attempts + 1,
            authorizing_at: now.toISOString(),
            error_code: null,
            terminal_stage: "nothing_sent",
          },
          { now: now.toISOString(), data: { amount: row.total, attempt: row.attempts + 1 } },
        );
      } catch (e) {
        if (e instanceof Error && /UNIQUE constraint failed/.test(e.message)) {
          this.move(row.id, "abandon", "slip already paid", {
            error_code: "SLIP_ALREADY_PAID",
          });
          this.publish();
          throw new FlowError("SLIP_ALREADY_PAID", 409, "this slip has already been paid");
        }
        if (isDatabaseFull(e)) this.databaseFull();
        throw e;
      }
      crashPoint("flow.authorizing.written");
      this.stageSeen = null;
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.deadline = null;
      this.cancelRequested = false;
      this.terminalMessage = null;
      this.terminalReceiptLines.length = 0;
      this.publish();
      this.track(this.terminalLock.run("payment", () => this.authorize(row.id, now)));
      return this.view();
    });
  }

  /**
   * Asks the printer before any card is charged (issue 12 defect 5): one without automatic status
   * back says nothing by itself when its paper runs out while idle, and a visitor charged without a
   * receipt is worse than one sent to the cash desk. Its answer may put the kiosk out of order and end
   * the summary on screen meanwhile, so the session is looked at again afterwards.
   */
  private async assertPrinterReady(id: string): Promise<void> {
    const readiness = await this.deps.printer.readiness();
    if (!readiness.ready) {
      this.deps.log.warn({ session: id, reason: readiness.reason }, "payment refused: printer not ready");
      throw new FlowError(
        "PRINTER_UNAVAILABLE",
        503,
        `the receipt printer is not ready (${readiness.reason})`,
      );
    }
    const row = this.store.get(id);
    if (!row || !awaitsVisitor(row.state)) {
      throw new FlowError("DEVICE_UNAVAILABLE", 503, "out of order");
    }
  }

  private async authorize(id: string, startedAt: Date): Promise<void> {
    const row = this.store.get(id) as SessionRow;
    let persisted: TerminalTransaction | null = null;
    try {
      const tx = await this.deps.terminal.authorize({
        amount: row.total,
        persist: (t) => {
          this.booking.persistResult(id, t);
          persisted = t;
          crashPoint("flow.result.persisted");
        },
        acknowledged: (t) => {
          if (t.outcome !== "approved") return;
          this.store.advanceStage(id, "result_acknowledged", ["result_stored"]);
          crashPoint("flow.result.acknowledged");
        },
      });
      crashPoint("flow.completion.received");
      if (!persisted) this.booking.persistResult(id, tx);
      if (tx.outcome === "approved") {
        await this.booking.commitAndPrint(id, "terminal confirmed", { terminal_stage: "completion_seen" });
      } else {
        this.finishNotApproved(id, startedAt);
      }
    } catch (e) {
      if (e instanceof TerminalCommandError) {
        this.deps.log.warn(
          { session: id, resultCode: e.resultCode, err: e.message },
          "terminal refused the payment",
        );
        this.safeMove(id, "refuse", `terminal refused: ${e.message}`, {
          payment_status: "declined",
          error_code: "TERMINAL_UNAVAILABLE",
        });
        this.finishNotApproved(id, startedAt);
        return;
      }
      const why = e instanceof TerminalOutcomeUnknownError ? e.message : `unexpected: ${String(e)}`;
      this.deps.log.error({ session: id, err: why }, "payment outcome unknown; recovering");
      this.safeMove(id, "lose", `outcome unknown: ${why}`, {
        payment_status: "unknown",
      });
      this.publish();
      await this.recovery.recoverSession(id);
    }
  }

  /** One row of the transition table (kiosk/flow/states.ts), written before its side effect. */
  private move(...args: TransitionArgs): SessionRow {
    return transition(this.store, ...args);
  }

  /** A move that may have been overtaken (a late terminal event, a restart): skipped, not thrown. */
  private safeMove(...args: TransitionArgs): SessionRow | null {
    return tryTransition(this.store, this.deps.log, ...args);
  }

  private finishNotApproved(id: string, startedAt: Date): void {
    const row = this.store.get(id);
    if (!row) return;
    const seconds = (this.now().getTime() - startedAt.getTime()) / 1000;
    if (this.cancelRequested && row.state === "declined") {
      this.safeMove(id, "abandon", "cancelled by the visitor");
      this.emit("paymentFinished", { outcome: "cancelled", amount: row.total, seconds });
    } else {
      this.emit("paymentFinished", { outcome: "declined", amount: row.total, seconds });
    }
    this.cancelRequested = false;
    this.terminalMessage = null;
    if (this.currentId === id) this.armIdleTimer();
    this.publish();
  }

  /** Prints a receipt again (technician's reprint, or the printer came back for the visitor on screen). */
  reprint(id: string, options: { copy: boolean }): Promise<void> {
    return this.booking.reprint(id, options);
  }

  /** The printer is ready again: print the receipt of the visitor still on screen, if it failed. */
  async printerReady(): Promise<void> {
    const row = this.current();
    if (row?.state !== "done" || row.receipt_printed === 1 || row.payment_status !== "approved") return;
    try {
      await this.reprint(row.id, { copy: false });
    } catch (e) {
      this.deps.log.warn({ err: String(e) }, "receipt retry failed");
    }
  }

  receiptModel(id: string): ReceiptModel | null {
    const row = this.store.get(id);
    if (!row?.committed_at) return null;
    return receiptModelOf(this.config, row, this.store.lines(id), this.store.slips(id));
  }

  // ───────────────────────────── recovery ─────────────────────────────

  /**
   * After a restart: every session a crash left behind ends in a known state. Abandoned summaries
   * are cancelled; payments in flight are resolved against the terminal's last transaction.
   */
  recover(): Promise<void> {
    return this.terminalLock.run("recovery", () => this.recovery.recoverAll());
  }

  /** Sessions whose outcome is unknown, for the service console, with the terminal's last answer. */
  unresolvedPayments(): UnresolvedPayment[] {
    return this.recovery.unresolvedPayments();
  }

  /**
   * Staff checked the terminal's journal and say what happened to an unknown payment. Audited before
   * it takes effect. `charged` books it (no receipt is printed: the visitor is gone; staff reprint on
   * request); `not_charged` ends it and frees the slip.
   */
  resolveUnknown(
    id: string,
    verdict: { verdict: "charged" | "not_charged"; note: string; receiptNo?: string },
    actor: string,
  ): Promise<SessionRow> {
    return this.exclusive(() => this.recovery.resolve(id, verdict, actor));
  }

  /**
   * Runs a write that starts a visit; a full database puts the kiosk out of order (issue 8: cleanly,
   * never a 500) and nothing is charged, since every write precedes the side effect it enables.
   */
  private unlessFull<T>(write: () => T): T {
    try {
      return write();
    } catch (e) {
      if (isDatabaseFull(e)) this.databaseFull();
      throw e;
    }
  }

  private databaseFull(): never {
    this.deps.log.error({}, "database full: out of order until space is back");
    this.setOutOfOrder("database", "the database is full");
    if (!this.spaceTimer && !this.closed) {
      // Back in service by itself once a write fits again (space freed, or the ceiling raised).
      this.spaceTimer = setInterval(() => {
        if (!hasRoomToWrite(this.store.db)) return;
        if (this.spaceTimer) clearInterval(this.spaceTimer);
        this.spaceTimer = null;
        this.setOutOfOrder("database", null);
      }, 1_000);
      this.spaceTimer.unref();
    }
    throw new FlowError("DEVICE_UNAVAILABLE", 503, "out of order: the database is full");
  }

  // ───────────────────────────── operations on the terminal ─────────────────────────────

  /**
   * Same-day void (kiosk/flow/void-payment.ts), on the terminal after whatever holds it now: never
   * interleaved with a visitor's payment or its recovery. The visitor's own payment still in progress
   * is refused outright (it cannot be voided before it is booked).
   */
  voidPayment(id: string, actor: string, reason: string): Promise<VoidResult> {
    const row = this.current();
    if (row?.id === id && inProgress(row.state)) {
      return Promise.reject(new FlowError("CONFLICT", 409, "the payment is still in progress"));
    }
    return this.terminalLock.run("void", () =>
      voidPayment({
        db: this.store.db,
        terminal: this.deps.terminal,
        config: this.config,
        paymentId: id,
        actor,
        reason,
        now: this.now,
      }),
    );
  }

  /**
   * End-of-day (kiosk/flow/end-of-day.ts) with the kiosk out of order meanwhile, so no payment starts
   * during the batch close; refused while the visitor's payment is in progress.
   */
  async endOfDay(
    actor: string,
    options: Pick<EndOfDayInput, "reportDirectory" | "log"> = {},
  ): Promise<EndOfDayResult> {
    const row = this.current();
    if (row && inProgress(row.state)) {
      throw new FlowError("CONFLICT", 409, "a payment is in progress; end-of-day must wait");
    }
    this.setOutOfOrder("end_of_day", "end-of-day in progress");
    try {
      return await this.terminalLock.run("end-of-day", () =>
        runEndOfDay({
          db: this.store.db,
          terminal: this.deps.terminal,
          config: this.config,
          now: this.now,
          actor,
          ...options,
        }),
      );
    } finally {
      this.setOutOfOrder("end_of_day", null);
    }
  }

  /** Sessions needing the terminal before end-of-day may run. */
  unresolvedCount(): number {
    return this.store.unfinished().length;
  }

  /** Makes a session the one on screen again after a restart (so the visitor sees the outcome). */
  adopt(id: string): void {
    if (this.store.get(id)) {
      this.currentId = id;
      this.armIdleTimer();
      this.publish();
    }
  }

  async close(graceMs = 5_000): Promise<void> {
    this.closed = true;
    try {
      this.refusals.flush();
    } catch (error) {
      this.deps.log.error({ err: String(error) }, "could not write the summary of refused scans");
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.recovery.close();
    if (this.spaceTimer) clearInterval(this.spaceTimer);
    if (this.background.size === 0) return;
    // A payment still at the terminal: ask it to abort, wait a little, then leave it to recovery at
    // the next start (its intent is stored; the terminal's answer decides).
    await this.deps.terminal.abort().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.background]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
  }
}
