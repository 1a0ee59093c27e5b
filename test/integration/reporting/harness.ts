/** Fakes, a database file and a worker wired together for the reporting integration tests. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { KioskConfig } from "../../../kiosk/config/types.ts";
import { createHttpClient, type HttpClient } from "../../../kiosk/integrations/http-client.ts";
import { FakePik } from "../../../kiosk/integrations/fake-pik.ts";
import { FakeSettlement } from "../../../kiosk/integrations/fake-settlement.ts";
import { OutboxWorker } from "../../../kiosk/outbox/worker.ts";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import { reportingConfig } from "./fixture-day.ts";

export interface Harness {
  dir: string;
  file: string;
  db: Db;
  pik: FakePik;
  settlement: FakeSettlement;
  config: KioskConfig;
  clients: HttpClient[];
  workers: OutboxWorker[];
  newWorker(db?: Db): OutboxWorker;
  close(): Promise<void>;
}

/** Short deadlines and delays: a hang costs 250 ms, a retry at most 40 ms. */
export async function startHarness(): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-reporting-"));
  const file = path.join(dir, "kiosk.db");
  const pik = await FakePik.start({ office: "PZ1465" });
  const settlement = await FakeSettlement.start();
  const config = reportingConfig({
    integrations: {
      pik: { url: pik.url, reporting: "direct", timeoutMs: 250 },
      settlement: { url: settlement.url, timeoutMs: 250 },
    },
  });
  const db = openDatabase(file);
  const h: Harness = {
    dir,
    file,
    db,
    pik,
    settlement,
    config,
    clients: [],
    workers: [],
    newWorker(workerDb = db) {
      const pikClient = createHttpClient(config.integrations.pik!);
      const settlementClient = createHttpClient(config.integrations.settlement!);
      h.clients.push(pikClient, settlementClient);
      const w = new OutboxWorker({
        db: workerDb,
        clients: { pik: pikClient, settlement: settlementClient },
        backoff: { baseDelayMs: 5, maxDelayMs: 40 },
        pollMs: 20,
      });
      h.workers.push(w);
      return w;
    },
    async close() {
      await Promise.all(h.workers.map((w) => w.stop()));
      for (const c of h.clients) c.close();
      await Promise.all([pik.close(), settlement.close()]);
      if (h.db.open) h.db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

export async function waitFor(cond: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function pendingCount(db: Db): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'").get() as { n: number }).n;
}

export function outboxIds(db: Db, destination: string): string[] {
  return (
    db.prepare("SELECT id FROM outbox WHERE destination = ? ORDER BY seq").all(destination) as Array<{
      id: string;
    }>
  ).map((r) => r.id);
}
