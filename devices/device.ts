/**
 * The common device contract (after UnifiedPOS): every driver — terminal, printer, scanner, GPIO —
 * has the same life cycle, state, health check, statistics and typed events. The device layer knows
 * protocols, not payments: nothing here mentions sessions, slips or the database.
 */
import { EventEmitter } from "node:events";

export type DeviceKind = "terminal" | "printer" | "scanner" | "gpio";
export type DeviceState = "closed" | "idle" | "busy" | "error" | "offline";

/** A message in the three languages of the kiosk, so the flow can show a device's words to a visitor. */
export interface LocalizedText {
  pl: string;
  en: string;
  uk: string;
}

export interface HealthResult {
  ok: boolean;
  state: DeviceState;
  /** Human-readable, for a technician. */
  message: string;
  details?: Record<string, string | number | boolean | null>;
}

/** Counters such as receipts printed, paper-out events, transactions, reconnects. */
export type DeviceStatistics = Record<string, number>;

export type DeviceBaseEvents = {
  state: [state: DeviceState, previous: DeviceState];
  /** A device error worth counting and showing (`code` is a short machine word, e.g. `paper_out`). */
  error: [error: { code: string; message: string }];
};

/** Event maps are plain object types whose values are argument tuples. */
export type EventMap<T> = { [K in keyof T]: unknown[] };

/** A strictly typed EventEmitter: `on("state", (s, prev) => …)` is checked against the event map. */
export class TypedEmitter<Events extends EventMap<Events>> {
  private readonly emitter = new EventEmitter();

  constructor() {
    // An `error` event with no listener would crash the process; devices must never do that.
    this.emitter.on("error", () => {});
    this.emitter.setMaxListeners(50);
  }

  on<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): this {
    this.emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  once<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): this {
    this.emitter.once(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): this {
    this.emitter.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  protected emit<K extends keyof Events & string>(event: K, ...args: Events[K]): boolean {
    return this.emitter.emit(event, ...args);
  }

  /** Whether anything listens to `event` now (so what it carries need not be built otherwise). */
  protected listens(event: keyof Events & string): boolean {
    return this.emitter.listenerCount(event) > 0;
  }
}

export interface Device<Events extends DeviceBaseEvents & EventMap<Events> = DeviceBaseEvents> {
  readonly kind: DeviceKind;
  /** A short name for logs and metrics, e.g. `terminal`, `printer`. */
  readonly name: string;
  readonly state: DeviceState;
  /** The last error seen, for the service screen; undefined when none. */
  readonly lastError: { code: string; message: string; at: string } | undefined;
  /** Opens the device. Resolves even when the device is absent: it is then `offline` and reconnects by itself. */
  open(): Promise<void>;
  close(): Promise<void>;
  checkHealth(): Promise<HealthResult>;
  statistics(): DeviceStatistics;
  on<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): this;
  off<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): this;
}

/**
 * A base class drivers may extend: keeps state, last error and counters in one place and emits the
 * common events. Drivers call `setState` and `recordError`; they never throw from event handlers.
 */
export abstract class BaseDevice<Events extends DeviceBaseEvents & EventMap<Events> = DeviceBaseEvents>
  extends TypedEmitter<Events>
  implements Device<Events>
{
  abstract readonly kind: DeviceKind;
  private currentState: DeviceState = "closed";
  private lastErrorValue: { code: string; message: string; at: string } | undefined;
  protected readonly counters: DeviceStatistics = {};

  constructor(readonly name: string) {
    super();
  }

  get state(): DeviceState {
    return this.currentState;
  }

  get lastError(): { code: string; message: string; at: string } | undefined {
    return this.lastErrorValue;
  }

  protected setState(next: DeviceState): void {
    const previous = this.currentState;
    if (previous === next) return;
    this.currentState = next;
    (this.emit as (e: "state", s: DeviceState, p: DeviceState) => boolean)("state", next, previous);
  }

  protected recordError(code: string, message: string): void {
    this.lastErrorValue = { code, message, at: new Date().toISOString() };
    this.count(`errors_${code}`);
    (this.emit as (e: "error", err: { code: string; message: string }) => boolean)("error", {
      code,
      message,
    });
  }

  protected count(counter: string, by = 1): void {
    this.counters[counter] = (this.counters[counter] ?? 0) + by;
  }

  statistics(): DeviceStatistics {
    return { ...this.counters };
  }

  abstract open(): Promise<void>;
  abstract close(): Promise<void>;
  abstract checkHealth(): Promise<HealthResult>;
}

// ───────────────────────────── Payment terminal ─────────────────────────────

/**
 * What the terminal said about one transaction (from a 04 0F status information, or a repeat receipt).
 * A reversal (06 30) is a transaction of its own: its own receipt and trace numbers, the amount of the
 * original, and the original's trace number (BMP 37) in `originalTraceNumber`.
 */
export interface TerminalTransaction {
  /** `reversal` when the terminal reported a void (BMP 37 present, or the answer to our 06 30). */
  kind: "payment" | "reversal";
  outcome: "approved" | "declined" | "aborted";
  /** ZVT result code (BMP 27), 0 for approved. */
  resultCode: number;
  /** The result code's meaning for the visitor. */
  message: LocalizedText;
  /** Grosze, as the terminal reported it (BMP 04). */
  amount?: number;
  /** ISO 4217 numeric currency the terminal reported (BMP 49), e.g. 985 for PLN. */
  currency?: number;
  traceNumber?: string;
  /** Reversals: the trace number of the transaction reversed (BMP 37). */
  originalTraceNumber?: string;
  receiptNumber?: string;
  terminalId?: string;
  authCode?: string;
  /** Masked PAN as the terminal gives it, and never more than the last four digits in clear. */
  maskedPan?: string;
  cardBrand?: string;
  /** ISO 8601 local date-time the terminal stamped, when it sent date (BMP 0D) and time (BMP 0C). */
  terminalTime?: string;
  /** Additional card data worth journaling, masked (e.g. AID, card sequence number). */
  extra?: Record<string, string | number>;
}

/**
 * The terminal's answer to "what was your last transaction" (ZVT 06 20), kept apart so recovery can
 * tell a proof from an absence of proof:
 * - `transaction`: it repeated one (a payment or a reversal);
 * - `nothing`: it repeated no transaction (06 1E, or a completion without status information), and
 *   said so again when asked again — some terminals never repeat anything, so this proves nothing;
 * - `unreadable`: it sent status information that could not be parsed at all;
 * - `no_answer`: timeouts, link down, terminal not ready or offline.
 */
export type LastTransactionAnswer =
  | { kind: "transaction"; tx: TerminalTransaction }
  | { kind: "nothing" }
  | { kind: "unreadable"; detail: string }
  | { kind: "no_answer"; detail?: string };

export interface TerminalEndOfDay {
  /** Grosze, the terminal's total of the closed batch. */
  total: number;
  count: number;
  /** Per card brand, when the terminal gives them. */
  perBrand?: Record<string, { count: number; total: number }>;
  traceNumber?: string;
  terminalTime?: string;
}

/** Whose copy a terminal receipt is (ZVT TLV 1F07). */
export type ReceiptCopy = "merchant" | "customer" | "administration" | "unknown";

/**
 * Something the terminal says it needs before it serves payments again (ZVT terminal status 51, C2, 62,
 * F0, B1 after a status enquiry, or the registration's status byte bits 01/02). Commands that only
 * restore the terminal (initialisation, diagnosis) the driver sends itself; an end-of-day closes the
 * batch, whose totals only the payment flow may store, so the driver only asks for it.
 */
export interface TerminalNeed {
  action: "initialisation" | "diagnosis" | "end_of_day";
  /** The terminal status code (or, from a registration, the status byte) that asked for it. */
  code: number;
  /** What the terminal said and what has been done, for a technician. */
  reason: string;
  /**
   * Who sees to it now: `driver` (sending the command itself, bounded), `flow` (an end-of-day the payment
   * flow must run), `technician` (the driver's attempts did not help).
   */
  by: "driver" | "flow" | "technician";
  /** Counts the terminal's requests: a need that cleared and came back is a new request (a new number). */
  request: number;
}

export type TerminalEvents = DeviceBaseEvents & {
  /**
   * What the terminal needs (see `TerminalNeed`), or null once it is ready again. Repeated for an
   * unchanged need at each status enquiry that reports it, so a request the flow had to put off is
   * looked at again.
   */
  need: [need: TerminalNeed | null];
  /** 04 FF intermediate status: what the visitor should do now ("insert card", "enter PIN"). */
  intermediate: [status: { code: number; message: LocalizedText }];
  /**
   * One receipt the terminal hands to the kiosk to print (06 D1 lines up to the "last line" attribute, or
   * one 06 D3 block). `copy` is the receipt type the terminal named (TLV 1F07: 01 merchant, 02 customer,
   * 03 administration) or `unknown` when it named none; only a customer (or unknown) copy is for the visitor.
   */
  receiptText: [lines: string[], copy: ReceiptCopy];
};

/** Thrown when the terminal's answer was lost (timeout, link dropped): the outcome must be recovered. */
export class TerminalOutcomeUnknownError extends Error {
  override readonly name = "TerminalOutcomeUnknownError";
}

/** Thrown when the terminal refused a command outright (busy, wrong password, not registered). */
export class TerminalCommandError extends Error {
  override readonly name = "TerminalCommandError";
  constructor(
    message: string,
    readonly resultCode: number,
  ) {
    super(message);
  }
}

export type AbortAnswer = "accepted" | "too_late" | "no_answer" | "idle";

export interface AuthorizationRequest {
  /** Grosze, > 0. */
  amount: number;
  /**
   * Called with the transaction result BEFORE the driver acknowledges the terminal's 04 0F: the
   * acknowledgement is the terminal's commit point, so the caller persists the result here. If it
   * throws or rejects, the driver answers negatively and the terminal reverses the transaction.
   */
  persist(tx: TerminalTransaction): void | Promise<void>;
  /**
   * Called once the positive acknowledgement of that 04 0F has been sent: the terminal has committed
   * the payment. Lets the caller record that a restart must treat it as paid whatever 06 20 says.
   */
  acknowledged?(tx: TerminalTransaction): void;
}

export interface PaymentTerminal extends Device<TerminalEvents> {
  readonly kind: "terminal";
  /**
   * Runs one card payment. Resolves with the final result (approved, declined or aborted). Rejects
   * with TerminalOutcomeUnknownError when the answer was lost, TerminalCommandError when refused.
   */
  authorize(request: AuthorizationRequest): Promise<TerminalTransaction>;
  /**
   * Asks the terminal to abort the payment (06 B0). `accepted`: the payment ends aborted (a payment still
   * waiting for the terminal is never sent); `too_late`: refused (84 83, the host is contacted), the
   * payment goes on to its result; `no_answer`: the terminal said nothing; `idle`: no payment ran.
   */
  abort(): Promise<AbortAnswer>;
  /**
   * The last transaction the terminal knows (06 20 repeat receipt). Never rejects: a lost or refused
   * answer is `no_answer`.
   */
  lastTransaction(): Promise<LastTransactionAnswer>;
  /**
   * Reverses a transaction by its receipt number (06 30). Resolves with the reversal as a transaction of
   * its own (`kind: "reversal"`, its own receipt and trace numbers, `originalTraceNumber`) when the
   * terminal reversed it (`resultCode` 0), or with `resultCode` 0xB4 (already reversed) / 0xB5 (not
   * possible) and the original's receipt number when it did not.
   */
  reverse(receiptNumber: string, amount?: number): Promise<TerminalTransaction>;
  /** Closes the batch (06 50) and returns its totals. */
  endOfDay(): Promise<TerminalEndOfDay>;
  /**
   * Staff decided every payment whose outcome was lost, from the terminal's own journal: a driver that
   * refuses end-of-day while one is unresolved may close the day again. Optional: not every driver keeps
   * such a guard.
   */
  lostOutcomesSettled?(): void;
  /** Diagnosis (06 70). */
  diagnose(): Promise<HealthResult>;
  /** What the terminal needs now (the last `need` event), or undefined. Optional: not every driver knows. */
  readonly need?: TerminalNeed | undefined;
}

// ───────────────────────────── Receipt printer ─────────────────────────────

export type PaperState = "ok" | "near_end" | "out";

export interface PrinterStatus {
  online: boolean;
  paper: PaperState;
  coverOpen: boolean;
  /** A mechanical, cutter or unrecoverable error reported by the printer. */
  failure: boolean;
}

export interface PrintJob {
  /** Stable id of the job (the payment id plus a suffix); used in logs only. */
  id: string;
  /** A receiptline document. Every piece of data in it is already escaped by the caller. */
  document: string;
}

/** Why a job did not complete: `paper_out`, `cover_open`, `offline`, `failure`, `timeout`. */
export class PrintError extends Error {
  override readonly name = "PrintError";
  constructor(
    message: string,
    readonly code: "paper_out" | "cover_open" | "offline" | "failure" | "timeout",
  ) {
    super(message);
  }
}

export type PrinterEvents = DeviceBaseEvents & {
  status: [status: PrinterStatus];
};

/** Whether a receipt could be printed now; asked before a payment starts. */
export type PrinterReadiness =
  | { ready: true; paper: Exclude<PaperState, "out"> }
  | { ready: false; reason: "paper_out" | "cover_open" | "offline" | "failure" };

export interface ReceiptPrinter extends Device<PrinterEvents> {
  readonly kind: "printer";
  /** The last known status (from DLE EOT, the idle poll, or automatic status back). */
  readonly lastStatus: PrinterStatus;
  /** Queries the printer (DLE EOT 1–4). */
  status(): Promise<PrinterStatus>;
  /**
   * Asks the printer now (DLE EOT 1–4) and says whether a receipt could be printed. Never rejects: a
   * printer that does not answer is `offline`. For the flow to call before a payment starts, since a
   * printer without automatic status back says nothing by itself when its paper runs out while idle.
   */
  readiness(): Promise<PrinterReadiness>;
  /** Prints one job; resolves once the printer reports ready after it, rejects with PrintError. */
  print(job: PrintJob): Promise<void>;
}

// ───────────────────────────── QR / barcode reader ─────────────────────────────

export type ScannerEvents = DeviceBaseEvents & {
  /** One code, delivered only while armed; the reader disarms itself after it (AutoDisable). */
  data: [code: string];
  /** A code read while disarmed: counted and ignored. */
  stray: [code: string];
};

export interface CodeScanner extends Device<ScannerEvents> {
  readonly kind: "scanner";
  readonly armed: boolean;
  /** Accept exactly one code (UnifiedPOS DataEventEnabled with AutoDisable). */
  arm(): void;
  disarm(): void;
}

// ───────────────────────────── Kiosk I/O (lights, door, service key) ─────────────────────────────

export type LightName = "status" | "printer" | "terminal" | "scanner";
export type LightMode = "off" | "on" | "blink";

export type KioskIoEvents = DeviceBaseEvents & {
  door: [open: boolean];
  serviceKey: [turned: boolean];
  /** Headphones in the visitor's jack (where the hardware reports it): audio mode, private listening. */
  headphones: [plugged: boolean];
};

export interface KioskIo extends Device<KioskIoEvents> {
  readonly kind: "gpio";
  readonly doorOpen: boolean;
  readonly serviceKeyTurned: boolean;
  readonly headphonesPlugged: boolean;
  setLight(light: LightName, mode: LightMode): void;
}

/** The devices the composition root hands to the flow and the service API. */
export interface KioskDevices {
  terminal: PaymentTerminal;
  printer: ReceiptPrinter;
  scanner: CodeScanner;
  gpio: KioskIo;
}

/** The devices by name, typed by the common contract only (for health, metrics and service views). */
export function deviceList(devices: KioskDevices): Array<[string, Device]> {
  return Object.entries(devices).map(([name, d]) => [name, d as unknown as Device]);
}
