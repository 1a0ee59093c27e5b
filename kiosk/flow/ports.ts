/**
 * The payment flow's ports (what it is built over) and events, and what its parts (booking,
 * recovery) may ask of the visit on screen, so each part is a small module of its own.
 */
import type { KeyObject } from "node:crypto";
import type { PaymentTerminal, ReceiptPrinter } from "../../devices/device.ts";
import type { DeviceLogger } from "../../devices/transport/transport.ts";
import type { KioskConfig } from "../config/types.ts";
import type { ReceiptModel } from "../domain/receipt.ts";
import type { SessionStore } from "../store/sessions.ts";
import type { SessionView } from "./session-view.ts";
import type { ScreenState } from "./states.ts";
import type { SlipCheckAnswer } from "./slip-check.ts";

export interface FlowDependencies {
  config: KioskConfig;
  store: SessionStore;
  terminal: PaymentTerminal;
  printer: ReceiptPrinter;
  trustedKeys: ReadonlyMap<string, KeyObject>;
  receiptKey: { kid: string; privateKey: KeyObject };
  /** Renders a receipt model to the printer's document (receiptline markup). */
  renderReceipt(model: ReceiptModel): string;
  /** Asks the office system whether a slip is still open (SPEC §6); absent when not configured. */
  checkSlip?: (office: string, slip: string) => Promise<SlipCheckAnswer>;
  /** Enqueues the outbox messages reporting a committed payment, inside the caller's transaction. */
  enqueuePaymentReports(sessionId: string): void;
  log: DeviceLogger;
  now?: () => Date;
  /**
   * Where any end-of-day the flow runs writes its day's reports and logs a mismatch (the schedule's and
   * the service console's settings): used when the terminal itself asks for an end-of-day.
   */
  endOfDay?: { reportDirectory?: string; log?: { error(obj: object, msg?: string): void } };
}

/** How a visit waiting for its visitor ended without money (`visitAbandoned`). */
export type AbandonedOutcome = "cancelled" | "timed_out" | "out_of_order";

/** What the screen shows, in short: the session on it (null: none) and its state. */
export interface ScreenChange {
  id: string | null;
  state: ScreenState;
}

export type FlowEvents = {
  /** The whole view, for screens (the event stream); built only while one listens. */
  session: [view: SessionView];
  /** Every change of the screen, in short (the scanner's arming, the quiet moments). */
  screen: [change: ScreenChange];
  /**
   * A payment reached its outcome (for metrics); `seconds` from the intent to charge to the terminal's
   * result, absent when recovery decided it after a restart (its time at the terminal is not known).
   */
  paymentFinished: [
    info: {
      /** `error`: the terminal refused the command (busy, not ready, a fault), not the card. */
      outcome: "approved" | "declined" | "cancelled" | "not_charged" | "error";
      amount: number;
      seconds?: number;
    },
  ];
  /**
   * A visit ended without asking the terminal again and without money: the visitor cancelled it (on
   * the summary, or after a decline), left it until the inactivity time-out, or the kiosk went out of
   * order under it (for metrics; an abort at the terminal is a `paymentFinished` of its own).
   */
  visitAbandoned: [info: { outcome: AbandonedOutcome }];
  /** Outbox messages were enqueued. */
  reportsEnqueued: [];
  /** The set of out-of-order reasons changed. */
  outOfOrder: [reasons: string[]];
};

/** What booking and recovery ask of the visit on screen (PaymentFlow implements it). */
export interface FlowHost {
  /** Shows the current session again (visitor screen, event stream). */
  publish(): void;
  /** Shows it again only when session `id` is the one on screen. */
  shown(id: string): void;
  /** Session `id` reached an outcome: if it is on screen, its inactivity timer starts. */
  settled(id: string): void;
  /** The visitor asked the terminal to abort the attempt now running. */
  readonly cancelRequested: boolean;
  /** The visitor's copy of the terminal's receipt text of the attempt now running. */
  readonly terminalReceipt: readonly string[];
  /** The terminal's prompt on screen is over. */
  clearTerminalMessage(): void;
  /** Sets or clears one reason for being out of order. */
  setOutOfOrder(key: string, reason: string | null): void;
  /** True once the flow is closing: no timers are started. */
  readonly closed: boolean;
  emit<K extends keyof FlowEvents>(event: K, ...args: FlowEvents[K]): void;
}

/** What booking and recovery share: the configuration, the store and the flow's clock. */
export abstract class FlowPart<
  D extends Pick<FlowDependencies, "config" | "store"> & { now: () => Date },
  H extends FlowHost = FlowHost,
> {
  constructor(
    protected readonly deps: D,
    protected readonly host: H,
  ) {}

  protected get config(): KioskConfig {
    return this.deps.config;
  }

  protected get store(): SessionStore {
    return this.deps.store;
  }

  protected now(): Date {
    return this.deps.now();
  }
}
