/**
 * The payment flow: the one owner of the visit on screen, of payment state and of the terminal. It
 * wires its parts and keeps the control flow of a payment (which step follows which, who may use the
 * terminal now); each part does one job: the screen and its time-outs (visit-screen.ts), starting a
 * visit and its basket (visit-start.ts), the run against the terminal (payment-run.ts), booking and
 * printing (booking.ts), recovery (recovery.ts). Every change of a session goes through a row of the
 * table in states.ts, written before the step it enables.
 */
import { TypedEmitter } from "../../devices/device.ts";
import type { Language } from "../config/types.ts";
import type { BasketRequestItem } from "../domain/basket.ts";
import type { ReceiptModel } from "../domain/receipt.ts";
import type { SessionRow } from "../store/sessions.ts";
import { type BasketItem, type BasketBuilder, scannedPayload } from "./basket-builder.ts";
import { BackgroundWork } from "./background-work.ts";
import { Booking } from "./booking.ts";
import type { EndOfDayInput, EndOfDayResult } from "./end-of-day.ts";
import { FlowError } from "./errors.ts";
import { assertAmountEntered } from "./open-amount.ts";
import { PaymentRun } from "./payment-run.ts";
import type { FlowDependencies, FlowEvents, FlowHost } from "./ports.ts";
import { Recovery } from "./recovery.ts";
import { ScanCapture } from "./scan-capture.ts";
import type { SessionView } from "./session-view.ts";
import { awaitsVisitor, isFinal } from "./states.ts";
import type { UnresolvedPayment } from "./terminal-answers.ts";
import { TerminalLock } from "./terminal-lock.ts";
import { TerminalOperations } from "./terminal-operations.ts";
import { abandonVisit } from "./transition.ts";
import { VisitScreen } from "./visit-screen.ts";
import { VisitStart } from "./visit-start.ts";
import type { VoidResult } from "./void-payment.ts";

export type { BasketItem } from "./basket-builder.ts";
export type { FlowDependencies, FlowEvents } from "./ports.ts";
export type { SlipCheckAnswer } from "./slip-check.ts";
export type { UnresolvedPayment } from "./terminal-answers.ts";

export class PaymentFlow extends TypedEmitter<FlowEvents> {
  private readonly now: () => Date;
  private closed = false;
  /** API calls one at a time, so two requests never race on the one visit on screen. */
  private lock: Promise<unknown> = Promise.resolve();
  private readonly background = new BackgroundWork();
  /** The one terminal: payments, recovery, voids and end-of-day take turns on it. */
  private readonly terminalLock = new TerminalLock();
  private readonly scanCapture = new ScanCapture();
  private readonly screen: VisitScreen;
  private readonly start: VisitStart;
  private readonly booking: Booking;
  private readonly recovery: Recovery;
  private readonly run: PaymentRun;
  private readonly operations: TerminalOperations;

  constructor(private readonly deps: FlowDependencies) {
    super();
    const now = deps.now ?? (() => new Date());
    this.now = now;
    const emit: FlowHost["emit"] = (event, ...args) => this.emit(event, ...args);
    const screen = new VisitScreen({
      ...deps,
      now,
      emit,
      listening: (event) => this.listens(event),
      serialise: (job) => void this.exclusive(async () => job()),
    });
    this.screen = screen;
    const printCopy = (id: string) => this.reprint(id, { copy: true });
    this.start = new VisitStart({ ...deps, now, screen, printCopy, closed: () => this.closed });
    const host = this.host();
    const booking = new Booking({ ...deps, now }, host);
    const retry = () => void this.exclusive(() => this.recover());
    const recovery = new Recovery({ ...deps, booking, now, retry }, host);
    const { terminalLock } = this;
    this.run = new PaymentRun({ ...deps, booking, recovery, terminalLock, screen, now }, host);
    this.run.listen();
    this.booking = booking;
    this.recovery = recovery;
    this.operations = new TerminalOperations({ ...deps, terminalLock, screen, now });
    // The terminal asks for an end-of-day: the flow decides when (terminal-operations.ts).
    deps.terminal.on("need", (need) => {
      if (need?.action !== "end_of_day" || this.closed) return;
      this.background.track(this.operations.endOfDayAsked(need));
    });
  }

  /** What booking, recovery and the payment run may ask of the visit on screen. */
  private host(): FlowHost {
    // Getters (not copies): the parts read the attempt's state at the moment they need it.
    const flow = this;
    const screen = this.screen;
    return {
      publish: () => screen.publish(),
      shown: (id) => screen.shown(id),
      settled: (id) => screen.settled(id),
      get cancelRequested() {
        return flow.run.cancelRequested;
      },
      get terminalReceipt() {
        return flow.run.receipt;
      },
      clearTerminalMessage: () => screen.clearTerminalMessage(),
      setOutOfOrder: (key, reason) => screen.setOutOfOrder(key, reason),
      get closed() {
        return flow.closed;
      },
      emit: (event, ...args) => this.emit(event, ...args),
    };
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  // ───────────────────────────── the screen ─────────────────────────────

  current(): SessionRow | undefined {
    return this.screen.current();
  }

  view(): SessionView {
    return this.screen.view();
  }

  isOutOfOrder(): boolean {
    return this.screen.outOfOrder;
  }

  outOfOrder(): string[] {
    return this.screen.outOfOrderReasons();
  }

  /** Sets or clears one reason for being out of order (door open, service switch, printer, …). */
  setOutOfOrder(key: string, reason: string | null): void {
    this.screen.setOutOfOrder(key, reason);
  }

  /** The visitor is still there ("more time"). */
  activity(): SessionView {
    return this.screen.activity();
  }

  setLanguage(language: Language): SessionView {
    return this.screen.setLanguage(language);
  }

  /** Makes a session the one on screen again after a restart (so the visitor sees the outcome). */
  adopt(id: string): void {
    if (this.deps.store.get(id)) this.screen.adopt(id);
  }

  receiptModel(id: string): ReceiptModel | null {
    return this.booking.receiptModel(id);
  }

  // ───────────────────────────── starting a visit, its basket ─────────────────────────────

  /** Attended mode: the shift now open at the desk (null when closed); payments started are its. */
  setDesk(desk: { cashierId: string; shiftId: string } | null): void {
    this.start.setDesk(desk);
  }

  catalog(): ReturnType<BasketBuilder["catalog"]> {
    return this.start.builder.catalog();
  }

  /** The next scanned code goes to the technician's scanner test (null on time-out). */
  captureNextScan(timeoutMs: number): Promise<string | null> {
    return this.scanCapture.next(timeoutMs);
  }

  scan(rawPayload: string): Promise<SessionView> {
    const payload = scannedPayload(rawPayload);
    if (this.scanCapture.offer(payload)) return Promise.resolve(this.view());
    // At the cash desk a scan adds the slip to the open basket (SPEC §10); at a kiosk it starts anew.
    if (this.deps.config.kiosk.mode === "attended" && this.current()?.state === "summary") {
      return this.exclusive(() => this.start.addScanned(payload));
    }
    return this.exclusive(() => this.start.scan(payload));
  }

  /**
   * A code from the kiosk's own reader (serial or HID, wired to the daemon). On a summary it joins the
   * payment, as the summary invites ("scan it now and pay for all at once") and as the UI's
   * keyboard-wedge scans do (`POST /api/session/slips`); elsewhere it is `scan`.
   */
  readerScan(rawPayload: string): Promise<SessionView> {
    const payload = scannedPayload(rawPayload);
    if (this.scanCapture.offer(payload)) return Promise.resolve(this.view());
    if (this.current()?.state === "summary") return this.exclusive(() => this.start.addScanned(payload));
    return this.exclusive(() => this.start.scan(payload));
  }

  /** A basket of services and slips (SPEC §4), in the order given; every slip checked as one is. */
  basket(items: BasketItem[]): Promise<SessionView> {
    return this.exclusive(() => this.start.basket(items));
  }

  /** One more slip into the payment on screen (SPEC §4 `POST /api/session/slips`). */
  addSlip(rawPayload: string): Promise<SessionView> {
    const payload = scannedPayload(rawPayload);
    return this.exclusive(() => this.start.addSlip(payload));
  }

  /** Catalog services into the payment on screen (the cash desk's basket grows item by item). */
  addServices(items: BasketRequestItem[]): Promise<SessionView> {
    return this.exclusive(async () => this.start.addServices(items));
  }

  /** SPEC §1b: the amount the visitor typed for a `000000` transfer code; written before it can be paid. */
  enterAmount(amount: number): Promise<SessionView> {
    return this.exclusive(async () => this.start.enterAmount(amount));
  }

  // ───────────────────────────── paying, cancelling ─────────────────────────────

  pay(): Promise<SessionView> {
    return this.exclusive(async () => {
      const row = this.current();
      if (!row || !awaitsVisitor(row.state)) throw new FlowError("CONFLICT", "nothing to pay");
      assertAmountEntered(this.screen.openAmount, row.id);
      await this.run.assertMayPay(row);
      const now = this.now();
      this.run.begin(row, now);
      this.screen.publish();
      this.background.track(this.terminalLock.run("payment", () => this.run.authorize(row.id, now)));
      return this.view();
    });
  }

  /** At the terminal the terminal decides (an abort it accepts ends cancelled); else the visit ends. */
  cancel(): Promise<SessionView> {
    return this.exclusive(async () => {
      const row = this.current();
      if (!row) return this.view();
      if (row.state === "authorizing") {
        await this.run.abort();
        return this.view();
      }
      if (!awaitsVisitor(row.state) && !isFinal(row.state)) {
        throw new FlowError("CONFLICT", `cannot cancel while ${row.state}`);
      }
      if (awaitsVisitor(row.state) && abandonVisit(this.deps.store, row.id, "cancelled by the visitor")) {
        this.emit("visitAbandoned", { outcome: "cancelled" });
      }
      this.screen.toIdle();
      return this.view();
    });
  }

  // ───────────────────────────── receipts ─────────────────────────────

  /** Prints a receipt again (technician's reprint, or the printer came back for the visitor on screen). */
  reprint(id: string, options: { copy: boolean }): Promise<void> {
    return this.booking.reprint(id, options);
  }

  /** The printer is ready again: print the receipt of the visitor still on screen, if it failed. */
  async printerReady(): Promise<void> {
    const row = this.current();
    if (row) await this.booking.retryReceipt(row);
  }

  /** SPEC §1a: prints the confirmation of a slip paid on this device again (recorded, then printed). */
  reprintSlip(payload: string): void {
    this.start.reprintSlip(payload);
  }

  // ───────────────────────────── recovery, operations on the terminal ─────────────────────────────

  /** After a restart: abandoned summaries cancelled, payments in flight resolved on the terminal. */
  recover(): Promise<void> {
    return this.terminalLock.run("recovery", () => this.recovery.recoverAll());
  }

  /** Sessions whose outcome is unknown, for the service console, with the terminal's last answer. */
  unresolvedPayments(): UnresolvedPayment[] {
    return this.recovery.unresolvedPayments();
  }

  /** Staff say what the terminal's journal shows of an unknown payment (recovery.ts `resolve`). */
  resolveUnknown(
    id: string,
    verdict: { verdict: "charged" | "not_charged"; note: string; receiptNo?: string },
    actor: string,
  ): Promise<SessionRow> {
    return this.exclusive(() => this.recovery.resolve(id, verdict, actor));
  }

  /** Sessions needing the terminal before end-of-day may run. */
  unresolvedCount(): number {
    return this.deps.store.unfinished().length;
  }

  /** Same-day void (void-payment.ts), on the terminal in turn with the visitor's payments. */
  voidPayment(id: string, actor: string, reason: string): Promise<VoidResult> {
    return this.operations.void(id, actor, reason);
  }

  /** End-of-day (end-of-day.ts) with the kiosk out of order meanwhile; refused while a payment runs. */
  endOfDay(actor: string, options?: Pick<EndOfDayInput, "reportDirectory" | "log">): Promise<EndOfDayResult> {
    return this.operations.endOfDay(actor, options);
  }

  async close(graceMs = 5_000): Promise<void> {
    this.closed = true;
    try {
      this.start.flushRefusals();
    } catch (error) {
      this.deps.log.error({ err: String(error) }, "could not write the summary of refused scans");
    }
    this.screen.close();
    this.recovery.close();
    if (this.background.idle) return;
    // A payment still at the terminal: ask it to abort, wait a little, then leave it to recovery at
    // the next start (its intent is stored; the terminal's answer decides).
    await this.deps.terminal.abort().catch(() => undefined);
    await this.background.settle(graceMs);
  }
}
