/**
 * What the service (technician) and admin (office staff) routes do, implemented over the running
 * kiosk's flow, devices, store and reporting modules. The routes own authentication, validation and
 * auditing; these backends own the work.
 */
import type { Reconciliation } from "../domain/reconciliation.ts";
import { PassThrough } from "node:stream";
import { deviceList, type KioskDevices, type TerminalEndOfDay } from "../../devices/device.ts";
import type { KioskConfig } from "../config/types.ts";
import { addDays, businessDay, offsetMinutes } from "../domain/time.ts";
import { overdueDay } from "../flow/end-of-day.ts";
import { FlowError } from "../flow/errors.ts";
import { awaitsVisitor, inProgress } from "../flow/states.ts";
import type { PaymentFlow } from "../flow/payment-session.ts";
import { BackendError } from "./errors.ts";
import type {
  AdminBackend,
  AdminPaymentQuery,
  ServiceBackend,
  ServicePayment,
  UndecidedPaymentsBackend,
} from "./ports.ts";
import type { LogTail } from "../ops/logger.ts";
import { captureNextScan } from "../status/scanner.ts";
import { escapeText } from "../receipt/index.ts";
import { writeAccountingExport } from "../reports/accounting-export.ts";
import { payoutFile } from "../reports/commands.ts";
import { ReportingError } from "../reports/errors.ts";
import { listPayments, sessionsOfDay } from "../store/payment-list.ts";
import { REPORT_CONTENT_TYPES, settlementReportStream } from "../reports/settlement-report.ts";
import type { Db } from "../store/db.ts";
import type { SessionRow } from "../store/sessions.ts";
import { ShiftStore } from "../store/shifts.ts";
import { closedShiftView, type ShiftReport, writeShiftReportPdf } from "../desk/shift-report.ts";

export interface BackendContext {
  config: KioskConfig;
  db: Db;
  flow: PaymentFlow;
  devices: KioskDevices;
  logTail: LogTail;
  /** Where end-of-day logs a kiosk-vs-terminal mismatch. */
  logger?: { error(obj: object, msg?: string): void };
  /** The outbox worker, woken when a message was requeued. */
  outbox?: { kick(): void };
  now: () => Date;
  /** Where end-of-day writes the day's report files. */
  reportDirectory?: string;
}

function toPayment(row: SessionRow): ServicePayment {
  return {
    id: row.id,
    status: row.payment_status ?? row.state,
    total: row.total,
    paidAt: row.paid_at,
    slip: row.slip_id,
    caseRef: row.case_ref,
    maskedPan: row.masked_pan,
    cardBrand: row.card_brand,
    authCode: row.auth_code,
    receiptNumber: row.receipt_no,
    receiptPrinted: row.receipt_printed === 1,
    // SPEC §10: every payment records the cashier (null at an unattended kiosk).
    cashier: row.cashier_id ?? null,
  };
}

/** Maps the reporting and flow modules' refusals to the routes' problem codes. */
async function refusals<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ReportingError) throw new BackendError(e.code, e.message);
    // Each flow refusal keeps its own code and circumstance, hence its catalogue status.
    if (e instanceof FlowError) throw new BackendError(e.code, e.message, e.reason);
    throw e;
  }
}

function refusalsSync<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ReportingError) throw new BackendError(e.code, e.message);
    throw e;
  }
}

/** The UTC instant (ISO) at which `day` begins in `tz` (the offset taken before any switch that day). */
function dayStartUtc(day: string, tz: string): string {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  const offset = offsetMinutes(new Date(midnightUtc - 3 * 3_600_000), tz);
  return new Date(midnightUtc - offset * 60_000).toISOString();
}

/** End-of-day: the flow runs it alone on the terminal, with the kiosk out of order meanwhile. */
export async function endOfDay(
  ctx: BackendContext,
  actor: string,
): Promise<TerminalEndOfDay & { reconciliation: Reconciliation }> {
  const result = await refusals(() =>
    ctx.flow.endOfDay(actor, {
      ...(ctx.logger ? { log: ctx.logger } : {}),
      ...(ctx.reportDirectory ? { reportDirectory: ctx.reportDirectory } : {}),
    }),
  );
  return { ...result.terminal, reconciliation: result.reconciliation };
}

/**
 * The late closing of a past day (the schedule's, at start or just after midnight): put off while a
 * visit is on screen, whose basket the end-of-day's out-of-order would end; the schedule retries.
 */
export async function lateEndOfDay(
  ctx: BackendContext,
  actor: string,
): Promise<TerminalEndOfDay & { reconciliation: Reconciliation }> {
  const row = ctx.flow.current();
  if (row && (inProgress(row.state) || awaitsVisitor(row.state)))
    throw new BackendError("CONFLICT", `a visit is on screen (${row.state}); the late end-of-day waits`);
  return endOfDay(ctx, actor);
}

/** A past business day is still in the terminal's open batch: the schedule closes it late (end-of-day.ts). */
export function endOfDayOverdue(ctx: BackendContext): boolean {
  return overdueDay(ctx.db, ctx.now(), ctx.config.kiosk.timezone) !== null;
}

/** Payments only staff can settle, for the console and the admin API alike: the flow lists and decides. */
function undecidedPayments(ctx: BackendContext): UndecidedPaymentsBackend {
  return {
    unresolvedPayments: () => ctx.flow.unresolvedPayments(),
    async resolvePayment(id, verdict, actor) {
      const row = await refusals(() => ctx.flow.resolveUnknown(id, verdict, actor));
      return toPayment(row);
    },
  };
}

export function serviceBackend(ctx: BackendContext): ServiceBackend {
  const { devices } = ctx;
  const byName = (name: string) => {
    const d = deviceList(devices).find(([n]) => n === name)?.[1];
    if (!d) throw new BackendError("NOT_FOUND", `no device ${name}`);
    return d;
  };
  return {
    devices: () =>
      deviceList(devices).map(([name, dev]) => ({
        name,
        kind: dev.kind,
        state: dev.state,
        lastError: dev.lastError ?? null,
        statistics: dev.statistics(),
      })),
    checkHealth: (name) => byName(name).checkHealth(),
    async testPrint() {
      const when = ctx.now().toISOString();
      const document = [
        "^^WYDRUK TESTOWY",
        "TEST PRINT",
        "",
        `${escapeText(ctx.config.office.name)}`,
        `Kiosk ${escapeText(ctx.config.kiosk.id)} | ${escapeText(when)}`,
        "Zażółć gęślą jaźń ZAŻÓŁĆ GĘŚLĄ JAŹŃ",
        "-",
        "",
      ].join("\n");
      await refusals(async () => {
        try {
          await devices.printer.print({ id: `test-${Date.now()}`, document });
        } catch (e) {
          throw new BackendError(
            "DEVICE_UNAVAILABLE",
            `test print failed: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
      });
    },
    async scannerTest(timeoutMs) {
      const code = await captureNextScan(devices.scanner, ctx.flow, timeoutMs);
      return code === null ? null : { code };
    },
    terminalDiagnosis: () => devices.terminal.diagnose(),
    endOfDay: () => endOfDay(ctx, "service"),
    reprint: (id) => refusals(() => ctx.flow.reprint(id, { copy: true })),
    payments: (day) => sessionsOfDay(ctx.db, day).map(toPayment),
    ...undecidedPayments(ctx),
    outOfOrder() {
      const reasons = ctx.flow.outOfOrder();
      return { on: reasons.length > 0, reason: reasons.join("; ") || null };
    },
    setOutOfOrder: (on, reason) =>
      ctx.flow.setOutOfOrder("service", on ? reason || "switched off by a technician" : null),
    logTail: (lines) => ctx.logTail.last(lines),
    serviceKeyTurned: () => devices.gpio.serviceKeyTurned,
    onServiceKey: (listener) => {
      devices.gpio.on("serviceKey", listener);
      return () => devices.gpio.off("serviceKey", listener);
    },
  };
}

export function adminBackend(ctx: BackendContext): AdminBackend {
  return {
    ...undecidedPayments(ctx),
    payments(query: AdminPaymentQuery) {
      const tz = ctx.config.kiosk.timezone;
      const { rows, total } = listPayments(ctx.db, {
        ...query,
        ...(query.from ? { fromInstant: dayStartUtc(query.from, tz) } : {}),
        ...(query.to ? { toInstantExclusive: dayStartUtc(addDays(query.to, 1), tz) } : {}),
      });
      return { items: rows.map(toPayment), total };
    },
    payouts(date, encoding) {
      return refusalsSync(() => ({
        contentType: "text/plain; charset=" + (encoding === "cp1250" ? "windows-1250" : "utf-8"),
        filename: `payouts-${ctx.config.office.id}-${ctx.config.kiosk.id}-${date}.txt`,
        body: payoutFile(ctx.db, ctx.config, date, encoding, ctx.now()),
      }));
    },
    shiftReport(id, format) {
      const row = new ShiftStore(ctx.db).get(id);
      if (!row?.report) throw new BackendError("NOT_FOUND", `no closed shift ${id}`);
      const filename = `shift-${id}.${format}`;
      if (format === "json") return { contentType: "application/json", filename, body: row.report };
      const out = new PassThrough();
      writeShiftReportPdf(JSON.parse(row.report) as ShiftReport, out).catch((e: unknown) =>
        out.destroy(e instanceof Error ? e : new Error(String(e))),
      );
      return { contentType: "application/pdf", filename, body: out };
    },
    closedShifts(query) {
      const { rows, total } = new ShiftStore(ctx.db).closed(query);
      return { items: rows.map(closedShiftView), total };
    },
    settlementReport(date, format) {
      return {
        contentType: REPORT_CONTENT_TYPES[format],
        filename: `settlement-${ctx.config.office.id}-${ctx.config.kiosk.id}-${date}.${format}`,
        body: settlementReportStream(ctx.db, ctx.config, date, format, ctx.now()),
      };
    },
    exportPayments(from, to, format, dialect) {
      const out = new PassThrough();
      writeAccountingExport(ctx.db, { from, to, format, dialect }, out).then(
        () => out.end(),
        (e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))),
      );
      return {
        contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
        filename: `payments-${ctx.config.office.id}-${from}-${to}${dialect === "excel-pl" ? "-excel" : ""}.${format}`,
        body: out,
      };
    },
    voidPayment: (id, actor, reason) => refusals(() => ctx.flow.voidPayment(id, actor, reason)),
  };
}

/** Today's business day in the office's time zone. */
export function today(ctx: Pick<BackendContext, "config" | "now">): string {
  return businessDay(ctx.now(), ctx.config.kiosk.timezone);
}
