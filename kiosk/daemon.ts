/**
 * The daemon process: the kiosk (kiosk/main.ts) with its staff APIs, metrics, speech, backups,
 * heartbeat, end-of-day schedule and systemd notification, and `oplatomat start`. Like main.ts it
 * constructs and connects; the parts hold the policy.
 */
import path from "node:path";
import type { KioskDevices } from "../devices/device.ts";
import { dataDirectory } from "./commands/cli-kit.ts";
import { storageProblem } from "./commands/database.ts";
import { ListenError } from "./config/listeners.ts";
import { ConfigError, loadConfig } from "./config/load.ts";
import type { KioskConfig } from "./config/types.ts";
import { feeCodeWarnings } from "./config/warnings.ts";
import { createDevices } from "./drivers.ts";
import { route } from "./http/app.ts";
import { speechRoutes } from "./http/routes/speech.ts";
import { staffApis } from "./http/staff-apis.ts";
import { createKiosk, type Kiosk, type KioskParts, VERSION } from "./main.ts";
import { backupCheck } from "./ops/alarm-checks.ts";
import { startBackups } from "./ops/backup.ts";
import { startHeartbeat } from "./ops/heartbeat.ts";
import { bindKioskMetrics } from "./ops/kiosk-metrics.ts";
import { createLogger, type Logger, LogTail } from "./ops/logger.ts";
import { checkpointWhenQuiet } from "./ops/quiet-checkpoints.ts";
import { collectYoungWhenQuiet } from "./ops/quiet-gc.ts";
import { pruneOutboxWhenQuiet } from "./ops/quiet-retention.ts";
import { backgroundCompilingYields } from "./ops/compiler-threads.ts";
import { KioskMetrics, metricsRoutes } from "./ops/metrics.ts";
import { SystemdNotifier } from "./ops/sd-notify.ts";
import { tuneForServing } from "./ops/serving-flags.ts";
import { type EndOfDaySchedule, scheduleEndOfDay } from "./reports/end-of-day-schedule.ts";
import { type BackendContext, endOfDay, endOfDayOverdue, lateEndOfDay } from "./service/backends.ts";
import { speechAvailable, speechCacheDir } from "./speech/availability.ts";
import { flowSpeechSources } from "./speech/sources.ts";
import { SpokenLog } from "./speech/spoken-log.ts";
import { heartbeatPayload } from "./status/heartbeat.ts";

export interface RunningDaemon {
  kiosk: Kiosk;
  /** The loopback listener (UI, visitor and service APIs) and the management listener, when configured. */
  url: string;
  managementUrl: string | undefined;
  /** The sentences the UI asked the daemon to speak lately (in memory; tests of audio mode read it). */
  spokenLog: SpokenLog;
  stop(): Promise<void>;
}

export interface DaemonOptions {
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
}

/** The whole daemon: the kiosk with its staff APIs, metrics, speech, backups, heartbeat and schedule. */
export async function startDaemon(config: KioskConfig, options: DaemonOptions): Promise<RunningDaemon> {
  const { dataDir } = options;
  const logTail = options.logTail ?? new LogTail(500);
  const logger = options.logger ?? createLogger({ level: config.logging?.level ?? "info", tail: logTail });
  // `config check` prints these too; the heartbeat's own warning is logged by the heartbeat.
  for (const w of feeCodeWarnings(config)) logger.warn({ path: w.path }, w.message);
  const devices = options.devices ?? (await createDevices(config, logger));
  const metrics = KioskMetrics.forKiosk(config, devices, dataDir, VERSION);
  const speech = speechAvailable();
  const metricsRoute = route(metricsRoutes, { metrics });
  const context = (parts: KioskParts): BackendContext => ({
    ...parts,
    logTail,
    now: () => new Date(),
    reportDirectory: path.join(dataDir, "reports"),
  });
  const staff = (parts: KioskParts) =>
    staffApis(context(parts), (reason) => metrics.serviceLoginFailure(reason));
  const spokenLog = new SpokenLog();
  const cacheDir = speechCacheDir(dataDir);
  const speechRoute = (parts: KioskParts) =>
    route(speechRoutes, {
      cacheDir,
      enabled: speech,
      sources: flowSpeechSources(() => parts.flow),
      spokenLog,
    });
  const kiosk = await createKiosk({
    config,
    dataDir,
    devices,
    logger,
    speech,
    ...(options.uiDir ? { uiDir: options.uiDir } : {}),
    plugins: (parts) => [metricsRoute, speechRoute(parts), staff(parts).service],
    managementPlugins: (parts) => [metricsRoute, staff(parts).admin],
  });
  const stoppers: Array<() => void | Promise<void>> = [
    bindKioskMetrics(kiosk, metrics),
    checkpointWhenQuiet(kiosk.db, kiosk.flow, { log: logger.child({ component: "store" }) }),
    collectYoungWhenQuiet(kiosk.flow),
  ];
  const retention = pruneOutboxWhenQuiet(kiosk.db, kiosk.flow, {
    log: logger.child({ component: "outbox" }),
    onPruned: (count) => metrics.outboxPruned(count),
  });
  stoppers.push(() => retention.stop());
  // The stoppers in the order they were made, then the kiosk (devices, database) they use, closed
  // even when a stopper fails: a start whose listener cannot open must not leave the database open.
  const stopAll = async (): Promise<void> => {
    try {
      for (const s of stoppers) await s();
    } finally {
      await kiosk.close();
    }
  };
  const { host, port, onListening } = options;
  let url: string;
  try {
    url = await kiosk.start({
      ...(host ? { host } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(onListening ? { onListening } : {}),
    });
  } catch (error) {
    // A listener that cannot open: close devices and database before the caller reports it.
    await stopAll().catch(() => undefined);
    throw error;
  }
  const backups = startBackups(config, dataDir, kiosk.db, logger, (ok) =>
    metrics.alarms.backup({ ok, at: new Date() }),
  );
  if (backups) kiosk.status.add(() => backupCheck(backups, new Date().toISOString()));
  const lastPaymentAt = () => metrics.lastPaymentAt;
  const beat = () => heartbeatPayload({ ...kiosk, version: VERSION, lastPaymentAt });
  const heartbeat = startHeartbeat(config, beat, logger, (outcome) => metrics.alarms.heartbeat(outcome));
  const schedule = endOfDaySchedule(context(kiosk), logger);
  // Out of order (door open, paper out) is not unhealthy: a watchdog restart would not fix it.
  const notifier = new SystemdNotifier({ healthy: () => kiosk.db.open });
  void notifier.ready(`serving ${url}`);
  stoppers.push(
    () => backups?.stop(),
    () => heartbeat?.stop(),
    () => schedule?.stop(),
    () => notifier.stopping(),
  );
  const managementUrl = kiosk.managementUrl;
  logger.info({ url, managementUrl, office: config.office.id, kiosk: config.kiosk.id }, "oplatomat ready");
  return {
    kiosk,
    url,
    managementUrl,
    spokenLog,
    stop: stopAll,
  };
}

/**
 * `endOfDay.time`'s schedule, when configured; it also closes a past day still in the terminal's batch
 * (at start and just after midnight: docs/operations.md, "The office's day").
 */
function endOfDaySchedule(ctx: BackendContext, logger: Logger): EndOfDaySchedule | undefined {
  const time = ctx.config.endOfDay?.time;
  if (!time) return undefined;
  return scheduleEndOfDay({
    time,
    timezone: ctx.config.kiosk.timezone,
    run: () => endOfDay(ctx, "scheduler"),
    onError: (e: unknown) => logger.error({ err: String(e) }, "scheduled end-of-day failed"),
    overdue: () => endOfDayOverdue(ctx),
    runLate: () => lateEndOfDay(ctx, "scheduler"),
  });
}

export interface StartOptions {
  config?: string;
  /** The configuration already loaded from `config` (by `oplatomat start`); read from the file when absent. */
  loaded?: KioskConfig;
  port?: number;
  data?: string;
  host?: string;
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
/** `oplatomat start`. */
export async function runStart(opts: StartOptions): Promise<void> {
  backgroundCompilingYields();
  const config = opts.loaded ?? loadConfigOrExit(opts.config);
  const dataDir = dataDirectory(config, opts.data);
  const daemon = await startDaemon(config, {
    dataDir,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.host ? { host: opts.host } : {}),
    onListening: (url, managementUrl) => {
      process.stdout.write(`oplatomat listening on ${url}\n`);
      if (managementUrl) process.stdout.write(`oplatomat management on ${managementUrl}\n`);
    },
  }).catch((error: unknown) => {
    // As a configuration error (exit 2, the setting's path), not a stack trace: `config check`
    // cannot know which addresses and ports the kiosk's machine has free, nor whether the data
    // directory can be written by the daemon's user.
    const storage = error instanceof ListenError ? undefined : storageProblem(error, dataDir);
    if (!(error instanceof ListenError) && storage === undefined) throw error;
    const why = error instanceof ListenError ? error.message : `data directory ${dataDir}: ${storage}`;
    process.stderr.write(`oplatomat: cannot start with ${opts.config ?? "the configuration"}:\n  ${why}\n`);
    process.exit(2);
  });
  // Ready: now, and not before, V8's serving flags (why: serving-flags.ts).
  tuneForServing();
  stopOnSignals(async (signal) => {
    daemon.kiosk.logger.info({ signal }, "stopping");
    await daemon.stop();
  });
}

/**
 * The process's signal path (`oplatomat start`, `oplatomat demo`): on the first SIGTERM or SIGINT,
 * `stop` closes what runs, then the process exits 0 (a failed stop too); a second signal while
 * stopping is ignored. Once installed, a signal also fires the `exit` event, which Node's default
 * action does not: the demo's hub child is stopped by that event (kiosk/demo-hub.ts).
 */
export function stopOnSignals(stop: (signal: NodeJS.Signals) => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void stop(signal)
      .catch(() => undefined)
      .then(() => process.exit(0));
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
