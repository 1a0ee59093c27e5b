/**
 * The composition root: config → store → devices → flow → outbox → http. The only place (with the
 * CLI) that constructs concrete drivers, stores and servers; everything else receives them.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import type { KioskDevices } from "../devices/device.ts";
import type { KioskConfig } from "./config/types.ts";
import { ed25519PublicKey } from "./domain/signature.ts";
import { PaymentFlow, type SlipCheckAnswer } from "./flow/payment-session.ts";
import { buildApp } from "./http/app.ts";
import { type Readiness, type ReadinessCheck, healthRoutes } from "./http/routes/health.ts";
import { visitorRoutes } from "./http/routes/visitor.ts";
import { PikClient } from "./integrations/pik-client.ts";
import { createHttpClient, type HttpClient } from "./integrations/http-client.ts";
import { enqueuePaymentReports } from "./outbox/enqueue.ts";
import { OutboxWorker } from "./outbox/worker.ts";
import { createLogger, type Logger } from "./ops/logger.ts";
import { receiptDocument, receiptSvg } from "./receipt/index.ts";
import { type Db, openDatabase } from "./store/db.ts";
import { SessionStore } from "./store/sessions.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const VERSION = "0.1.0";

export interface KioskOptions {
  config: KioskConfig;
  /** Directory of the database and other state (keys, speech cache). */
  dataDir: string;
  devices: KioskDevices;
  logger?: Logger;
  now?: () => Date;
  uiDir?: string;
  /** Extra route plugins (service, admin, metrics) registered after the visitor API. */
  plugins?: Array<{ plugin: FastifyPluginAsync<never>; options: object }>;
  /** Test hook: a page-count ceiling for the database (fault injection). */
  maxPageCount?: number;
}

export interface Kiosk {
  config: KioskConfig;
  db: Db;
  store: SessionStore;
  flow: PaymentFlow;
  devices: KioskDevices;
  outbox: OutboxWorker;
  app: FastifyInstance;
  logger: Logger;
  /** Opens devices, recovers unfinished payments, starts the outbox and listens. Returns the base URL. */
  start(listen?: { host?: string; port?: number }): Promise<string>;
  close(): Promise<void>;
  readiness(): Promise<Readiness>;
}

/** The kiosk's own Ed25519 key for OPLR1 codes: configured, or generated once under the data dir. */
export function loadReceiptKey(config: KioskConfig, dataDir: string): { kid: string; privateKey: KeyObject } {
  const kid = config.kiosk.signingKid ?? config.kiosk.id.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 16);
  if (config.kiosk.signingKey) return { kid, privateKey: createPrivateKey(config.kiosk.signingKey) };
  const file = path.join(dataDir, "receipt-signing-key.pem");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    fs.writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    fs.writeFileSync(
      path.join(dataDir, "receipt-signing-key.pub.pem"),
      publicKey.export({ type: "spki", format: "pem" }),
    );
  }
  return { kid, privateKey: createPrivateKey(fs.readFileSync(file, "utf8")) };
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
  devices.printer.on("status", (s) => {
    const blocked = !s.online
      ? "the printer is offline"
      : s.paper === "out"
        ? "the printer is out of paper"
        : s.coverOpen
          ? "the printer cover is open"
          : null;
    flow.setOutOfOrder("printer", blocked);
    if (!blocked) void flow.printerReady();
  });
  devices.terminal.on("state", (state) => {
    flow.setOutOfOrder("terminal", state === "offline" ? "the card terminal is offline" : null);
  });
  devices.scanner.on("data", (code) => {
    void flow.scan(code).catch(() => undefined);
  });
  flow.on("session", (view) => {
    const armable =
      view.state === "idle" ||
      view.state === "summary" ||
      view.state === "done" ||
      view.state === "cancelled" ||
      view.state === "declined";
    if (armable && !devices.scanner.armed) devices.scanner.arm();
    if (!armable && devices.scanner.armed) devices.scanner.disarm();
  });

  const readiness = async (): Promise<Readiness> => {
    const time = new Date().toISOString();
    const checks: Readiness = {};
    for (const [name, device] of Object.entries(devices)) {
      const d = device as KioskDevices[keyof KioskDevices];
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

  const app = await buildApp({
    logger,
    uiDir: opts.uiDir ?? path.join(ROOT, "ui", "dist"),
    plugins: [
      {
        plugin: visitorRoutes as FastifyPluginAsync<never>,
        options: {
          flow,
          config,
          receiptSvg: (m: Parameters<typeof receiptSvg>[0]) => receiptSvg(m, columns),
          speech: false,
        },
      },
      {
        plugin: healthRoutes as FastifyPluginAsync<never>,
        options: { readiness, version: VERSION, serviceId: `${config.office.id}/${config.kiosk.id}` },
      },
      ...(opts.plugins ?? []),
    ],
  });

  let started = false;
  return {
    config,
    db,
    store,
    flow,
    devices,
    outbox,
    app,
    logger,
    readiness,
    async start(listen = {}) {
      await Promise.all(Object.values(devices).map((d) => (d as KioskDevices[keyof KioskDevices]).open()));
      if (devices.gpio.doorOpen) flow.setOutOfOrder("door", "the service door is open");
      await flow.recover();
      outbox.start();
      started = true;
      return app.listen({ host: listen.host ?? config.server.host, port: listen.port ?? config.server.port });
    },
    async close() {
      await app.close();
      await flow.close();
      if (started) await outbox.stop();
      pik?.close();
      await Promise.allSettled(
        Object.values(devices).map((d) => (d as KioskDevices[keyof KioskDevices]).close()),
      );
      db.close();
    },
  };
}
