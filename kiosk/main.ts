/**
 * The composition root: config → store → devices → flow → outbox → http. With kiosk/daemon.ts (the
 * process around it), kiosk/drivers.ts and the CLI, the only place that constructs concrete stores,
 * drivers and servers. It holds no policy: readiness, out of order and scanner arming are
 * kiosk/status's, reporting kiosk/outbox's, receipts kiosk/receipt's.
 */
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { deviceList, type KioskDevices } from "../devices/device.ts";
import { isLoopbackAddress, openListener, visitorListener } from "./config/listeners.ts";
import { trustedSlipKeys } from "./config/slip-keys.ts";
import type { KioskConfig } from "./config/types.ts";
import type { ReceiptModel } from "./domain/receipt.ts";
import { CashDesk } from "./desk/cash-desk.ts";
import { PaymentFlow } from "./flow/payment-session.ts";
import { buildApp, type RoutePlugin, route } from "./http/app.ts";
import { deskRoutes } from "./http/routes/desk.ts";
import { healthRoutes } from "./http/routes/health.ts";
import { visitorRoutes } from "./http/routes/visitor.ts";
import { createReporting } from "./outbox/from-config.ts";
import type { OutboxWorker } from "./outbox/worker.ts";
import { createLogger, type Logger } from "./ops/logger.ts";
import { ROOT } from "../contracts/install-layout.ts";
import { receiptRenderer } from "./receipt/renderer.ts";
import { loadReceiptKey } from "./receipt/signing-key.ts";
import { noteOpenedDevices, watchOutOfOrder } from "./status/out-of-order.ts";
import { KioskReadiness } from "./status/readiness.ts";
import { connectScanner } from "./status/scanner.ts";
import { noteInterruptedWork, STARTUP_REASON } from "./status/startup.ts";
import { type Db, databaseFile, openDatabase } from "./store/db.ts";
import { SessionStore } from "./store/sessions.ts";

export const VERSION = "0.1.0";

export interface KioskOptions {
  config: KioskConfig;
  /** Directory of the database and other state (keys, speech cache). */
  dataDir: string;
  devices: KioskDevices;
  logger?: Logger;
  now?: () => Date;
  uiDir?: string;
  /** Extra route plugins of the loopback listener (service, speech, metrics), made from the kiosk's parts. */
  plugins?: (parts: KioskParts) => RoutePlugin[];
  /** Extra route plugins of the management listener (admin, metrics), when one is configured. */
  managementPlugins?: (parts: KioskParts) => RoutePlugin[];
  /** Whether the speech route is served (startDaemon registers it when espeak-ng is installed). */
  speech?: boolean;
  /** Test hook: a page-count ceiling for the database (fault injection). */
  maxPageCount?: number;
}

export interface KioskParts {
  config: KioskConfig;
  db: Db;
  store: SessionStore;
  flow: PaymentFlow;
  devices: KioskDevices;
  outbox: OutboxWorker;
  /** Attended mode (SPEC §10): the cash desk's shifts and cashiers; absent at a kiosk. */
  desk: CashDesk | undefined;
  logger: Logger;
}

type Listen = { host?: string; port?: number; onListening?: (url: string, mgmt?: string) => void };

export interface Kiosk extends KioskParts {
  /** The loopback listener (UI, visitor and service APIs) and the management listener (admin, docs). */
  app: FastifyInstance;
  management: FastifyInstance | undefined;
  managementUrl: string | undefined;
  status: KioskReadiness;
  /**
   * Opens devices, listens (liveness answers from here on, SPEC §4; visitors see out of order),
   * recovers unfinished payments, starts the outbox; resolves with the loopback URL once recovered.
   */
  start(listen?: Listen): Promise<string>;
  close(): Promise<void>;
  readiness(): ReturnType<KioskReadiness["check"]>;
}

export async function createKiosk(opts: KioskOptions): Promise<Kiosk> {
  const { config, devices, dataDir } = opts;
  const logger = opts.logger ?? createLogger({ level: config.logging?.level ?? "info" });
  const now = opts.now ?? (() => new Date());
  const db = openDatabase(databaseFile(config, dataDir), {
    temporaryInMemory: true,
    ...(opts.maxPageCount ? { maxPageCount: opts.maxPageCount } : {}),
  });
  const reporting = createReporting(db, config, { logger: logger.child({ component: "outbox" }), now });
  const receipts = receiptRenderer(config.devices.printer);
  const store = new SessionStore(db);
  const { terminal, printer } = devices;
  const flow = new PaymentFlow({
    config,
    store,
    terminal,
    printer,
    trustedKeys: trustedSlipKeys(config),
    receiptKey: loadReceiptKey(config, dataDir),
    renderReceipt: receipts.document,
    ...(reporting.checkSlip ? { checkSlip: reporting.checkSlip } : {}),
    enqueuePaymentReports: reporting.enqueuePaymentReports,
    log: logger.child({ component: "flow" }),
    now,
    endOfDay: { log: logger, reportDirectory: path.join(dataDir, "reports") }, // as the daemon's schedule
  });
  const outbox = reporting.worker;
  flow.on("reportsEnqueued", () => outbox.kick());
  watchOutOfOrder(devices, flow);
  connectScanner(devices.scanner, flow);
  const { columns } = receipts;
  const log = logger.child({ component: "desk" });
  const attended = config.kiosk.mode === "attended";
  const desk = attended
    ? new CashDesk({ config, db, flow, terminal, printer, columns, log, now })
    : undefined;
  const parts: KioskParts = { config, db, store, flow, devices, outbox, desk, logger };
  const status = new KioskReadiness({ devices, db, outbox, flow });
  const { app, management } = await listeners(parts, status, opts, receipts.svg);
  const managed = config.server.management;

  const kiosk: Kiosk = {
    ...parts,
    app,
    management,
    managementUrl: undefined,
    status,
    readiness: () => status.check(),
    async start(listen = {}) {
      const host = listen.host ?? config.server.host;
      // The config loader refuses such a host already; this holds for hosts given in code too.
      if (!isLoopbackAddress(host)) throw new Error(`the visitor listener must be on loopback, not ${host}`);
      await Promise.all(deviceList(devices).map(([, d]) => d.open()));
      noteOpenedDevices(devices, flow);
      // Recovery may wait on the terminal for many seconds: liveness answers meanwhile (issue 12, defect 7).
      flow.setOutOfOrder("startup", STARTUP_REASON);
      if (management && managed) kiosk.managementUrl = await openListener("management", managed, management);
      const url = await openListener(...visitorListener(host, config.server.port, listen.port), app);
      listen.onListening?.(url, kiosk.managementUrl);
      await flow.recover();
      flow.setOutOfOrder("startup", null);
      noteInterruptedWork(db, logger);
      outbox.start();
      return url;
    },
    async close() {
      await management?.close();
      await app.close();
      await flow.close();
      await reporting.close();
      await Promise.allSettled(deviceList(devices).map(([, d]) => d.close()));
      db.close();
    },
  };
  return kiosk;
}

/** The loopback listener (UI, visitor and desk APIs) and the management listener, when configured. */
async function listeners(
  parts: KioskParts,
  status: KioskReadiness,
  opts: KioskOptions,
  receiptSvg: (model: ReceiptModel) => string,
): Promise<{ app: FastifyInstance; management: FastifyInstance | undefined }> {
  const { config, flow, desk, logger } = parts;
  const serviceId = `${config.office.id}/${config.kiosk.id}`;
  const health = route(healthRoutes, { readiness: () => status.check(), version: VERSION, serviceId });
  const visitor = {
    flow,
    config,
    receiptSvg,
    speech: opts.speech ?? false,
    headphones: parts.devices.gpio,
    ...(desk ? { desk } : {}),
  };
  const app = await buildApp({
    logger,
    listener: "loopback",
    docs: !config.server.management,
    uiDir: opts.uiDir ?? path.join(ROOT, "ui", "dist"),
    plugins: [
      route(visitorRoutes, visitor),
      ...(desk ? [route(deskRoutes, { desk, flow })] : []),
      health,
      ...(opts.plugins?.(parts) ?? []),
    ],
  });
  const managed = config.server.management;
  const management = managed
    ? await buildApp({
        logger,
        listener: "management",
        ...(managed.tls ? { https: managed.tls } : {}),
        documents: () => app,
        plugins: [health, ...(opts.managementPlugins?.(parts) ?? [])],
      })
    : undefined;
  return { app, management };
}
