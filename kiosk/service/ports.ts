/**
 * What the service, admin and staff-operations APIs ask of the kiosk: the backends' contracts, defined
 * in the layer that serves them (kiosk/service/backends.ts and staff-operations.ts implement them;
 * kiosk/http/routes only call them). Expected refusals are BackendError (./errors.ts).
 */
import type {
  DeviceKind,
  DeviceState,
  DeviceStatistics,
  HealthResult,
  TerminalEndOfDay,
} from "../../devices/device.ts";
import type { ClosedShift } from "../../contracts/desk-shifts.ts";
import type { UnresolvedPayment } from "../flow/terminal-answers.ts";
import type { Alarm } from "../store/alarms.ts";
import type { OutboxEntry, RequeueResult } from "../store/outbox.ts";
import type { AccountsPreview } from "../outbox/account-rewrite.ts";
import type { PaymentListStatus } from "../store/payment-list.ts";

export interface DeviceReport {
  name: string;
  kind: DeviceKind;
  state: DeviceState;
  lastError: { code: string; message: string; at: string } | null;
  statistics: DeviceStatistics;
}

/** One payment as the service screen lists it (the backend may add fields; no full PAN ever). */
export interface ServicePayment {
  id: string;
  status: string;
  /** Grosze. */
  total: number;
  paidAt: string | null;
  slip: string | null;
  maskedPan?: string | null;
  [extra: string]: unknown;
}

/** Staff's verdict on a payment recovery could not decide; `receiptNo`: the terminal's receipt they found. */
export interface Verdict {
  verdict: "charged" | "not_charged";
  note: string;
  receiptNo?: string;
}

/**
 * Payments only staff can settle: listed, and decided by staff who checked the terminal's journal.
 * The technician's console and the office's admin API both call the flow's one resolution for it.
 */
export interface UndecidedPaymentsBackend {
  /** Payments whose outcome the terminal could not prove, with the terminal's answer. */
  unresolvedPayments(): UnresolvedPayment[];
  /** Staff's verdict on an unresolved payment after checking the terminal's journal. */
  resolvePayment(id: string, verdict: Verdict, actor: string): Promise<unknown>;
}

export interface ServiceBackend extends UndecidedPaymentsBackend {
  devices(): DeviceReport[];
  checkHealth(device: string): Promise<HealthResult>;
  testPrint(): Promise<void>;
  /** Arms the scanner for one code; resolves with it, or null when nothing was read in time. */
  scannerTest(timeoutMs: number): Promise<{ code: string } | null>;
  terminalDiagnosis(): Promise<HealthResult>;
  /** Closes the batch; the terminal's totals, with the reconciliation against the kiosk's payments. */
  endOfDay(): Promise<TerminalEndOfDay & { reconciliation?: unknown }>;
  reprint(paymentId: string): Promise<void>;
  /** Payments of one business day (YYYY-MM-DD, Europe/Warsaw). */
  payments(day: string): ServicePayment[] | Promise<ServicePayment[]>;
  outOfOrder(): { on: boolean; reason: string | null };
  setOutOfOrder(on: boolean, reason: string): void;
  logTail(lines: number): string[];
  /** True while the physical service key is turned (GPIO). */
  serviceKeyTurned(): boolean;
  /** Calls `listener` whenever the service key is turned or turned back; returns the unsubscribe. */
  onServiceKey?(listener: (turned: boolean) => void): () => void;
}

/** Writes one audit entry; may throw (then the action is refused). */
export type AuditWriter = (
  actor: string,
  action: string,
  target: string | null,
  details: Record<string, unknown>,
) => void | Promise<void>;

export interface AdminPaymentQuery {
  /** Inclusive business days, YYYY-MM-DD (Europe/Warsaw). */
  from?: string;
  to?: string;
  status?: PaymentListStatus;
  slip?: string;
  limit: number;
  offset: number;
}

/** Closed cash-desk shifts, newest first (the store's ClosedShiftQuery). */
export interface AdminShiftQuery {
  /** Inclusive business days, YYYY-MM-DD. */
  from?: string;
  to?: string;
  cashier?: string;
  limit: number;
  offset: number;
}

/** A document to download: a report or an export. */
export interface AdminDocument {
  contentType: string;
  filename: string;
  body: string | Buffer | NodeJS.ReadableStream;
}

export interface AdminBackend extends UndecidedPaymentsBackend {
  payments(
    query: AdminPaymentQuery,
  ): { items: ServicePayment[]; total: number } | Promise<{ items: ServicePayment[]; total: number }>;
  settlementReport(date: string, format: "json" | "csv" | "pdf"): AdminDocument | Promise<AdminDocument>;
  exportPayments(
    from: string,
    to: string,
    format: "csv" | "json",
    dialect: "standard" | "excel-pl",
  ): AdminDocument | Promise<AdminDocument>;
  /** The day's Elixir-O payout file (SPEC §5 `report payouts`). */
  payouts(date: string, encoding: "utf8" | "cp1250"): AdminDocument | Promise<AdminDocument>;
  /** Reverses an approved payment at the terminal (same business day); throws BackendError otherwise. */
  voidPayment(id: string, actor: string, reason: string): Promise<unknown>;
  /**
   * A closed cash-desk shift's report as it closed (JSON or PDF, the same the desk printed); throws
   * BackendError NOT_FOUND for an unknown or still open shift. Absent where no desk runs.
   */
  shiftReport?(id: string, format: "json" | "pdf"): AdminDocument;
  /** Closed cash-desk shifts, newest close first, to find a report's id. Absent where no desk runs. */
  closedShifts?(query: AdminShiftQuery): { items: ClosedShift[]; total: number };
}

export interface StaffOperationsBackend {
  outbox(state?: "pending" | "failed"): OutboxEntry[];
  /**
   * Puts parked messages back in their place; the worker is woken. `accountsFromConfig`: a settlement
   * transaction goes with each recipient's account as the daemon's configuration holds it, and its
   * payment's records take the same (kiosk/outbox/account-rewrite.ts, as `outbox requeue
   * --accounts-from-config`).
   */
  requeue(ids: string[], actor: string, options?: { accountsFromConfig?: boolean }): RequeueResult;
  /**
   * What a requeue of `id` with the accounts from the configuration would change, to show before it
   * is done; throws BackendError NOT_FOUND when `id` is not parked.
   */
  previewAccounts(id: string): AccountsPreview;
  alarms(): { open: Alarm[]; recent: Alarm[] };
  /** Throws BackendError NOT_FOUND when the alarm does not exist or is already acknowledged. */
  acknowledgeAlarm(id: number, actor: string, note: string): Alarm;
}
