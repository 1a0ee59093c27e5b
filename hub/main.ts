/**
 * The hub's composition root (SPEC §9): configuration → database (server or embedded) → migrations →
 * metrics → HTTP app with the ingest routes, the staff API, health and the back-office page. The CLI
 * (`oplatomat hub …`), the demo and the tests all start the hub through `createHub`/`startHub`.
 */
import fs from "node:fs";
import type { FastifyInstance } from "fastify";
import type { HeartbeatPayload } from "../contracts/heartbeat.ts";
import type { HubConfig } from "./config/types.ts";
import { createHubApp } from "./http/app.ts";
import { ingestRoutes } from "./ingest/routes.ts";
import { healthRoutes } from "./ops/health-routes.ts";
import type { Logger } from "./ops/logger.ts";
import { createHubMetrics, type HubMetrics } from "./ops/metrics.ts";
import { payoutRoutes } from "./reports/payout-routes.ts";
import type { LoginLimitOptions } from "./staff/login-limit.ts";
import { loginRoutes } from "./staff/login-routes.ts";
import { reportRoutes } from "./staff/report-routes.ts";
import { statementRoutes } from "./statements/routes.ts";
import { databaseUp, type HubDb, openHubDb } from "./store/db.ts";
import { lastSeenAll } from "./store/fleet-store.ts";
import { migrate } from "./store/migrate.ts";
import { openDays } from "./store/report-store.ts";
import { businessDay } from "../kiosk/domain/time.ts";
import { webRoutes } from "./web/index.ts";

export const HUB_VERSION = "0.1.0";

export interface HubOptions {
  /**
   * Where the hub logs (hub/ops/logger.ts: the kiosk's style, `service: "oplatomat-hub"`); the CLI's
   * goes to stdout, the tests' under test-results/logs. Absent: the hub logs nothing.
   */
  logger?: Logger;
  /** Apply missing migrations at start (default true). */
  migrate?: boolean;
  /** An already open database (tests, the demo). */
  db?: HubDb;
  /** The staff login's limit per account name (defaults in hub/staff/login-limit.ts; tests set a clock). */
  loginLimit?: LoginLimitOptions;
}

export interface Hub {
  config: HubConfig;
  app: FastifyInstance;
  db: HubDb;
  metrics: HubMetrics;
  /** Listens on `server.host`/`port` (or the given port); resolves with the base URL. */
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
}

export async function createHub(config: HubConfig, options: HubOptions = {}): Promise<Hub> {
  const db = options.db ?? (await openHubDb(config.database));
  try {
    if (options.migrate !== false) await migrate(db);
  } catch (error) {
    if (!options.db) await db.close();
    throw error;
  }
  const metrics = createHubMetrics(
    {
      openDays: async () => openDays(db, businessDay(new Date())),
      databaseUp: () => databaseUp(db),
    },
    config.devices,
  );
  for (const s of await lastSeenAll(db).catch(() => []))
    metrics.seen(s.office, s.device, s.last_seen, (s.heartbeat ?? null) as HeartbeatPayload | null);

  const tls = config.server.tls;
  const app = createHubApp({
    ...(options.logger ? { logger: options.logger } : {}),
    ...(tls
      ? {
          https: {
            cert: fs.readFileSync(tls.cert),
            key: fs.readFileSync(tls.key),
            ...(tls.ca ? { ca: fs.readFileSync(tls.ca) } : {}),
            // Devices may present a client certificate; the route decides by its fingerprint.
            requestCert: true,
            rejectUnauthorized: false,
          },
        }
      : {}),
  });
  const deps = { config, db, metrics };
  await app.register(async (scope) => ingestRoutes(scope, deps));
  await app.register(async (scope) =>
    loginRoutes(scope, {
      config,
      db,
      secure: tls !== undefined,
      ...(options.loginLimit ? { loginLimit: options.loginLimit } : {}),
    }),
  );
  await app.register(async (scope) => reportRoutes(scope, deps));
  await app.register(async (scope) => payoutRoutes(scope, deps));
  await app.register(async (scope) => statementRoutes(scope, deps));
  await app.register(async (scope) => healthRoutes(scope, { db, metrics, version: HUB_VERSION }));
  await app.register(async (scope) => webRoutes(scope, { config, db }));

  let closed = false;
  return {
    config,
    app,
    db,
    metrics,
    async listen(port) {
      await app.listen({ host: config.server.host, port: port ?? config.server.port });
      const address = app.server.address();
      const actual = typeof address === "object" && address ? address.port : config.server.port;
      const host = config.server.host.includes(":") ? `[${config.server.host}]` : config.server.host;
      return `${tls ? "https" : "http"}://${host}:${actual}`;
    },
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      if (!options.db) await db.close();
    },
  };
}

/** createHub + listen: what `oplatomat hub start` runs. */
export async function startHub(config: HubConfig, options: HubOptions & { port?: number } = {}) {
  const hub = await createHub(config, options);
  const url = await hub.listen(options.port);
  return { hub, url };
}
