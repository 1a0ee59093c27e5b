/**
 * Prometheus metrics of one kiosk (prom-client, own registry). The composition root reports facts
 * through the small typed API below; nothing else touches prom-client. Fleet identity (office,
 * kiosk) belongs in the scrape's target labels, not here — see ops/README.md and ops/prometheus/prometheus.example.yml.
 * Labelled series that are known to exist are exported as 0 from the start, so alert rules and
 * rates see them before the first event.
 */
import fs from "node:fs";
import type { FastifyInstance } from "fastify";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { AlarmMetrics } from "./alarm-metrics.ts";

export type PaymentOutcome = "approved" | "declined" | "cancelled" | "unknown" | "error";
export const PAYMENT_OUTCOMES: readonly PaymentOutcome[] = [
  "approved",
  "declined",
  "cancelled",
  "unknown",
  "error",
];

export type PaperMetricState = "ok" | "near_end" | "out";
const PAPER_STATES: readonly PaperMetricState[] = ["ok", "near_end", "out"];

const LINT_FAILING_DEFAULTS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

export interface MetricsOptions {
  /** Devices to export as known series from the start (e.g. terminal, printer, scanner, gpio). */
  devices?: readonly string[];
  /** Outbox destinations to export as known series from the start (e.g. pik, settlement). */
  destinations?: readonly string[];
  /** A directory on the data file system; its free and total bytes are exported for the disk alert. */
  storagePath?: string;
  /** Default process metrics (on in production; tests may turn them off for speed). */
  defaultMetrics?: boolean;
  /** Extra labels on every series, e.g. when no service discovery adds office/kiosk. */
  labels?: Record<string, string>;
  /** Version string for oplatomat_build_info. */
  version?: string;
}

/** Node's default process metrics (unless turned off), the default labels and the build info. */
function registerProcessMetrics(registry: Registry, options: MetricsOptions): void {
  const registers = [registry];
  if (options.labels) registry.setDefaultLabels(options.labels);
  if (options.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
    // These three are gauges named `_total`, which `promtool check metrics` rejects; their
    // per-type siblings (nodejs_active_handles{type} …) carry the same information.
    for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name);
  }

  new Gauge({
    name: "oplatomat_build_info",
    help: "Build information; always 1.",
    labelNames: ["version"],
    registers,
  }).set({ version: options.version ?? "0.0.0" }, 1);
}

/** Free and total bytes of the database's file system, read at every scrape (the disk alert). */
function registerStorageGauges(registers: Registry[], storagePath: string): void {
  const stat = (): fs.StatsFs | undefined => {
    try {
      return fs.statfsSync(storagePath);
    } catch {
      return undefined;
    }
  };
  new Gauge({
    name: "oplatomat_storage_free_bytes",
    help: "Bytes available to the daemon on the file system of its database.",
    registers,
    collect() {
      const s = stat();
      if (s) this.set(s.bavail * s.bsize);
    },
  });
  new Gauge({
    name: "oplatomat_storage_size_bytes",
    help: "Total bytes of the file system of the database.",
    registers,
    collect() {
      const s = stat();
      if (s) this.set(s.blocks * s.bsize);
    },
  });
}

export class KioskMetrics {
  readonly registry = new Registry();
  /** Alarms waiting for staff (payment conflicts, end-of-day mismatches) and backups. */
  readonly alarms: AlarmMetrics;
  private readonly payments: Counter<"outcome">;
  private readonly amount: Counter;
  private readonly lastPayment: Gauge;
  private readonly sessionDuration: Histogram;
  private readonly deviceUp: Gauge<"device">;
  private readonly deviceErrors: Counter<"device" | "code">;
  private readonly paper: Gauge<"state">;
  private readonly outboxBacklog: Gauge<"destination">;
  private readonly outboxOldest: Gauge<"destination">;
  private readonly outboxParked: Gauge<"destination">;
  private readonly doorOpen: Gauge;
  private readonly loginFailures: Counter<"reason">;
  private readonly outOfOrder: Gauge;
  /** When the last approved payment was taken (for the heartbeat's fleet view); null before any. */
  lastPaymentAt: Date | null = null;

  /** The metrics of a kiosk with these devices and the configured outbox destinations. */
  static forKiosk(
    config: { integrations: object },
    devices: object,
    storagePath: string,
    version: string,
  ): KioskMetrics {
    return new KioskMetrics({
      devices: Object.keys(devices),
      destinations: Object.keys(config.integrations).filter((k) => k === "pik" || k === "settlement"),
      storagePath,
      version,
    });
  }

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    registerProcessMetrics(this.registry, options);

    this.payments = new Counter({
      name: "oplatomat_payments_total",
      help: "Payment sessions that ended, by outcome.",
      labelNames: ["outcome"],
      registers,
    });
    for (const outcome of PAYMENT_OUTCOMES) this.payments.inc({ outcome }, 0);

    this.amount = new Counter({
      name: "oplatomat_payment_amount_grosze_total",
      help: "Sum of approved payments, in grosze (1/100 PLN).",
      registers,
    });
    this.lastPayment = new Gauge({
      name: "oplatomat_last_payment_timestamp_seconds",
      help: "Unix time of the last approved payment; 0 when none is known.",
      registers,
    });
    this.sessionDuration = new Histogram({
      name: "oplatomat_session_duration_seconds",
      help: "Duration of payment sessions from the first scan or basket to their end.",
      buckets: [10, 20, 30, 45, 60, 90, 120, 180, 300],
      registers,
    });

    this.deviceUp = new Gauge({
      name: "oplatomat_device_up",
      help: "1 while the device is usable (idle or busy), 0 otherwise.",
      labelNames: ["device"],
      registers,
    });
    this.deviceErrors = new Counter({
      name: "oplatomat_device_errors_total",
      help: "Device errors, by device and error code.",
      labelNames: ["device", "code"],
      registers,
    });
    for (const device of options.devices ?? []) this.deviceUp.set({ device }, 0);

    this.paper = new Gauge({
      name: "oplatomat_printer_paper",
      help: "Receipt paper state, one-hot: 1 for the current state (ok, near_end, out).",
      labelNames: ["state"],
      registers,
    });
    this.printerPaper("ok");

    this.outboxBacklog = new Gauge({
      name: "oplatomat_outbox_backlog",
      help: "Messages waiting in the outbox, by destination.",
      labelNames: ["destination"],
      registers,
    });
    this.outboxOldest = new Gauge({
      name: "oplatomat_outbox_oldest_age_seconds",
      help: "Age of the oldest undelivered outbox message, by destination; 0 when none waits.",
      labelNames: ["destination"],
      registers,
    });
    this.outboxParked = new Gauge({
      name: "oplatomat_outbox_parked",
      help: "Outbox messages a receiver refused for good (4xx other than 409), by destination; someone must look at them.",
      labelNames: ["destination"],
      registers,
    });
    for (const destination of options.destinations ?? []) this.outbox(destination, 0, 0, 0);

    this.loginFailures = new Counter({
      name: "oplatomat_service_login_failures_total",
      help: "Refused service PIN logins: a wrong PIN, or any PIN while the lockout holds (someone guessing the PIN).",
      labelNames: ["reason"],
      registers,
    });
    for (const reason of ["wrong_pin", "locked"]) this.loginFailures.inc({ reason }, 0);

    this.doorOpen = new Gauge({
      name: "oplatomat_door_open",
      help: "1 while the cabinet door is open.",
      registers,
    });
    this.outOfOrder = new Gauge({
      name: "oplatomat_out_of_order",
      help: "1 while the kiosk shows out of order to visitors.",
      registers,
    });
    this.alarms = new AlarmMetrics(this.registry);

    if (options.storagePath) registerStorageGauges(registers, options.storagePath);
  }

  /**
   * A session ended. `amountGrosze` counts only for approved payments (an integer; anything else is
   * a programming error and is refused rather than silently rounded).
   */
  paymentFinished(
    outcome: PaymentOutcome,
    amountGrosze: number,
    durationSeconds: number,
    at: Date = new Date(),
  ): void {
    if (!Number.isSafeInteger(amountGrosze) || amountGrosze < 0) {
      throw new RangeError(`amount must be a non-negative integer of grosze, got ${amountGrosze}`);
    }
    this.payments.inc({ outcome });
    if (outcome === "approved") {
      this.amount.inc(amountGrosze);
      this.lastPayment.set(Math.floor(at.getTime() / 1000));
      this.lastPaymentAt = at;
    }
    if (Number.isFinite(durationSeconds) && durationSeconds >= 0)
      this.sessionDuration.observe(durationSeconds);
  }

  /** At start: the time of the last approved payment found in the database. */
  restoreLastPayment(at: Date): void {
    this.lastPayment.set(Math.floor(at.getTime() / 1000));
    this.lastPaymentAt = at;
  }

  deviceState(device: string, up: boolean): void {
    this.deviceUp.set({ device }, up ? 1 : 0);
  }

  deviceError(device: string, code: string): void {
    // Codes are short machine words from the drivers; anything else is folded to keep cardinality low.
    const safe = /^[a-z0-9_]{1,32}$/.test(code) ? code : "other";
    this.deviceErrors.inc({ device, code: safe });
  }

  printerPaper(state: PaperMetricState): void {
    for (const s of PAPER_STATES) this.paper.set({ state: s }, s === state ? 1 : 0);
  }

  outbox(destination: string, backlog: number, oldestAgeSeconds: number, parked = 0): void {
    this.outboxBacklog.set({ destination }, backlog);
    this.outboxOldest.set({ destination }, backlog > 0 ? oldestAgeSeconds : 0);
    this.outboxParked.set({ destination }, parked);
  }

  serviceLoginFailure(reason: "wrong_pin" | "locked"): void {
    this.loginFailures.inc({ reason });
  }

  door(open: boolean): void {
    this.doorOpen.set(open ? 1 : 0);
  }

  outOfOrderState(on: boolean): void {
    this.outOfOrder.set(on ? 1 : 0);
  }

  /** The exposition text, as served on /metrics. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Fastify plugin serving `GET /metrics` (register it at the root, no prefix). */
export async function metricsRoutes(app: FastifyInstance, options: { metrics: KioskMetrics }): Promise<void> {
  app.get("/metrics", { logLevel: "warn" }, async (_request, reply) => {
    const body = await options.metrics.registry.metrics();
    return reply.type(options.metrics.registry.contentType).send(body);
  });
}
