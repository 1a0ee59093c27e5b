/**
 * The composition root: config → store → devices → flow → outbox → http. The only place (with the
 * CLI) that constructs concrete drivers, stores and servers; everything else receives them.
 */
import type { KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import { deviceList, type KioskDevices } from "../devices/device.ts";
import { createKioskIo } from "../devices/gpio/index.ts";
import { createEscPosPrinter } from "../devices/printer/index.ts";
import { createScanner } from "../devices/scanner/index.ts";
import { FakePrinter } from "../devices/sim/fake-printer.ts";
import { FakeTerminal } from "../devices/sim/fake-terminal.ts";
import { createZvtTerminal } from "../devices/terminal/zvt/driver.ts";
import { isLoopbackAddress } from "./config/listeners.ts";
import { ConfigError, loadConfig } from "./config/load.ts";
import type { KioskConfig } from "./config/types.ts";
import { ed25519PublicKey } from "./domain/signature.ts";
import { PaymentFlow, type SlipCheckAnswer } from "./flow/payment-session.ts";
import { armable } from "./flow/states.ts";
import { buildApp } from "./http/app.ts";
import { type Readiness, type ReadinessCheck, healthRoutes } from "./http/routes/health.ts";
import { visitorRoutes } from "./http/routes/visitor.ts";
import { deskRoutes } from "./http/routes/desk.ts";
import { CashDesk } from "./desk/cash-desk.ts";
import { PikClient } from "./integrations/pik-client.ts";
import { createHttpClient, type HttpClient } from "./integrations/http-client.ts";
import { enqueuePaymentReports } from "./outbox/enqueue.ts";
import { OutboxWorker } from "./outbox/worker.ts";
import { adminRoutes } from "./http/routes/admin.ts";
import { serviceRoutes } from "./http/routes/service.ts";
import { speechRoutes } from "./http/routes/speech.ts";
import { flowSpeechSources } from "./speech/sources.ts";
import { SpokenLog } from "./speech/spoken-log.ts";
import { alarmChecks, backupCheck } from "./ops/alarm-checks.ts";
import type { AlarmMetrics } from "./ops/alarm-metrics.ts";
import { BackupScheduler } from "./ops/backup.ts";
import { Heartbeat } from "./ops/heartbeat.ts";
import { createLogger, type Logger, LogTail } from "./ops/logger.ts";
import { KioskMetrics, metricsRoutes } from "./ops/metrics.ts";
import { SystemdNotifier } from "./ops/sd-notify.ts";
import { terminalTimeoutsFromEnv } from "./ops/terminal-timeouts.ts";
import { interruptedEndOfDay } from "./store/terminal-days.ts";
import { scheduleEndOfDay } from "./reports/end-of-day-schedule.ts";
import { type BackendContext, adminBackend, endOfDay, serviceBackend } from "./service/backends.ts";
import { staffOperationsBackend } from "./service/staff-operations.ts";
import { openAlarmCounts, raisedAlarmCounts } from "./store/alarms.ts";
import { appendAudit } from "./store/records.ts";
import { dbLockoutStore } from "./store/login-lockout.ts";
import { LoginThrottle } from "./auth/login-throttle.ts";
import { receiptDocument, receiptSvg } from "./receipt/index.ts";
import { loadReceiptKey } from "./receipt/signing-key.ts";
import { type Db, openDatabase } from "./store/db.ts";
import { SessionStore } from "./store/sessions.ts";
import { ROOT } from "./paths.ts";

export { ROOT };
export const VERSION = "0.1.0";

/** True when espeak-ng is on the PATH: the UI then offers speech (the daemon synthesises offline). */
export function speechAvailable(): boolean {
  return (process.env["PATH"] ?? "")
    .split(path.delimiter)
    .some((dir) => dir && fs.existsSync(path.join(dir, "espeak-ng")));
}

/**
 * The speech cache's own directory: systemd's CacheDirectory= (`$CACHE_DIRECTORY`) when the unit sets
 * one, else `speech/` under the data directory. The cache deletes what it likes in there.
 */
export function speechCacheDir(dataDir: string): string {
  const cache = process.env["CACHE_DIRECTORY"]?.split(":")[0];
  return cache ? path.join(cache, "speech") : path.join(dataDir, "speech");
}

export interface KioskOptions {
  config: KioskConfig;
  /** Directory of the database and other state (keys, speech cache). */
  dataDir: string;
  devices: KioskDevices;
  logger?: Logger;
  now?: () => Date;
  uiDir?: string;
  /** Extra route plugins of the loopback listener (service, speech, metrics), after the visitor API. */
  plugins?: RoutePlugin[];
  /** Extra route plugins of the management listener (admin, metrics), when one is configured. */
  managementPlugins?: RoutePlugin[];
  /** Whether the speech route is served (startDaemon registers it when espeak-ng is installed). */
  speech?: boolean;
  /** Test hook: a page-count ceiling for the database (fault injection). */
  maxPageCount?: number;
  /** Readiness checks of parts the composition root adds (backups). */
  extraReadiness?: () => Readiness;
}

type RoutePlugin = { plugin: FastifyPluginAsync<never>; options: object };

export interface Kiosk {
  config: KioskConfig;
  db: Db;
  store: SessionStore;
  flow: PaymentFlow;
  devices: KioskDevices;
  outbox: OutboxWorker;
  /** Attended mode (SPEC §10): the cash desk's shifts and cashiers; absent at a kiosk. */
  desk: CashDesk | undefined;
  /** The loopback listener: UI, visitor API, service API, operations. */
  app: FastifyInstance;
  /** The management listener (`server.management`): operations, admin API, API docs. */
  management: FastifyInstance | undefined;
  /** The management listener's base URL once started. */
  managementUrl: string | undefined;
  logger: Logger;
  /**
   * Opens devices, listens (the management listener first; liveness answers from here on, SPEC §4,
   * and visitors see out of order meanwhile), recovers unfinished payments, starts the outbox.
   * Resolves with the loopback listener's base URL once recovery is done; `onListening` hears the
   * URLs as soon as the ports are open.
   */
  start(listen?: {
    host?: string;
    port?: number;
    onListening?: (url: string, managementUrl: string | undefined) => void;
  }): Promise<string>;
  close(): Promise<void>;
  readiness(): Promise<Readiness>;
}

function trustedSlipKeys(config: KioskConfig): Map<string, KeyObject> {
  return new Map(config.slips.trustedKeys.map((k) => [k.kid, ed25519PublicKey(k.publicKey)]));
}

export async function createKiosk(opts: KioskOptions): Promise<Kiosk> {
  const { config, devices } = opts;
  const logger = opts.logger ?? createLogger({ level: config.logging?.level ?? "info" });
  const dbFile = path.isAbsolute(config.storage.path)
    ? config.storage.path
    : path.join(opts.dataDir, path.basename(config.storage.path));
  const db = openDatabase(dbFile, opts.maxPageCount ? { maxPageCount: opts.maxPageCount } : {});
  const store = new SessionStore(db);
  const now = opts.now ?? (() => new Date());

  const clients: Partial<Record<string, HttpClient>> = {};
  let pik: PikClient | undefined;
  if (config.integrations.pik) {
    clients["pik"] = createHttpClient(config.integrations.pik);
    pik = new PikClient(config.integrations.pik);
  }
  if (config.integrations.settlement)
    clients["settlement"] = createHttpClient(config.integrations.settlement);
  const outbox = new OutboxWorker({ db, clients, now, logger: logger.child({ component: "outbox" }) });

  const checkSlip = pik
    ? async (office: string, slip: string): Promise<SlipCheckAnswer> =>
        (await pik.checkSlip(office, slip)) as SlipCheckAnswer
    : undefined;
  const columns = config.devices.printer.protocol === "escpos" ? config.devices.printer.columns : 48;
  const flow = new PaymentFlow({
    config,
    store,
    terminal: devices.terminal,
    printer: devices.printer,
    trustedKeys: trustedSlipKeys(config),
    receiptKey: loadReceiptKey(config, opts.dataDir),
    renderReceipt: (model) => receiptDocument(model, columns),
    ...(checkSlip ? { checkSlip } : {}),
    enqueuePaymentReports: (id) => enqueuePaymentReports(db, id, config, now()),
    log: logger.child({ component: "flow" }),
    now,
  });
  flow.on("reportsEnqueued", () => outbox.kick());

  // Devices that make the kiosk unusable for a visitor put it out of order while they last.
  devices.gpio.on("door", (open) => flow.setOutOfOrder("door", open ? "the service door is open" : null));
  // The technician's key: visitors see out of order, the screen offers the service login.
  devices.gpio.on("serviceKey", (turned) =>
    flow.setOutOfOrder("service_key", turned ? "service mode (service key turned)" : null),
  );
  // Paper, cover and link are judged together from the printer's latest state and status, so a
  // stale "offline" never outlives the printer coming back.
  let printerBlocked: string | null = null;
  const judgePrinter = () => {
    const s = devices.printer.lastStatus;
    const offline = devices.printer.state === "offline" || !s.online;
    const blocked = offline
      ? "the printer is offline"
      : s.paper === "out"
        ? "the printer is out of paper"
        : s.coverOpen
          ? "the printer cover is open"
          : null;
    if (blocked === printerBlocked) return;
    const recovered = printerBlocked !== null && blocked === null;
    printerBlocked = blocked;
    flow.setOutOfOrder("printer", blocked);
    if (recovered) void flow.printerReady();
  };
  devices.printer.on("status", judgePrinter);
  devices.printer.on("state", judgePrinter);
  devices.terminal.on("state", (state) => {
    flow.setOutOfOrder("terminal", state === "offline" ? "the card terminal is offline" : null);
  });
  devices.scanner.on("data", (code) => {
    void flow.scan(code).catch(() => undefined);
  });
  flow.on("session", (view) => {
    const on = armable(view.state);
    if (on && !devices.scanner.armed) devices.scanner.arm();
    if (!on && devices.scanner.armed) devices.scanner.disarm();
  });

  const readiness = async (): Promise<Readiness> => {
    const time = new Date().toISOString();
    const checks: Readiness = {};
    for (const [name, d] of deviceList(devices)) {
      const usable = d.state === "idle" || d.state === "busy";
      const check: ReadinessCheck = {
        componentType: "device",
        status: usable ? "pass" : "fail",
        observedValue: d.state,
        time,
      };
      if (d.lastError) check.output = `${d.lastError.code}: ${d.lastError.message}`;
      checks[`${name}:state`] = [check];
    }
    const paper = devices.printer.lastStatus;
    checks["printer:paper"] = [
      {
        componentType: "device",
        status:
          paper.paper === "out" || paper.coverOpen ? "fail" : paper.paper === "near_end" ? "warn" : "pass",
        observedValue: paper.coverOpen ? "cover_open" : paper.paper,
        time,
      },
    ];
    checks["gpio:door"] = [
      {
        componentType: "device",
        status: devices.gpio.doorOpen ? "fail" : "pass",
        observedValue: devices.gpio.doorOpen ? "open" : "closed",
        time,
      },
    ];
    let dbOk = true;
    let dbOutput: string | undefined;
    try {
      db.prepare("BEGIN IMMEDIATE").run();
      db.prepare("ROLLBACK").run();
    } catch (e) {
      dbOk = false;
      dbOutput = String(e);
    }
    const dbCheck: ReadinessCheck = { componentType: "datastore", status: dbOk ? "pass" : "fail", time };
    if (dbOutput) dbCheck.output = dbOutput;
    checks["database:writable"] = [dbCheck];
    checks["outbox:backlog"] = outbox.backlog().map((b) => ({
      componentType: "component" as const,
      status: b.failed > 0 || b.oldestAgeSeconds > 900 ? ("warn" as const) : ("pass" as const),
      observedValue: b.pending,
      observedUnit: "messages",
      output: `${b.destination}: ${b.pending} pending, ${b.failed} parked, oldest ${Math.round(b.oldestAgeSeconds)} s`,
      time,
    }));
    const eod = interruptedEndOfDay(db);
    if (eod) {
      checks["terminal:end_of_day"] = [
        {
          componentType: "component",
          status: "warn",
          observedValue: "interrupted",
          output: `end-of-day started ${eod.startedAt} never stored the terminal's totals; compare its printed end-of-day receipt and run end-of-day again`,
          time,
        },
      ];
    }
    Object.assign(checks, alarmChecks(db, time), opts.extraReadiness?.() ?? {});
    const reasons = flow.outOfOrder();
    checks["kiosk:service"] = [
      {
        componentType: "component",
        status: reasons.length ? "fail" : "pass",
        observedValue: reasons.length ? "out_of_order" : "in_service",
        ...(reasons.length ? { output: reasons.join("; ") } : {}),
        time,
      },
    ];
    return checks;
  };

  const health: RoutePlugin = {
    plugin: healthRoutes as FastifyPluginAsync<never>,
    options: { readiness, version: VERSION, serviceId: `${config.office.id}/${config.kiosk.id}` },
  };
  const desk =
    config.kiosk.mode === "attended"
      ? new CashDesk({
          config,
          db,
          flow,
          terminal: devices.terminal,
          printer: devices.printer,
          columns,
          log: logger.child({ component: "desk" }),
          now,
        })
      : undefined;
  const app = await buildApp({
    logger,
    listener: "loopback",
    uiDir: opts.uiDir ?? path.join(ROOT, "ui", "dist"),
    plugins: [
      {
        plugin: visitorRoutes as FastifyPluginAsync<never>,
        options: {
          flow,
          config,
          receiptSvg: (m: Parameters<typeof receiptSvg>[0]) => receiptSvg(m, columns),
          speech: opts.speech ?? false,
          ...(desk ? { desk } : {}),
        },
      },
      ...(desk ? [{ plugin: deskRoutes as FastifyPluginAsync<never>, options: { desk, flow } }] : []),
      health,
      ...(opts.plugins ?? []),
    ],
  });
  const managed = config.server.management;
  const management = managed
    ? await buildApp({
        logger,
        listener: "management",
        ...(managed.tls ? { https: managed.tls } : {}),
        documents: () => app,
        plugins: [health, ...(opts.managementPlugins ?? [])],
      })
    : undefined;

  let started = false;
  const kiosk: Kiosk = {
    config,
    db,
    store,
    flow,
    devices,
    outbox,
    desk,
    app,
    management,
    managementUrl: undefined,
    logger,
    readiness,
    async start(listen = {}) {
      const host = listen.host ?? config.server.host;
      // The config loader refuses such a host already; this holds for hosts given in code too.
      if (!isLoopbackAddress(host)) throw new Error(`the visitor listener must be on loopback, not ${host}`);
      await Promise.all(deviceList(devices).map(([, d]) => d.open()));
      if (devices.gpio.doorOpen) flow.setOutOfOrder("door", "the service door is open");
      // Recovery may wait on the terminal for many seconds: liveness must answer meanwhile, and the
      // visitor's screen shows out of order until it is done (issue 12, defect 7).
      flow.setOutOfOrder("startup", "starting: unfinished payments are being checked with the card terminal");
      if (management && managed) {
        kiosk.managementUrl = await management.listen({ host: managed.host, port: managed.port });
      }
      const url = await app.listen({ host, port: listen.port ?? config.server.port });
      listen.onListening?.(url, kiosk.managementUrl);
      await flow.recover();
      flow.setOutOfOrder("startup", null);
      const eod = interruptedEndOfDay(db);
      if (eod) {
        logger.error(
          { startedAt: eod.startedAt, day: eod.day },
          "end-of-day was interrupted: the terminal's totals of that batch were not stored",
        );
        appendAudit(db, { actor: "kiosk", action: "end_of_day_interrupted", target: eod.day, details: eod });
      }
      outbox.start();
      started = true;
      return url;
    },
    async close() {
      await management?.close();
      await app.close();
      await flow.close();
      if (started) await outbox.stop();
      pik?.close();
      await Promise.allSettled(deviceList(devices).map(([, d]) => d.close()));
      db.close();
    },
  };
  return kiosk;
}

// ───────────────────────────── the daemon process ─────────────────────────────

/** Builds the configured drivers (the `fake` protocols are in-memory and say so in their health). */
export async function createDevices(config: KioskConfig, log: Logger): Promise<KioskDevices> {
  const d = config.devices;
  const terminal =
    d.terminal.protocol === "zvt"
      ? createZvtTerminal(d.terminal, log.child({ device: "terminal" }), terminalTimeoutsFromEnv())
      : new FakeTerminal();
  const printer =
    d.printer.protocol === "escpos"
      ? createEscPosPrinter(
          {
            transport: d.printer.transport,
            columns: d.printer.columns,
            ...(d.printer.codePage ? { codePage: d.printer.codePage } : {}),
          },
          log.child({ device: "printer" }),
          // A receipt prints in seconds; a visitor should not wait a minute to hear it failed.
          { jobTimeoutMs: 20_000 },
        )
      : new FakePrinter();
  const scanner = createScanner(d.scanner, log.child({ device: "scanner" }));
  const gpio = createKioskIo(d.gpio, log.child({ device: "gpio" }));
  return { terminal, printer, scanner, gpio };
}

export interface StartOptions {
  config?: string;
  port?: number;
  data?: string;
  host?: string;
}

export interface RunningDaemon {
  kiosk: Kiosk;
  /** The loopback listener (UI, visitor and service APIs). */
  url: string;
  /** The management listener (operations, admin API, docs), when configured. */
  managementUrl: string | undefined;
  /** The sentences the UI asked the daemon to speak lately (in memory; tests of audio mode read it). */
  spokenLog: SpokenLog;
  stop(): Promise<void>;
}

/** Loads the configuration or exits with code 2 naming each broken rule (SPEC §3, issue 2). */
export function loadConfigOrExit(file: string | undefined): KioskConfig {
  const path_ = file ?? process.env["OPLATOMAT_CONFIG"];
  if (!path_) {
    process.stderr.write("oplatomat: no configuration: pass --config FILE or set OPLATOMAT_CONFIG\n");
    process.exit(2);
  }
  try {
    return loadConfig(path_);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`oplatomat: invalid configuration ${path_}:\n`);
      for (const p of e.problems) process.stderr.write(`  ${p.path}: ${p.message}\n`);
    } else {
      process.stderr.write(
        `oplatomat: cannot read configuration ${path_}: ${e instanceof Error ? e.message : String(e)}\n`,
      );
    }
    process.exit(2);
  }
}

/**
 * Starts the whole daemon from a configuration: devices, store, flow, outbox, HTTP with the
 * service/admin/metrics/speech plugins, backups, heartbeat, end-of-day schedule and systemd
 * notification. Used by `oplatomat start` and `oplatomat demo`.
 */
export async function startDaemon(
  config: KioskConfig,
  options: {
    dataDir: string;
    port?: number;
    host?: string;
    devices?: KioskDevices;
    /** A logger supplied by the caller should write into `logTail` too, for the service log view. */
    logger?: Logger;
    logTail?: LogTail;
    uiDir?: string;
    /** Hears the base URL as soon as the port is open (before start-up recovery). */
    onListening?: (url: string, managementUrl: string | undefined) => void;
  },
): Promise<RunningDaemon> {
  const logTail = options.logTail ?? new LogTail(500);
  const logger = options.logger ?? createLogger({ level: config.logging?.level ?? "info", tail: logTail });
  const devices = options.devices ?? (await createDevices(config, logger));
  const metrics = new KioskMetrics({
    devices: Object.keys(devices),
    destinations: Object.keys(config.integrations).filter((k) => k === "pik" || k === "settlement"),
    storagePath: options.dataDir,
    version: VERSION,
  });
  const kioskRef: { current?: Kiosk } = {};
  const ctx = (): BackendContext => {
    const k = kioskRef.current as Kiosk;
    return {
      config,
      db: k.db,
      flow: k.flow,
      devices,
      logTail,
      logger,
      kickOutbox: () => k.outbox.kick(),
      now: () => new Date(),
      reportDirectory: path.join(options.dataDir, "reports"),
      captureNextScan: (timeoutMs) => {
        const code = k.flow.captureNextScan(timeoutMs);
        devices.scanner.arm();
        return code;
      },
    };
  };
  const lazy = <T extends object>(make: () => T): T =>
    new Proxy({} as T, { get: (_t, prop) => (make() as Record<string | symbol, unknown>)[prop] });
  const audit = (actor: string, action: string, target: string | null, details: Record<string, unknown>) =>
    appendAudit(kioskRef.current?.db as Db, { actor, action, target, details });

  const speech = speechAvailable();
  const spokenLog = new SpokenLog();
  const metricsPlugin: RoutePlugin = {
    plugin: metricsRoutes as FastifyPluginAsync<never>,
    options: { metrics },
  };
  const alarmMetrics = metrics.alarms;
  const backupRef: { current?: BackupScheduler } = {};
  const kiosk = await createKiosk({
    extraReadiness: () => (backupRef.current ? backupCheck(backupRef.current, new Date().toISOString()) : {}),
    config,
    dataDir: options.dataDir,
    devices,
    logger,
    speech,
    ...(options.uiDir ? { uiDir: options.uiDir } : {}),
    plugins: [
      metricsPlugin,
      {
        plugin: speechRoutes as FastifyPluginAsync<never>,
        options: {
          cacheDir: speechCacheDir(options.dataDir),
          enabled: speech,
          sources: flowSpeechSources(() => kioskRef.current?.flow),
          spokenLog,
        },
      },
      {
        plugin: serviceRoutes as FastifyPluginAsync<never>,
        options: {
          prefix: "/api/service",
          backend: lazy(() => serviceBackend(ctx())),
          operations: lazy(() => staffOperationsBackend(ctx())),
          audit,
          throttle: new LoginThrottle({ store: dbLockoutStore(() => kioskRef.current?.db as Db) }),
          onLoginFailure: (reason: "wrong_pin" | "locked") => metrics.serviceLoginFailure(reason),
          ...(config.service?.pinHash ? { pinHash: config.service.pinHash } : {}),
        },
      },
    ],
    // The admin API exists only on the management listener (SPEC §3): without one it is off.
    managementPlugins: [
      metricsPlugin,
      {
        plugin: adminRoutes as FastifyPluginAsync<never>,
        options: {
          prefix: "/api/admin",
          backend: lazy(() => adminBackend(ctx())),
          operations: lazy(() => staffOperationsBackend(ctx())),
          audit,
          ...(config.service?.adminToken ? { adminToken: config.service.adminToken } : {}),
        },
      },
    ],
  });
  kioskRef.current = kiosk;
  const unwireMetrics = wireMetrics(kiosk, metrics, alarmMetrics);

  const url = await kiosk.start({
    ...(options.host ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.onListening ? { onListening: options.onListening } : {}),
  });

  const stoppers: Array<() => void | Promise<void>> = [unwireMetrics];
  if (config.storage.backup) {
    const backups = new BackupScheduler({
      db: kiosk.db,
      // A relative directory is inside the data directory (the unit's working directory is read-only).
      directory: path.resolve(options.dataDir, config.storage.backup.directory),
      intervalMs: config.storage.backup.intervalMinutes * 60_000,
      keep: config.storage.backup.keep,
      logger: logger.child({ component: "backup" }),
      onResult: (outcome) => alarmMetrics.backup({ ok: outcome.ok, at: new Date() }),
    });
    backupRef.current = backups;
    backups.start();
    stoppers.push(() => backups.stop());
  }
  if (config.integrations.heartbeat) {
    const hb = new Heartbeat({
      target: config.integrations.heartbeat,
      intervalMs: (config.integrations.heartbeat.intervalSeconds ?? 60) * 1000,
      payload: () => ({
        office: config.office.id,
        kiosk: config.kiosk.id,
        version: VERSION,
        sentAt: new Date().toISOString(),
        uptimeSeconds: Math.round(process.uptime()),
        outOfOrder: kiosk.flow.isOutOfOrder(),
        devices: deviceList(devices).map(([name, d]) => ({
          name,
          kind: d.kind,
          state: d.state,
          lastError: d.lastError ?? null,
          statistics: d.statistics(),
        })),
        outbox: kiosk.outbox.backlog(),
        lastPaymentAt: metrics.lastPaymentAt?.toISOString() ?? null,
      }),
      logger: logger.child({ component: "heartbeat" }),
    });
    hb.start();
    stoppers.push(() => hb.stop());
  }
  if (config.endOfDay?.time) {
    const schedule = scheduleEndOfDay({
      time: config.endOfDay.time,
      timezone: config.kiosk.timezone,
      run: () => endOfDay(ctx(), "scheduler"),
      onError: (e) => logger.error({ err: String(e) }, "scheduled end-of-day failed"),
    });
    stoppers.push(() => schedule.stop());
  }
  // Out of order (door open, paper out) is not unhealthy: a watchdog restart would not fix it.
  const notifier = new SystemdNotifier({ healthy: () => kiosk.db.open });
  void notifier.ready(`serving ${url}`);
  stoppers.push(() => notifier.stopping());

  const managementUrl = kiosk.managementUrl;
  logger.info({ url, managementUrl, office: config.office.id, kiosk: config.kiosk.id }, "oplatomat ready");
  return {
    kiosk,
    url,
    managementUrl,
    spokenLog,
    async stop() {
      for (const s of stoppers) await s();
      await kiosk.close();
    },
  };
}

function wireMetrics(kiosk: Kiosk, metrics: KioskMetrics, alarmMetrics: AlarmMetrics): () => void {
  const { devices, flow, outbox } = kiosk;
  for (const [name, dev] of deviceList(devices)) {
    metrics.deviceState(name, dev.state === "idle" || dev.state === "busy");
    dev.on("state", (s) => metrics.deviceState(name, s === "idle" || s === "busy"));
    dev.on("error", (e) => metrics.deviceError(name, e.code));
  }
  devices.printer.on("status", (s) => metrics.printerPaper(s.paper));
  metrics.printerPaper(devices.printer.lastStatus.paper);
  devices.gpio.on("door", (open) => metrics.door(open));
  metrics.door(devices.gpio.doorOpen);
  flow.on("paymentFinished", (p) => {
    const outcome = p.outcome === "not_charged" ? "unknown" : p.outcome;
    metrics.paymentFinished(outcome, p.outcome === "approved" ? p.amount : 0, p.seconds);
  });
  flow.on("outOfOrder", (reasons) => metrics.outOfOrderState(reasons.length > 0));
  const last = kiosk.db
    .prepare("SELECT MAX(paid_at) AS t FROM sessions WHERE committed_at IS NOT NULL")
    .get() as { t: string | null };
  if (last.t) metrics.restoreLastPayment(new Date(last.t));
  const refresh = () => {
    for (const b of outbox.backlog()) metrics.outbox(b.destination, b.pending, b.oldestAgeSeconds, b.failed);
    alarmMetrics.alarms(raisedAlarmCounts(kiosk.db), openAlarmCounts(kiosk.db));
  };
  outbox.on("conflict", refresh);
  refresh();
  const timer = setInterval(refresh, 5_000);
  timer.unref();
  return () => clearInterval(timer);
}

/** `oplatomat start`. */
export async function runStart(opts: StartOptions): Promise<void> {
  const config = loadConfigOrExit(opts.config);
  const dataDir = path.resolve(opts.data ?? path.dirname(config.storage.path));
  const daemon = await startDaemon(config, {
    dataDir,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.host ? { host: opts.host } : {}),
    onListening: (url, managementUrl) => {
      process.stdout.write(`oplatomat listening on ${url}\n`);
      if (managementUrl) process.stdout.write(`oplatomat management on ${managementUrl}\n`);
    },
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    daemon.kiosk.logger.info({ signal }, "stopping");
    await daemon.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
