/**
 * The hub's SPEC §8 figures against a throwaway PostgreSQL 15 cluster on this machine:
 * - `hub_ingest_per_s`: settlement transactions accepted per second from 50 concurrent devices, each
 *   committed (fsync on) before its 201; the hub runs as `oplatomat hub start` in a child process.
 * - `hub_report_10m_ms`: the settlement report (JSON) plus the CSV export of one month holding
 *   10 000 000 transactions (two splits each), both streamed over HTTP and read to the end; and
 *   `hub_report_10m_peer_ms`: `psql` `COPY (the same rows) TO STDOUT CSV` in the same run.
 * The month is generated in SQL (generate_series), its indexes rebuilt after the load, as a restore would.
 * BENCH_HUB_TRANSACTIONS (default 10 000 000) and BENCH_HUB_INGEST (default 20 000) shorten a trial.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { CSV_CELLS_SQL, REPORT_TIME_ZONE } from "../../hub/store/report-store.ts";
import {
  freePort,
  loadDevices,
  NRB,
  startHubChild,
  startHubHarness,
  TOKENS,
  transaction,
} from "../helpers/hub-harness.ts";
import { PG_BIN, type PostgresCluster, startPostgres } from "../helpers/postgres.ts";

export interface HubFigure {
  name: string;
  value: number;
  unit: string;
}

const MONTH_TRANSACTIONS = Number(process.env["BENCH_HUB_TRANSACTIONS"] ?? 10_000_000);
const INGEST_TOTAL = Number(process.env["BENCH_HUB_INGEST"] ?? 20_000);
const DEVICES = 50;
const FROM = "2026-10-01";
const TO = "2026-10-31";

async function ingest(url: string, log: (s: string) => void): Promise<number> {
  const devices = loadDevices(DEVICES);
  const perDevice = Math.ceil(INGEST_TOTAL / DEVICES);
  let accepted = 0;
  const start = performance.now();
  await Promise.all(
    devices.map(async (d) => {
      for (let i = 0; i < perDevice; i++) {
        const tx = transaction({ kiosk: d.id, paidAt: "2026-11-30T10:00:00Z" });
        const res = await fetch(`${url}/transactions`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${d.token}`,
            "idempotency-key": `settlement.transaction.${tx.transactionId}`,
          },
          body: JSON.stringify(tx),
        });
        await res.arrayBuffer();
        if (res.status !== 201) throw new Error(`ingest answered ${res.status}`);
        accepted++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  log(`hub ingest: ${accepted} transactions in ${seconds.toFixed(1)} s`);
  return accepted / seconds;
}

/** One month of transactions in SQL: indexes and keys dropped for the load and rebuilt after. */
export async function generateMonth(dbUrl: string, log: (s: string) => void): Promise<void> {
  const client = new pg.Client(dbUrl);
  await client.connect();
  const t0 = performance.now();
  const q = (sql: string) => client.query(sql);
  try {
    await q("SET synchronous_commit = off");
    await q("SET maintenance_work_mem = '1GB'");
    await q("ALTER TABLE splits DROP CONSTRAINT splits_transaction_fkey");
    await q("ALTER TABLE reversals DROP CONSTRAINT reversals_transaction_fkey");
    await q("ALTER TABLE splits DROP CONSTRAINT splits_pkey");
    await q("ALTER TABLE transactions DROP CONSTRAINT transactions_pkey");
    await q("DROP INDEX transactions_office_day");
    // Ten opening hours a day over 30 days, 50 devices, in time order as ingest writes them (a day's
    // rows sit together on disk); the business day as the hub computes it.
    const perDay = Math.ceil(MONTH_TRANSACTIONS / 30);
    await q(`INSERT INTO transactions (id, office, device, paid_at, business_day, total, slip, case_ref, slips,
                                       card_brand, masked_pan, auth_code, terminal_id, trace_number, received_at)
             SELECT 'm-' || g, 'PZ1465', 'L' || lpad((g % ${DEVICES} + 1)::text, 3, '0'), ts,
                    (ts AT TIME ZONE 'Europe/Warsaw')::date, 16000, 'S/2026/' || g, 'KOM/' || g || '/2026',
                    '[]', 'VISA', '************1234', '123456', 'T0000001', lpad((g % 1000000)::text, 6, '0'), ts
               FROM (SELECT g, timestamptz '${FROM} 08:00:00+02' + ((g - 1) / ${perDay}) * interval '1 day'
                               + (((g - 1) % ${perDay}) * 36000 / ${perDay}) * interval '1 second' AS ts
                       FROM generate_series(1::bigint, ${MONTH_TRANSACTIONS}) g) x`);
    log(
      `hub bench: ${MONTH_TRANSACTIONS} transactions generated (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    );
    await q(`INSERT INTO splits (office, device, transaction_id, n, recipient, nrb, component, amount, slip,
                                 first_for_recipient)
             SELECT 'PZ1465', 'L' || lpad((g % ${DEVICES} + 1)::text, 3, '0'), 'm-' || g, v.n, v.recipient, v.nrb, v.component, v.amount, 'S/2026/' || g, true
               FROM generate_series(1::bigint, ${MONTH_TRANSACTIONS}) g
              CROSS JOIN (VALUES (1, 'POWIAT', '${NRB.POWIAT}', 'DR', 14300),
                                 (2, 'GMINA', '${NRB.GMINA}', 'OS', 1700)) AS v (n, recipient, nrb, component, amount)`);
    log(`hub bench: splits generated (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    await q("ALTER TABLE transactions ADD PRIMARY KEY (office, device, id)");
    await q(
      "CREATE INDEX transactions_office_day ON transactions (office, business_day, paid_at, id, device)",
    );
    await q("ALTER TABLE splits ADD PRIMARY KEY (office, device, transaction_id, n)");
    await q(
      "ALTER TABLE splits ADD CONSTRAINT splits_transaction_fkey FOREIGN KEY (office, device, transaction_id) REFERENCES transactions (office, device, id)",
    );
    await q(
      "ALTER TABLE reversals ADD CONSTRAINT reversals_transaction_fkey FOREIGN KEY (office, device, transaction_id) REFERENCES transactions (office, device, id)",
    );
    await q("VACUUM ANALYZE transactions");
    await q("VACUUM ANALYZE splits");
    log(
      `hub bench: keys, indexes and statistics rebuilt (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    );
  } finally {
    await client.end();
  }
}

/** Reads a download to its end; returns its size in bytes. */
async function download(url: string, token: string): Promise<number> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200 || !res.body) throw new Error(`report answered ${res.status}`);
  let bytes = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
  }
  return bytes;
}

function psqlCopy(dbUrl: string): Promise<number> {
  const sql = CSV_CELLS_SQL.replaceAll("$1", "'PZ1465'")
    .replaceAll("$2", `'${FROM}'`)
    .replaceAll("$3", `'${TO}'`);
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(PG_BIN, "psql"),
      [
        "-X",
        "-q",
        "-d",
        dbUrl,
        "-c",
        `SET TIME ZONE '${REPORT_TIME_ZONE}'`,
        "-c",
        `COPY (${sql}) TO STDOUT CSV`,
      ],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let bytes = 0;
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      bytes += c.length;
    });
    child.stderr.on("data", (c: Buffer) => {
      err += c.toString();
    });
    child.on("exit", (code) => (code === 0 ? resolve(bytes) : reject(new Error(`psql: ${err}`))));
  });
}

export async function benchHub(log: (s: string) => void = () => {}): Promise<HubFigure[]> {
  const cluster = await startPostgres({
    shared_buffers: "1GB",
    max_wal_size: "8GB",
    checkpoint_timeout: "30min",
    work_mem: "64MB",
  });
  const figures: HubFigure[] = [];
  try {
    // Ingest: its own database, so the figure is not the cost of a 10-million-row table.
    if (INGEST_TOTAL > 0) await benchIngest(cluster, figures, log);
    await benchReport(cluster, figures, log);
  } finally {
    cluster.stop();
  }
  return figures;
}

async function benchIngest(
  cluster: PostgresCluster,
  figures: HubFigure[],
  log: (s: string) => void,
): Promise<void> {
  {
    const ih = await startHubHarness({ cluster, name: "ingest", loadDevices: DEVICES });
    const port = await freePort();
    const child = await startHubChild(ih.configFile, port);
    try {
      figures.push({
        name: "hub_ingest_per_s",
        value: await ingest(`http://127.0.0.1:${port}`, log),
        unit: "1/s",
      });
    } finally {
      child.kill("SIGKILL");
      await ih.stop();
    }
  }
}

async function benchReport(
  cluster: PostgresCluster,
  figures: HubFigure[],
  log: (s: string) => void,
): Promise<void> {
  {
    const rh = await startHubHarness({ cluster, name: "month", loadDevices: DEVICES });
    const rport = await freePort();
    let hub = await startHubChild(rh.configFile, rport);
    hub.kill("SIGKILL"); // it applied the migrations; the load runs without it
    await generateMonth(rh.dbUrl, log);
    hub = await startHubChild(rh.configFile, rport);
    try {
      const base = `http://127.0.0.1:${rport}/api/offices/PZ1465/settlement?from=${FROM}&to=${TO}`;
      const t0 = performance.now();
      const jsonBytes = await download(`${base}&format=json`, TOKENS.staffSystem);
      const t1 = performance.now();
      const csvBytes = await download(`${base}&format=csv`, TOKENS.staffSystem);
      const t2 = performance.now();
      log(
        `hub report: JSON ${(jsonBytes / 1e6).toFixed(0)} MB in ${((t1 - t0) / 1000).toFixed(1)} s, CSV ${(csvBytes / 1e6).toFixed(0)} MB in ${((t2 - t1) / 1000).toFixed(1)} s`,
      );
      figures.push({ name: "hub_report_10m_ms", value: t2 - t0, unit: "ms" });
      const p0 = performance.now();
      const peerBytes = await psqlCopy(rh.dbUrl);
      const p1 = performance.now();
      log(`psql COPY: ${(peerBytes / 1e6).toFixed(0)} MB in ${((p1 - p0) / 1000).toFixed(1)} s`);
      figures.push({ name: "hub_report_10m_peer_ms", value: p1 - p0, unit: "ms" });
    } finally {
      hub.kill("SIGKILL");
      await rh.stop();
    }
  }
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  for (const f of await benchHub((s) => console.error(s)))
    console.log(`${f.name} ${Math.round(f.value * 100) / 100} ${f.unit}`);
  process.exit(0);
}
