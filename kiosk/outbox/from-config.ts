/**
 * Builds the outbox worker and the two clients from the configuration, for the composition root:
 * one HTTP client per configured destination (its token or client certificate, its deadline),
 * shared by the worker and, for PiK, the slip check. It also hands the flow its two reporting
 * ports: the slip check and the enqueueing of a committed payment's messages.
 */
import type { KioskConfig } from "../config/types.ts";
import { PikClient, type SlipCheckResult } from "../integrations/pik-client.ts";
import { SettlementClient } from "../integrations/settlement-client.ts";
import type { Db } from "../store/db.ts";
import type { BackoffPolicy } from "./backoff.ts";
import { enqueuePaymentReports } from "./enqueue.ts";
import { type OutboxLogger, OutboxWorker } from "./worker.ts";

export interface Reporting {
  worker: OutboxWorker;
  pik: PikClient | undefined;
  settlement: SettlementClient | undefined;
  /** Asks PiK whether a slip is still open (SPEC §6); absent without PiK. */
  checkSlip: ((office: string, slip: string) => Promise<SlipCheckResult>) | undefined;
  /** Enqueues a committed payment's messages, inside the caller's transaction (outbox/enqueue.ts). */
  enqueuePaymentReports(sessionId: string): void;
  /** Stops the worker and closes the clients' connections. */
  close(): Promise<void>;
}

export interface ReportingOptions {
  backoff?: BackoffPolicy;
  pollMs?: number;
  logger?: OutboxLogger;
  now?: () => Date;
  slipCheckTimeoutMs?: number;
}

export function createReporting(db: Db, config: KioskConfig, options: ReportingOptions = {}): Reporting {
  const pikTarget = config.integrations.pik;
  const settlementTarget = config.integrations.settlement;
  const pik = pikTarget
    ? new PikClient(
        pikTarget,
        options.slipCheckTimeoutMs ? { slipCheckTimeoutMs: options.slipCheckTimeoutMs } : {},
      )
    : undefined;
  const settlement = settlementTarget ? new SettlementClient(settlementTarget) : undefined;
  const worker = new OutboxWorker({
    db,
    clients: {
      ...(pik ? { pik: pik.httpClient } : {}),
      ...(settlement ? { settlement: settlement.httpClient } : {}),
    },
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const now = options.now ?? (() => new Date());
  return {
    worker,
    pik,
    settlement,
    checkSlip: pik ? (office, slip) => pik.checkSlip(office, slip) : undefined,
    enqueuePaymentReports: (sessionId) => enqueuePaymentReports(db, sessionId, config, now()),
    async close() {
      await worker.stop();
      pik?.close();
      settlement?.close();
    },
  };
}
