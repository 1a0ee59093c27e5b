/**
 * Prometheus metrics of one kiosk. The composition root reports facts through the small typed API
 * below; the series count in the kiosk's own objects (kiosk/ops/metric-series.ts) and prom-client, with
 * its own registry and Node's default process metrics, is loaded when /metrics is first scraped. Fleet identity (office,
 * kiosk) belongs in the scrape's target labels, not here — see ops/README.md and ops/prometheus/prometheus.example.yml.
 * Labelled series that are known to exist are exported as 0 from the start, so alert rules and
 * rates see them before the first event.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import type { FastifyInstance } from "fastify";
import type * as PromClient from "prom-client";
import type { Registry } from "prom-client";
import { AlarmMetrics } from "./alarm-metrics.ts";
import { type AnySeries, CounterSeries, GaugeSeries, HistogramSeries } from "./metric-series.ts";

/**
 * Each card payment's result at the terminal (approved, declined, unknown, error: the terminal refused
 * the command, not the card) and each visit that ended without money by how (cancelled by the
 * visitor, on screen or at the terminal; timed_out; out_of_order): staff see visits lost, not only
 * attempts. ops/README.md lists the outcomes.
 */
const PAYMENTS_HELP =
  "Card payments and unpaid visits that ended, by outcome: approved, declined, unknown, error at the terminal; cancelled (by the visitor, on screen or at the terminal), timed_out, out_of_order for a visit left without paying.";

export type PaymentOutcome =
  | "approved"
  | "declined"
  | "cancelled"
  | "unknown"
  | "error"
  | "timed_out"
  | "out_of_order";
export const PAYMENT_OUTCOMES: readonly PaymentOutcome[] = [
  "approved",
  "declined",
  "cancelled",
  "unknown",
  "error",
  "timed_out",
  "out_of_order",
];

/** How a visit that never reached (or left) the terminal ended without money. */
export type AbandonedVisitOutcome = Extract<PaymentOutcome, "cancelled" | "timed_out" | "out_of_order">;

export type PaperMetricState = "ok" | "near_end" | "out";
const PAPER_STATES: readonly PaperMetricState[] = ["ok", "near_end", "out"];

const LINT_FAILING_DEFAULTS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

/**
 * prom-client's event-loop delay monitor samples every 10 ms from the moment the default metrics are
 * set up; the first scrape waits this long so its loop-delay figures are measured, not empty.
 */
const FIRST_SAMPLES_MS = 25;

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

/** prom-client, required (CommonJS) when the registry is first asked for, not when the daemon starts. */
function promClient(): typeof PromClient {
  return createRequire(import.meta.url)("prom-client") as typeof PromClient;
}

/**
 * The registry /metrics formats: Node's default process metrics (unless turned off; they observe the
 * process from this moment, e.g. garbage collections from the first scrape on), the default labels,
 * then the kiosk's series in the order they were made.
 */
function createRegistry(series: readonly AnySeries[], options: MetricsOptions): Registry {
  const prom = promClient();
  const registry = new prom.Registry();
  if (options.labels) registry.setDefaultLabels(options.labels);
  if (options.defaultMetrics ?? true) {
    prom.collectDefaultMetrics({ register: registry });
    // These three are gauges named `_total`, which `promtool check metrics` rejects; their
    // per-type siblings (nodejs_active_handles{type} …) carry the same information.
    for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name);
  }
  for (const s of series) registry.registerMetric(s as unknown as PromClient.Metric);
  return registry;
}

/** Free and total bytes of the database's file system, read at every scrape (the disk alert). */
function storageGauges(storagePath: string): GaugeSeries[] {
  const stat = (): fs.StatsFs | undefined => {
    try {
      return fs.statfsSync(storagePath);
    } catch {
      return undefined;
    }
  };
  const gauge = (name: string, help: string, value: (s: fs.StatsFs) => number): GaugeSeries =>
    new GaugeSeries(name, help, false, (g) => {
      const s = stat();
      if (s) g.set(value(s));
    });
  return [
    gauge(
      "oplatomat_storage_free_bytes",
      "Bytes available to the daemon on the file system of its database.",
      (s) => s.bavail * s.bsize,
    ),
    gauge(
      "oplatomat_storage_size_bytes",
      "Total bytes of the file system of the database.",
      (s) => s.blocks * s.bsize,
    ),
  ];
}

export class KioskMetrics {
  /** Alarms waiting for staff (payment conflicts, end-of-day mismatches) and backups. */
  readonly alarms: AlarmMetrics;
  /** Every series, in the order /metrics lists them (after the default process metrics). */
  private readonly series: AnySeries[] = [];
  private readonly options: MetricsOptions;
  private promRegistry: Registry | undefined;
  private readonly payments: CounterSeries;
  private readonly amount: CounterSeries;
  private readonly lastPayment: GaugeSeries;
  private readonly sessionDuration: HistogramSeries;
  private readonly deviceUp: GaugeSeries;
  private readonly deviceErrors: CounterSeries;
  private readonly paper: GaugeSeries;
  private readonly outboxBacklog: GaugeSeries;
  private readonly outboxOldest: GaugeSeries;
  private readonly outboxParked: GaugeSeries;
  private readonly outboxPrunedCount: CounterSeries;
  private readonly doorOpen: GaugeSeries;
  private readonly loginFailures: CounterSeries;
  private readonly outOfOrder: GaugeSeries;
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
    this.options = options;
    const add = <S extends AnySeries>(series: S): S => {
      this.series.push(series);
      return series;
    };
    add(new GaugeSeries("oplatomat_build_info", "Build information; always 1.", true)).set(1, {
      version: options.version ?? "0.0.0",
    });

    this.payments = add(new CounterSeries("oplatomat_payments_total", PAYMENTS_HELP, true));
    for (const outcome of PAYMENT_OUTCOMES) this.payments.inc(0, { outcome });
    this.amount = add(
      new CounterSeries(
        "oplatomat_payment_amount_grosze_total",
        "Sum of approved payments, in grosze (1/100 PLN).",
      ),
    );
    this.lastPayment = add(
      new GaugeSeries(
        "oplatomat_last_payment_timestamp_seconds",
        "Unix time of the last approved payment; 0 when none is known.",
      ),
    );
    this.sessionDuration = add(
      new HistogramSeries(
        "oplatomat_session_duration_seconds",
        "Duration of card payments at the terminal: from the intent to charge to the terminal's result (approved, declined or cancelled); not the visit before it, nor payments recovery decided after a restart.",
        [10, 20, 30, 45, 60, 90, 120, 180, 300],
      ),
    );

    this.deviceUp = add(
      new GaugeSeries(
        "oplatomat_device_up",
        "1 while the device is usable (idle or busy), 0 otherwise.",
        true,
      ),
    );
    this.deviceErrors = add(
      new CounterSeries("oplatomat_device_errors_total", "Device errors, by device and error code.", true),
    );
    for (const device of options.devices ?? []) this.deviceUp.set(0, { device });

    this.paper = add(
      new GaugeSeries(
        "oplatomat_printer_paper",
        "Receipt paper state, one-hot: 1 for the current state (ok, near_end, out).",
        true,
      ),
    );
    this.printerPaper("ok");

    this.outboxBacklog = add(
      new GaugeSeries("oplatomat_outbox_backlog", "Messages waiting in the outbox, by destination.", true),
    );
    this.outboxOldest = add(
      new GaugeSeries(
        "oplatomat_outbox_oldest_age_seconds",
        "Age of the oldest undelivered outbox message, by destination; 0 when none waits.",
        true,
      ),
    );
    this.outboxParked = add(
      new GaugeSeries(
        "oplatomat_outbox_parked",
        "Outbox messages a receiver refused for good (4xx other than 409), by destination; someone must look at them.",
        true,
      ),
    );
    for (const destination of options.destinations ?? []) this.outbox(destination, 0, 0, 0);
    this.outboxPrunedCount = add(
      new CounterSeries(
        "oplatomat_outbox_pruned_total",
        "Delivered outbox messages deleted after their retention period (kiosk/store/outbox-retention.ts).",
      ),
    );

    this.loginFailures = add(
      new CounterSeries(
        "oplatomat_service_login_failures_total",
        "Refused service PIN logins: a wrong PIN, or any PIN while the lockout holds (someone guessing the PIN).",
        true,
      ),
    );
    for (const reason of ["wrong_pin", "locked"]) this.loginFailures.inc(0, { reason });

    this.doorOpen = add(new GaugeSeries("oplatomat_door_open", "1 while the cabinet door is open."));
    this.outOfOrder = add(
      new GaugeSeries("oplatomat_out_of_order", "1 while the kiosk shows out of order to visitors."),
    );
    this.alarms = new AlarmMetrics(add);

    if (options.storagePath) for (const gauge of storageGauges(options.storagePath)) add(gauge);
  }

  /**
   * prom-client's registry over the kiosk's series, made (and prom-client loaded) at the first call:
   * the series count from the start, the registry only formats them.
   */
  get registry(): Registry {
    this.promRegistry ??= createRegistry(this.series, this.options);
    return this.promRegistry;
  }

  /**
   * A card payment ended (a visit cancelled before paying started none). `amountGrosze` counts only
   * for approved payments (an integer; anything else is a programming error and is refused rather than
   * silently rounded).
   */
  paymentFinished(
    outcome: PaymentOutcome,
    amountGrosze: number,
    durationSeconds: number | undefined,
    at: Date = new Date(),
  ): void {
    if (!Number.isSafeInteger(amountGrosze) || amountGrosze < 0) {
      throw new RangeError(`amount must be a non-negative integer of grosze, got ${amountGrosze}`);
    }
    this.payments.inc(1, { outcome });
    if (outcome === "approved") {
      this.amount.inc(amountGrosze);
      this.lastPayment.set(Math.floor(at.getTime() / 1000));
      this.lastPaymentAt = at;
    }
    if (durationSeconds !== undefined && Number.isFinite(durationSeconds) && durationSeconds >= 0)
      this.sessionDuration.observe(durationSeconds);
  }

  /**
   * A visit ended without money and without a terminal result of its own: the visitor cancelled it on
   * screen, it timed out, or the kiosk went out of order under it. Counted in the payments counter
   * beside the terminal's outcomes, but not in the session duration histogram, whose figures are
   * those of payments (authorising to the end) and stay comparable with earlier ones.
   */
  visitAbandoned(outcome: AbandonedVisitOutcome): void {
    this.payments.inc(1, { outcome });
  }

  /** At start: the time of the last approved payment found in the database. */
  restoreLastPayment(at: Date): void {
    this.lastPayment.set(Math.floor(at.getTime() / 1000));
    this.lastPaymentAt = at;
  }

  deviceState(device: string, up: boolean): void {
    this.deviceUp.set(up ? 1 : 0, { device });
  }

  deviceError(device: string, code: string): void {
    // Codes are short machine words from the drivers; anything else is folded to keep cardinality low.
    const safe = /^[a-z0-9_]{1,32}$/.test(code) ? code : "other";
    this.deviceErrors.inc(1, { device, code: safe });
  }

  printerPaper(state: PaperMetricState): void {
    for (const s of PAPER_STATES) this.paper.set(s === state ? 1 : 0, { state: s });
  }

  outbox(destination: string, backlog: number, oldestAgeSeconds: number, parked = 0): void {
    this.outboxBacklog.set(backlog, { destination });
    this.outboxOldest.set(backlog > 0 ? oldestAgeSeconds : 0, { destination });
    this.outboxParked.set(parked, { destination });
  }

  /** Delivered messages the retention rule deleted (kiosk/ops/quiet-retention.ts). */
  outboxPruned(count: number): void {
    if (Number.isSafeInteger(count) && count > 0) this.outboxPrunedCount.inc(count);
  }

  serviceLoginFailure(reason: "wrong_pin" | "locked"): void {
    this.loginFailures.inc(1, { reason });
  }

  door(open: boolean): void {
    this.doorOpen.set(open ? 1 : 0);
  }

  outOfOrderState(on: boolean): void {
    this.outOfOrder.set(on ? 1 : 0);
  }

  /** The exposition text, as served on /metrics. */
  async text(): Promise<string> {
    const first = this.promRegistry === undefined;
    const registry = this.registry;
    if (first && (this.options.defaultMetrics ?? true)) {
      await new Promise((resolve) => setTimeout(resolve, FIRST_SAMPLES_MS));
    }
    return registry.metrics();
  }
}

/** Fastify plugin serving `GET /metrics` (register it at the root, no prefix). */
export async function metricsRoutes(app: FastifyInstance, options: { metrics: KioskMetrics }): Promise<void> {
  app.get("/metrics", { logLevel: "warn" }, async (_request, reply) => {
    const body = await options.metrics.text();
    return reply.type(options.metrics.registry.contentType).send(body);
  });
}
