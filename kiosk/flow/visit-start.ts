/**
 * Starting a visit and growing its basket: a scan, a basket, a slip or services added to the summary
 * on screen, the amount of an open transfer code. Each is refused while the kiosk cannot take a new
 * payment; each writes the session's contents before the screen shows them. A refused slip is audited
 * (bounded: scans come unauthenticated) and shown on screen.
 */
import type { KioskConfig } from "../config/types.ts";
import type { BasketRequestItem } from "../domain/basket.ts";
import { businessDay } from "../domain/time.ts";
import { crashPoint } from "../ops/crash-points.ts";
import { appendAudit } from "../store/records.ts";
import { type SessionRow, type SessionStore, StaleStateError } from "../store/sessions.ts";
import { type BasketItem, BasketBuilder, type NewVisit } from "./basket-builder.ts";
import { FlowError } from "./errors.ts";
import { appliesTo, assertAmountEntered, contentsWithAmount } from "./open-amount.ts";
import type { FlowDependencies } from "./ports.ts";
import { RefusalAudit } from "./refusal-audit.ts";
import type { SessionView } from "./session-view.ts";
import type { SlipVerdict } from "./slip-check.ts";
import { reprintPaidSlip, type SlipReprintDependencies } from "./slip-reprint.ts";
import { awaitsVisitor, inProgress } from "./states.ts";
import { abandonVisit } from "./transition.ts";
import type { VisitScreen } from "./visit-screen.ts";

export interface VisitStartDependencies
  extends Pick<FlowDependencies, "config" | "store" | "log" | "trustedKeys" | "checkSlip" | "printer"> {
  now: () => Date;
  screen: VisitScreen;
  /** Prints a payment's receipt again, marked as a copy (SPEC §1a). */
  printCopy(paymentId: string): Promise<void>;
  /** True once the flow is closing: no visit starts. */
  closed: () => boolean;
}

export class VisitStart {
  /** Attended mode: the cashier and shift at the desk; payments started now are theirs. */
  private desk: { cashierId: string; shiftId: string } | null = null;
  /** Refused scans come unauthenticated: their audit rows are bounded (issue 13.7). */
  private readonly refusals: RefusalAudit;
  readonly builder: BasketBuilder;

  constructor(private readonly deps: VisitStartDependencies) {
    this.refusals = new RefusalAudit({
      now: deps.now,
      write: (action, target, details) =>
        appendAudit(deps.store.db, { actor: "visitor", action, target, details }),
    });
    this.builder = new BasketBuilder({
      ...deps,
      slipReprints: () => this.slipReprints(),
      refuse: (verdict, payload) => this.refuse(verdict, payload),
    });
  }

  private get config(): KioskConfig {
    return this.deps.config;
  }

  private get store(): SessionStore {
    return this.deps.store;
  }

  private get screen(): VisitScreen {
    return this.deps.screen;
  }

  /** Attended mode: the shift now open at the desk (null when closed); payments started are its. */
  setDesk(desk: { cashierId: string; shiftId: string } | null): void {
    this.desk = desk;
  }

  /** A scanned slip or transfer code starts a new visit (a summary on screen is replaced). */
  async scan(payload: string): Promise<SessionView> {
    this.assertCanStart();
    const now = this.deps.now();
    return this.start(await this.builder.scanned(payload, now), now);
  }

  /** A basket of services and slips (SPEC §4), in the order given; every slip checked as one is. */
  async basket(items: readonly BasketItem[]): Promise<SessionView> {
    this.assertCanStart();
    const now = this.deps.now();
    return this.start(await this.builder.basket(items, now), now);
  }

  /** One more slip into the payment on screen (SPEC §4 `POST /api/session/slips`). */
  async addSlip(payload: string): Promise<SessionView> {
    const row = this.summaryOnScreen("no payment summary to add a slip to");
    assertAmountEntered(this.screen.openAmount, row.id);
    if (this.screen.outOfOrder) throw new FlowError("DEVICE_UNAVAILABLE", "out of order");
    const now = this.deps.now();
    const { contents, slip } = await this.builder.withSlip(row, payload, now);
    // The visitor may have left, or paid, while the office system answered.
    const changed = () => new FlowError("CONFLICT", "the payment changed meanwhile");
    if (this.screen.id !== row.id) throw changed();
    try {
      this.screen.unlessFull(() =>
        this.store.replaceContents(row.id, contents, `slip ${slip.slip} added`, now.toISOString()),
      );
    } catch (e) {
      throw e instanceof StaleStateError ? changed() : e;
    }
    this.screen.clearError();
    return this.screen.activity();
  }

  /**
   * The cash desk's scan while a basket is open (SPEC §10): it joins the basket. A transfer code the
   * kiosk takes (§1b) adds its line, as it would start a basket of one; anything else is read as a slip.
   */
  async addScanned(payload: string): Promise<SessionView> {
    const row = this.summaryOnScreen("no payment summary to add to");
    assertAmountEntered(this.screen.openAmount, row.id);
    const added = this.builder.withTransferCode(row, payload);
    if (!added) return this.addSlip(payload);
    if (this.screen.outOfOrder) throw new FlowError("DEVICE_UNAVAILABLE", "out of order");
    const now = this.deps.now().toISOString();
    this.screen.unlessFull(() =>
      this.store.replaceContents(row.id, added.contents, "transfer code added", now),
    );
    if (added.openAmount) this.screen.openAmount = added.openAmount;
    this.screen.clearError();
    return this.screen.activity();
  }

  /** Catalog services into the payment on screen (the cash desk's basket grows item by item). */
  addServices(items: readonly BasketRequestItem[]): SessionView {
    const row = this.summaryOnScreen("no payment summary to add services to");
    const contents = this.builder.withServices(row, items);
    const now = this.deps.now().toISOString();
    this.screen.unlessFull(() =>
      this.store.replaceContents(row.id, contents, `${items.length} service(s) added`, now),
    );
    this.screen.publish();
    return this.screen.view();
  }

  /** SPEC §1b: the amount the visitor typed for a `000000` transfer code; written before it can be paid. */
  enterAmount(amount: number): SessionView {
    const row = this.screen.current();
    const open = this.screen.openAmount;
    if (row?.state !== "summary" || !appliesTo(open, row.id)) {
      throw new FlowError("CONFLICT", "no amount to enter");
    }
    const slips = this.store.slips(row.id);
    const contents = contentsWithAmount(this.config, open, slips, this.store.lines(row.id), amount);
    const now = this.deps.now().toISOString();
    this.store.replaceContents(row.id, contents, "amount entered by the visitor", now);
    this.screen.openAmount = null;
    return this.screen.activity();
  }

  /**
   * SPEC §1a: prints the confirmation of a slip paid on this device again. Resolves once the reprint
   * is recorded; the printing itself goes on (a printer fault is logged, the visitor asks staff).
   */
  reprintSlip(payload: string): void {
    const printing = reprintPaidSlip(this.slipReprints(), payload, this.deps.now());
    printing.catch((e: unknown) => this.deps.log.warn({ err: String(e) }, "visitor reprint failed"));
  }

  private slipReprints(): SlipReprintDependencies {
    const { config, store, trustedKeys, printer } = this.deps;
    return {
      store,
      kioskId: config.kiosk.id,
      officeId: config.office.id,
      trustedKeys,
      print: (id) => this.deps.printCopy(id),
      printerReady: () => printer.state === "idle" || printer.state === "busy",
    };
  }

  /** Writes the summary of refused scans still counted (the kiosk is closing). */
  flushRefusals(): void {
    this.refusals.flush();
  }

  private summaryOnScreen(refusal: string): SessionRow {
    const row = this.screen.current();
    if (row?.state !== "summary") throw new FlowError("CONFLICT", refusal);
    return row;
  }

  private assertCanStart(): void {
    if (this.deps.closed()) throw new FlowError("DEVICE_UNAVAILABLE", "the kiosk is shutting down");
    if (this.config.kiosk.mode === "attended" && !this.desk) {
      throw new FlowError("UNAUTHORIZED", "no shift is open at this desk");
    }
    if (this.screen.outOfOrder) {
      const reasons = this.screen.outOfOrderReasons().join("; ");
      throw new FlowError("DEVICE_UNAVAILABLE", `out of order: ${reasons}`);
    }
    const row = this.screen.current();
    if (row && inProgress(row.state)) throw new FlowError("CONFLICT", "a payment is in progress");
  }

  /** A refused slip: audited, shown on screen, thrown as its slip code (with `paid` of SPEC §1a). */
  private refuse(verdict: Extract<SlipVerdict, { ok: false }>, payload: string): never {
    const { code, detail, paid } = verdict;
    this.refusals.record({ code, payload, ...(detail ? { detail } : {}) });
    this.screen.refused(code, paid, payload);
    const message = `${code}${detail ? `: ${detail}` : ""}`;
    throw new FlowError(code, message, { extra: paid ? { paid } : undefined });
  }

  /** The new visit replaces a summary on screen; its contents are written before it is shown. */
  private start(visit: NewVisit, now: Date): SessionView {
    const screen = this.screen;
    // Known before the session's first event, so no view shows the placeholder as an amount.
    screen.openAmount = visit.openAmount;
    let id: string;
    try {
      const old = screen.current();
      if (old && awaitsVisitor(old.state)) abandonVisit(this.store, old.id, "replaced by a new session");
      id = screen.unlessFull(() =>
        this.store.create(
          {
            language: screen.language,
            officeId: this.config.office.id,
            kioskId: this.config.kiosk.id,
            contents: visit.contents,
            ...(this.desk ? { desk: this.desk } : {}),
            now: now.toISOString(),
            reason: visit.reason,
          },
          businessDay(now, this.config.kiosk.timezone),
        ),
      );
    } catch (e) {
      screen.openAmount = null;
      throw e;
    }
    crashPoint("flow.summary.written");
    if (screen.openAmount) screen.openAmount.sessionId = id;
    return screen.show(id);
  }
}
