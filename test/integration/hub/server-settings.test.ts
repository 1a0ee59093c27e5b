/**
 * The hub on PostgreSQL servers set up as an office's IT might set them, not as the other hub tests do:
 * the server's, the database's and the role's defaults for DateStyle, standard_conforming_strings,
 * IntervalStyle, TimeZone and the isolation level; a database in LATIN2; a database that takes no
 * writes (default_transaction_read_only, as a standby); a server that ends a connection the hub holds
 * in the middle of a report (pg_terminate_backend, as a fast restart or failover does); max_connections
 * smaller than the hub's pool; statement_timeout and lock_timeout. Each expected figure is written from SPEC §6/§9 by hand.
 */
import http from "node:http";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oplatomat, until } from "../../helpers/cli-daemon.ts";
import {
  freePort,
  get,
  loadDevices,
  post,
  startHubChild,
  startHubHarness,
  startInProcessHub,
  TOKENS,
  transaction,
} from "../../helpers/hub-harness.ts";
import { type PostgresCluster, runSql, startPostgres } from "../../helpers/postgres.ts";

/** Runs `sql` as the cluster's superuser in `database`; answers the last statement's rows. */
function admin(cluster: PostgresCluster, database: string, sql: string[]): Promise<unknown[]> {
  return runSql(cluster.url(database), sql);
}

const SETTLEMENT = "/api/offices/PZ1465/settlement?date=2026-12-07";

describe("a server whose session defaults are not ours", () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres({
      TimeZone: "Pacific/Kiritimati",
      standard_conforming_strings: "off",
      IntervalStyle: "sql_standard",
      default_transaction_isolation: "serializable",
      extra_float_digits: "0",
    });
  });
  afterAll(() => cluster?.stop());

  it("books, reports, closes the day and lists the fleet as on any server", async () => {
    const dbUrl = await cluster.createDatabase("styles");
    await admin(cluster, "postgres", ["ALTER DATABASE styles SET DateStyle = 'SQL, DMY'"]);
    const h = await startHubHarness({ cluster, databaseUrl: dbUrl, loadDevices: 10 });
    const { hub, url } = await startInProcessHub(h);
    try {
      // 00:30 in Warsaw on 7 December: that business day (UTC says the 6th, Kiritimati 13:30 on the 7th).
      const t1 = transaction({ transactionId: "T1", paidAt: "2026-12-06T23:30:00Z", total: 16_000 });
      const t2 = transaction({
        transactionId: "T2",
        kiosk: "D01",
        cashier: "ANNA",
        paidAt: "2026-12-07T12:00:00+01:00",
        total: 10_001,
      });
      const r1 = await post(`${url}/transactions`, t1, { token: TOKENS.K01, key: "t1" });
      expect(r1.text).toBe('{"transactionId":"T1","status":"booked","businessDay":"2026-12-07"}');
      expect((await post(`${url}/transactions`, t2, { token: TOKENS.D01, key: "t2" })).status).toBe(201);
      const reversal = { office: "PZ1465", kiosk: "D01", transactionId: "T2", total: 10_001 };
      const rev = await post(
        `${url}/transactions/T2/reversal`,
        { ...reversal, reversedAt: "2026-12-07T15:00:00+01:00", reason: "zwrot" },
        { token: TOKENS.D01, key: "r2" },
      );
      expect(rev.status).toBe(201);
      for (const [kiosk, token, count, total] of [
        ["K01", TOKENS.K01, 1, 16_000],
        ["D01", TOKENS.D01, 0, 0],
      ] as const) {
        const day = {
          office: "PZ1465",
          kiosk,
          date: "2026-12-07",
          count,
          total,
          terminalTotals: { count, total },
        };
        expect((await post(`${url}/days`, day, { token, key: `day-${kiosk}` })).status).toBe(201);
      }

      const report = await get(`${url}${SETTLEMENT}&format=json`);
      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({ count: 1, total: 16_000, closed: true });
      expect(report.body["reversals"]).toEqual([
        {
          transactionId: "T2",
          device: "D01",
          total: 10_001,
          reversedAt: "2026-12-07T15:00:00+01:00",
          reason: "zwrot",
        },
      ]);
      const rows = report.body["transactions"] as Array<Record<string, unknown>>;
      expect(rows.map((t) => [t["transactionId"], t["paidAt"], t["businessDay"]])).toEqual([
        ["T1", "2026-12-07T00:30:00+01:00", "2026-12-07"],
        ["T2", "2026-12-07T12:00:00+01:00", "2026-12-07"],
      ]);
      // Amounts, times and numbers as they are: no formula guard's quote before them.
      const csv = await get(`${url}${SETTLEMENT}&format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.text).toContain(
        "T1,2026-12-07T00:30:00+01:00,2026-12-07,PZ1465,K01,S/2026/000123,KOM/123/2026,1,DR,POWIAT,12102099920000000014651001,143.00,PLN,",
      );
      expect(csv.text).not.toContain("'");
      expect((await get(`${url}${SETTLEMENT}&format=pdf`)).status).toBe(200);
      const payouts = await get(`${url}/api/offices/PZ1465/payouts?date=2026-12-07&format=json`);
      expect(payouts.body).toMatchObject({ closed: true });

      const fleet = (await get(`${url}/api/fleet`)).body["devices"] as Array<Record<string, unknown>>;
      const last = Object.fromEntries(fleet.map((d) => [d["id"], d["lastPaymentAt"]]));
      expect(last["K01"]).toBe("2026-12-06T23:30:00.000Z");
      expect(last["D01"]).toBe("2026-12-07T11:00:00.000Z");

      // Ten devices of one office booking at once: each is booked at its first sending (under
      // serializable they failed one another, 500s the devices had to resend).
      const answers = await Promise.all(
        loadDevices(10).map((d, i) =>
          post(
            `${url}/transactions`,
            transaction({ transactionId: `C${i}`, kiosk: d.id, paidAt: "2026-12-07T10:00:00Z" }),
            { token: d.token, key: `c${i}` },
          ),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    } finally {
      await hub.close();
      await h.stop();
    }
  });
});

describe("a database the hub cannot or may not write", () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(() => cluster?.stop());

  it("refuses a LATIN2 database at migrate, naming its encoding", async () => {
    await admin(cluster, "postgres", [
      "CREATE DATABASE latin2 ENCODING 'LATIN2' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0",
    ]);
    const h = await startHubHarness({ cluster, databaseUrl: cluster.url("latin2") });
    try {
      const run = await oplatomat(["hub", "migrate", "--config", h.configFile]);
      expect(run.code).toBe(69);
      expect(run.stderr).toContain("the database's encoding is LATIN2 and the hub needs UTF8");
      expect(await admin(cluster, "latin2", ["SELECT to_regclass('transactions')::text AS t"])).toEqual([
        { t: null },
      ]);
    } finally {
      await h.stop();
    }
  });

  it("says a read-only database is not ready, and migrate names the setting", async () => {
    const dbUrl = await cluster.createDatabase("readonly");
    const h = await startHubHarness({ cluster, databaseUrl: dbUrl });
    try {
      expect((await oplatomat(["hub", "migrate", "--config", h.configFile])).code).toBe(0);
      await admin(cluster, "postgres", ["ALTER DATABASE readonly SET default_transaction_read_only = on"]);
      const { hub, url } = await startInProcessHub(h);
      try {
        const booked = await post(`${url}/transactions`, transaction(), { token: TOKENS.K01 });
        expect(booked.status).toBe(503);
        const ready = await fetch(`${url}/ready`);
        expect(ready.status).toBe(503);
        expect(await ready.text()).toContain("default_transaction_read_only");
        expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^oplatomat_hub_database_up 0$/m);
      } finally {
        await hub.close();
      }
      const fresh = await cluster.createDatabase("readonly_fresh");
      await admin(cluster, "postgres", [
        "ALTER DATABASE readonly_fresh SET default_transaction_read_only = on",
      ]);
      const h2 = await startHubHarness({ cluster, databaseUrl: fresh });
      try {
        const refused = await oplatomat(["hub", "migrate", "--config", h2.configFile]);
        expect(refused.code).toBe(69);
        expect(refused.stderr).toContain("default_transaction_read_only");
      } finally {
        await h2.stop();
      }
    } finally {
      await h.stop();
    }
  });
});

describe("the server ends the hub's connections", () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(() => cluster?.stop());

  it("a report's connection ended while it waits for its reader: that download fails, the hub goes on", {
    timeout: 120_000,
  }, async () => {
    const dbUrl = await cluster.createDatabase("terminated");
    const h = await startHubHarness({ cluster, databaseUrl: dbUrl });
    const port = await freePort();
    const child = await startHubChild(h.configFile, port);
    const url = `http://127.0.0.1:${port}`;
    try {
      // A day larger than the sockets' buffers, so the report waits for a reader that does not read.
      await admin(cluster, "terminated", [
        `INSERT INTO transactions (id, office, device, paid_at, business_day, total, slip, case_ref, slips)
         SELECT 'm-' || g, 'PZ1465', 'K01', timestamptz '2026-12-07 08:00:00+01' + g * interval '1 second',
                '2026-12-07', 16000, 'S/' || g, 'KOM/' || g, '[]' FROM generate_series(1, 100000) g`,
        `INSERT INTO splits (office, device, transaction_id, n, recipient, nrb, component, amount, first_for_recipient)
         SELECT 'PZ1465', 'K01', 'm-' || g, 1, 'POWIAT', '12102099920000000014651001', 'DR', 16000, true
           FROM generate_series(1, 100000) g`,
      ]);
      let response: http.IncomingMessage | undefined;
      const request = http.get(`${url}${SETTLEMENT}&format=json`, {
        headers: { authorization: `Bearer ${TOKENS.staffSystem}` },
      });
      request.on("response", (res) => {
        res.pause();
        response = res;
      });
      // The report's connection, idle inside its transaction between two fetches of its cursor, and
      // staying so (the same moment of its last change twice): the hub waits for the reader.
      let seen = "";
      const pid = await until(async () => {
        const rows = (await admin(cluster, "postgres", [
          `SELECT pid, state_change::text AS at FROM pg_stat_activity
            WHERE datname = 'terminated' AND state = 'idle in transaction' AND query LIKE 'FETCH%'`,
        ])) as Array<{ pid: number; at: string }>;
        const row = rows[0];
        if (!row) return undefined;
        const key = `${row.pid} ${row.at}`;
        const steady = key === seen;
        seen = key;
        return steady ? row.pid : undefined;
      }, "the report waiting for its reader");
      await admin(cluster, "postgres", [`SELECT pg_terminate_backend(${pid}, 10000)`]);
      const first = await new Promise<string>((resolve) => {
        const res = response!;
        let text = "";
        res.on("data", (c: Buffer) => {
          text += c.toString();
        });
        res.on("error", () => resolve(`error after ${text.length} characters`));
        res.on("end", () => resolve(res.complete ? "complete" : "incomplete"));
        res.resume();
      });
      expect(first).not.toBe("complete");
      expect(child.exitCode).toBeNull();
      const next = await get(`${url}${SETTLEMENT}&format=json`);
      expect(next.status).toBe(200);
      expect(next.body).toMatchObject({ count: 100_000, total: 1_600_000_000 });
      expect((await fetch(`${url}/ready`)).status).toBe(200);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill("SIGTERM");
      await h.stop();
    }
  });
});

describe("max_connections below the hub's pool", () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    // Five connections for the hub's role, the rest kept for superusers.
    cluster = await startPostgres({ max_connections: "8", superuser_reserved_connections: "3" });
  });
  afterAll(() => cluster?.stop());

  it("answers a device 503 (resent later), never 500, and books every message once", async () => {
    await admin(cluster, "postgres", ["CREATE ROLE hub LOGIN", "CREATE DATABASE few OWNER hub"]);
    const h = await startHubHarness({
      cluster,
      databaseUrl: `postgres://hub@127.0.0.1:${cluster.port}/few`,
      loadDevices: 20,
    });
    const { hub, url } = await startInProcessHub(h);
    try {
      const statuses = new Set<number>();
      await Promise.all(
        loadDevices(20).map(async (d, i) => {
          const body = transaction({ transactionId: `M${i}`, kiosk: d.id });
          for (;;) {
            const sent = await post(`${url}/transactions`, body, { token: d.token, key: `m${i}` });
            statuses.add(sent.status);
            if (sent.status !== 503) return;
          }
        }),
      );
      expect([...statuses].filter((s) => s !== 201 && s !== 503)).toEqual([]);
      const rows = await admin(cluster, "few", ["SELECT count(*)::int AS n FROM transactions"]);
      expect(rows).toEqual([{ n: 20 }]);
    } finally {
      await hub.close();
    }
    // `database.connections` within the server's room: every message booked at its first sending, and
    // the report's queries wait for a connection instead of failing.
    const database = { url: `postgres://hub@127.0.0.1:${cluster.port}/few`, connections: 4 };
    const sized = await startInProcessHub({ ...h, config: { ...h.config, database } });
    try {
      const answers = await Promise.all(
        loadDevices(20).map((d, i) =>
          post(`${sized.url}/transactions`, transaction({ transactionId: `N${i}`, kiosk: d.id }), {
            token: d.token,
            key: `n${i}`,
          }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
      const report = await get(`${sized.url}/api/offices/PZ1465/settlement?date=2026-11-25&format=json`);
      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({ count: 40, total: 40 * 16_000 });
    } finally {
      await sized.hub.close();
      await h.stop();
    }
  });
});

describe("a statement the server cancels on its own timeouts", () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(() => cluster?.stop());

  for (const setting of ["lock_timeout", "statement_timeout"]) {
    it(`${setting}: a device's message waiting on another's lock is 503 (resent), then booked once`, async () => {
      const name = setting.replace("_timeout", "");
      const dbUrl = await cluster.createDatabase(name);
      await admin(cluster, "postgres", [`ALTER DATABASE ${name} SET ${setting} = '100ms'`]);
      const h = await startHubHarness({ cluster, databaseUrl: dbUrl });
      const { hub, url } = await startInProcessHub(h);
      // A DBA's long transaction holding the ledger's table.
      const dba = new pg.Client({ connectionString: cluster.url(name) });
      await dba.connect();
      try {
        await dba.query("BEGIN");
        await dba.query("LOCK TABLE transactions IN ACCESS EXCLUSIVE MODE");
        const body = transaction({ transactionId: `W-${name}` });
        const waited = await post(`${url}/transactions`, body, { token: TOKENS.K01, key: `w-${name}` });
        expect(waited.status).toBe(503);
        await dba.query("ROLLBACK");
        const resent = await post(`${url}/transactions`, body, { token: TOKENS.K01, key: `w-${name}` });
        expect(resent.status).toBe(201);
        expect(await admin(cluster, name, ["SELECT count(*)::int AS n FROM transactions"])).toEqual([
          { n: 1 },
        ]);
      } finally {
        await dba.end();
        await hub.close();
        await h.stop();
      }
    });
  }
});
