/**
 * The attended cash desk (SPEC §10): cashiers open a shift with their id and PIN (hashed like the
 * service PIN, with the same lockout), the shift's bearer token authorises the visitor API, every
 * payment of the shift is recorded with its cashier, a void of a payment of this shift needs the
 * cashier's PIN and a reason, and closing the shift produces its report — after the terminal's
 * end-of-day when it is the last shift of the day. Every cashier action is audited with the id.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { PaymentTerminal, ReceiptPrinter } from "../../devices/device.ts";
import type { DeviceLogger } from "../../devices/transport/transport.ts";
import { LoginThrottle } from "../auth/login-throttle.ts";
import { kvLockoutStore } from "../store/login-lockout.ts";
import { verifyPin } from "../auth/pin-hash.ts";
import type { ClosedShift } from "../../contracts/desk-shifts.ts";
import type { Cashier, KioskConfig } from "../config/types.ts";
import { businessDay, compactSecond, isoWithOffset } from "../domain/time.ts";
import { FlowError } from "../flow/errors.ts";
import type { PaymentFlow } from "../flow/payment-session.ts";
import { awaitsVisitor } from "../flow/states.ts";
import type { VoidResult } from "../flow/void-payment.ts";
import { unresolvedPayments } from "../store/day-payments.ts";
import { ReportingError } from "../reports/errors.ts";
import type { Db } from "../store/db.ts";
import { appendAudit } from "../store/records.ts";
import { ShiftAlreadyOpenError, type ShiftRow, ShiftStore } from "../store/shifts.ts";
import {
  buildShiftReport,
  closedShiftView,
  type ShiftEndOfDay,
  type ShiftReport,
  shiftReportDocument,
} from "./shift-report.ts";

export interface CashDeskDependencies {
  config: KioskConfig;
  db: Db;
  flow: PaymentFlow;
  terminal: PaymentTerminal;
  printer: ReceiptPrinter;
  /** Printer columns, for the printed shift report. */
  columns: number;
  log: DeviceLogger;
  now: () => Date;
}

export interface ShiftView {
  id: string;
  cashier: { id: string; name: string };
  openedAt: string;
  businessDay: string;
}

const TOKEN_PREFIX = "opl_d_";
/**
 * How long after its close a shift's last token still fetches that shift's report (its PDF for the
 * cashier who closed it): reading only, of that one closed shift; it opens nothing.
 */
export const CLOSED_REPORT_MS = 30 * 60_000;

/**
 * A cashier id as typed at the login, against the configured one: ids are compared without regard to
 * case (`anna` is `Anna`), and the configuration refuses two cashiers that differ only in case.
 */
export function sameCashierId(configured: string, typed: string): boolean {
  return configured.toLowerCase() === typed.trim().toLowerCase();
}
const digest = (token: string) => createHash("sha256").update(token).digest("hex");

function viewOf(row: ShiftRow): ShiftView {
  return {
    id: row.id,
    cashier: { id: row.cashier_id, name: row.cashier_name },
    openedAt: row.opened_at,
    businessDay: row.business_day,
  };
}

export class CashDesk {
  readonly shifts: ShiftStore;
  /** Kept in the database like the service PIN's: a restart does not forgive wrong PINs. */
  private readonly throttle: LoginThrottle;
  /** PIN checks run one at a time, so parallel guesses cannot slip past the lockout count. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: CashDeskDependencies) {
    this.shifts = new ShiftStore(deps.db);
    this.throttle = new LoginThrottle({ store: kvLockoutStore(() => deps.db, "desk_pin_lockout") });
    // A shift survives a restart: payments keep being recorded as its.
    const open = this.shifts.current();
    if (open) deps.flow.setDesk({ cashierId: open.cashier_id, shiftId: open.id });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private audit(
    actor: string,
    action: string,
    target: string | null,
    details?: Record<string, unknown>,
  ): void {
    appendAudit(this.deps.db, { actor, action, target, ...(details ? { details } : {}) });
  }

  /** Checks a cashier's PIN with the service PIN's lockout; a refusal is audited and thrown. */
  private async checkPin(
    cashier: Cashier | undefined,
    claimed: string,
    pin: string,
    action: string,
  ): Promise<void> {
    const locked = this.throttle.lockedForMs();
    if (locked > 0) {
      this.audit(`cashier:${claimed}`, `${action}.refused`, null, { reason: "locked" });
      throw new FlowError(
        "UNAUTHORIZED",
        `too many wrong PINs: try again in ${Math.ceil(locked / 60_000)} minute(s)`,
        { reason: "locked_out" },
      );
    }
    if (!cashier || !(await verifyPin(pin, cashier.pinHash))) {
      this.throttle.recordFailure();
      this.audit(`cashier:${claimed}`, `${action}.failed`, null, { reason: "wrong cashier id or PIN" });
      throw new FlowError("UNAUTHORIZED", "wrong cashier id or PIN");
    }
    this.throttle.recordSuccess();
  }

  current(): ShiftView | null {
    const row = this.shifts.current();
    return row ? viewOf(row) : null;
  }

  /**
   * Opens a shift for the cashier. With `resume`, the cashier whose shift is still open (a browser
   * that lost its token: closed, crashed, restarted) takes that shift up again on a new token; the
   * old token stops working. Another cashier, or no `resume`, is refused while a shift is open.
   */
  open(
    cashierId: string,
    pin: string,
    options: { resume?: boolean } = {},
  ): Promise<{ token: string; shift: ShiftView }> {
    return this.serial(async () => {
      const cashier = this.deps.config.cashiers?.find((c) => sameCashierId(c.id, cashierId));
      await this.checkPin(cashier, cashierId, pin, "shift.open");
      const { config } = this.deps;
      const now = this.deps.now();
      const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
      const open = this.shifts.current();
      if (options.resume && open && open.cashier_id === (cashier as Cashier).id) {
        if (!this.shifts.resume(open.id, digest(token), isoWithOffset(now, config.kiosk.timezone)))
          throw new FlowError("CONFLICT", "the shift was closed meanwhile");
        return { token, shift: viewOf(open) };
      }
      const row = {
        // The office's local time, as the shift's opened_at and its report show it.
        id: `${config.kiosk.id}_SH_${compactSecond(now, config.kiosk.timezone)}_${randomBytes(2).toString("hex").toUpperCase()}`,
        cashier_id: (cashier as Cashier).id,
        cashier_name: (cashier as Cashier).name,
        opened_at: isoWithOffset(now, config.kiosk.timezone),
        business_day: businessDay(now, config.kiosk.timezone),
        token_hash: digest(token),
      };
      try {
        this.shifts.open(row);
      } catch (e) {
        if (e instanceof ShiftAlreadyOpenError) throw new FlowError("CONFLICT", e.message);
        throw e;
      }
      this.deps.flow.setDesk({ cashierId: row.cashier_id, shiftId: row.id });
      return { token, shift: viewOf({ ...row, closed_at: null, report: null }) };
    });
  }

  /** The open shift whose token this is, or null. */
  authenticate(token: string | undefined): ShiftRow | null {
    if (!token) return null;
    const row = this.shifts.current();
    if (!row) return null;
    const given = Buffer.from(digest(token), "hex");
    const expected = Buffer.from(row.token_hash, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected) ? row : null;
  }

  /** Audits one cashier action taken through the visitor API. */
  auditAction(
    shift: ShiftRow,
    action: string,
    target: string | null,
    details: Record<string, unknown>,
  ): void {
    this.audit(`cashier:${shift.cashier_id}`, action, target, { shift: shift.id, ...details });
  }

  /**
   * Closes the open shift: refused while a payment is unresolved (the report would not be final).
   * With `endOfDay` it is the day's last shift: the terminal's end-of-day runs and is reconciled.
   */
  close(options: { endOfDay: boolean }): Promise<ShiftReport> {
    return this.serial(async () => {
      const shift = this.shifts.current();
      if (!shift) throw new FlowError("CONFLICT", "no shift is open");
      const unresolved = unresolvedPayments(this.deps.db);
      if (unresolved.length > 0) {
        this.auditAction(shift, "shift.close.refused", shift.id, { unresolved: unresolved.map((u) => u.id) });
        throw new FlowError(
          "CONFLICT",
          `a payment is unresolved (${unresolved.map((u) => `${u.id}: ${u.state}`).join(", ")}); the shift cannot close until the terminal settles it`,
        );
      }
      const basket = this.deps.flow.current();
      if (basket && awaitsVisitor(basket.state)) {
        this.auditAction(shift, "shift.close.refused", shift.id, { basket: basket.id });
        throw new FlowError("CONFLICT", "a basket is still open: take its payment or cancel it first");
      }
      const endOfDay = options.endOfDay ? await this.endOfDay(shift) : null;
      const closedAt = this.deps.now();
      const report = buildShiftReport(this.shifts, this.deps.config, shift, closedAt, endOfDay);
      if (!this.shifts.close(shift.id, closedAt.toISOString(), report)) {
        throw new FlowError("CONFLICT", "the shift was closed meanwhile");
      }
      this.deps.flow.setDesk(null);
      await this.print(report);
      return report;
    });
  }

  private async endOfDay(shift: ShiftRow): Promise<ShiftEndOfDay> {
    try {
      const result = await this.deps.flow.endOfDay(`cashier:${shift.cashier_id}`);
      // The day's terminal totals (every closing of the day) beside the desk's for the whole day, as
      // the closing reconciled them: with the payments of a shift closed after midnight, which are the
      // day before's but in this batch (the day's own figures alone would never match).
      const { terminal, kiosk, matches } = result.reconciliation;
      return {
        day: result.day,
        terminal: { count: terminal.count, total: terminal.total },
        desk: { count: kiosk.count, total: kiosk.total },
        status: matches ? "match" : "mismatch",
      };
    } catch (e) {
      if (e instanceof ReportingError) throw new FlowError(e.code, e.message);
      throw new FlowError("DEVICE_UNAVAILABLE", `the terminal's end-of-day failed: ${String(e)}`);
    }
  }

  /** Prints the shift report; a printer fault never undoes the close (the report stays on screen). */
  private async print(report: ShiftReport): Promise<void> {
    try {
      await this.deps.printer.print({
        id: `${report.shift.id}-report`,
        document: shiftReportDocument(report, this.deps.columns),
      });
    } catch (e) {
      this.deps.log.warn({ shift: report.shift.id, err: String(e) }, "shift report not printed");
    }
  }

  /**
   * The report of the shift this token closed, for CLOSED_REPORT_MS after its close (so the desk's
   * page can offer the report's PDF after closing); null for an open shift, an unknown token, or later.
   */
  closedReport(token: string | undefined): ShiftReport | null {
    if (!token) return null;
    const row = this.shifts.byTokenHash(digest(token));
    if (!row?.closed_at || !row.report) return null;
    const age = this.deps.now().getTime() - Date.parse(row.closed_at);
    return age >= 0 && age <= CLOSED_REPORT_MS ? (JSON.parse(row.report) as ShiftReport) : null;
  }

  /** What the desk tells the cashier closing a shift: when the terminal's day closes by itself, if ever. */
  closing(): { scheduledEndOfDay: string | null } {
    return { scheduledEndOfDay: this.deps.config.endOfDay?.time ?? null };
  }

  /** The report a closed shift kept. */
  report(shiftId: string): ShiftReport | null {
    const row = this.shifts.get(shiftId);
    return row?.report ? (JSON.parse(row.report) as ShiftReport) : null;
  }

  /** The open shift's cashier's own closed shifts, newest close first. */
  closedShifts(limit: number, offset: number): { items: ClosedShift[]; total: number } {
    const shift = this.requireShift();
    const { rows, total } = this.shifts.closed({ cashier: shift.cashier_id, limit, offset });
    return { items: rows.map(closedShiftView), total };
  }

  /** The report of a closed shift of the open shift's cashier; another cashier's is not found. */
  ownReport(shiftId: string): ShiftReport {
    const shift = this.requireShift();
    const row = this.shifts.get(shiftId);
    if (!row?.report || row.cashier_id !== shift.cashier_id)
      throw new FlowError("NOT_FOUND", `no closed shift ${shiftId} of cashier ${shift.cashier_id}`);
    return JSON.parse(row.report) as ShiftReport;
  }

  /** Voids a payment of the open shift: the cashier's PIN and a reason are required. */
  voidPayment(paymentId: string, pin: string, reason: string): Promise<VoidResult> {
    return this.serial(async () => {
      const shift = this.requireShift();
      const cashier = this.deps.config.cashiers?.find((c) => c.id === shift.cashier_id);
      await this.checkPin(cashier, shift.cashier_id, pin, "payment.void");
      if (!this.shifts.holdsPayment(shift.id, paymentId)) {
        throw new FlowError("NOT_FOUND", `payment ${paymentId} was not taken in this shift`);
      }
      try {
        // The flow refuses the payment still in progress and queues the void on the one terminal.
        return await this.deps.flow.voidPayment(paymentId, `cashier:${shift.cashier_id}`, reason);
      } catch (e) {
        if (e instanceof ReportingError) throw new FlowError(e.code, e.message);
        throw e;
      }
    });
  }

  /** Prints a copy of a payment of the open shift. */
  async reprint(paymentId: string): Promise<void> {
    const shift = this.requireShift();
    if (!this.shifts.holdsPayment(shift.id, paymentId)) {
      throw new FlowError("NOT_FOUND", `payment ${paymentId} was not taken in this shift`);
    }
    await this.deps.flow.reprint(paymentId, { copy: true });
    this.auditAction(shift, "receipt.reprint", paymentId, {});
  }

  /** The open shift's payments so far (for the desk's list and void). */
  payments(): ReturnType<ShiftStore["payments"]> {
    return this.shifts.payments(this.requireShift().id);
  }

  private requireShift(): ShiftRow {
    const shift = this.shifts.current();
    if (!shift) throw new FlowError("UNAUTHORIZED", "no shift is open");
    return shift;
  }
}
