/**
 * Devices booking into a day the hub has closed, at the same moment: each booking reopens the day
 * (hub/store/ingest-store.ts touchOfficeDay). Taking a share lock on the office day and then updating
 * it deadlocked as soon as two bookings held the share lock together; ten devices after the day's
 * closing got 500s at every retry (seen in CI, 2026-12-08). Here two bookings are made to hold it
 * together whenever they take one on the closed day: each waits after such a read until the other has
 * one too.
 * A real PostgreSQL server (the harness's throwaway cluster): the deadlock is the server's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServerDb, type SqlClient } from "../../../hub/store/db.ts";
import { touchOfficeDay } from "../../../hub/store/ingest-store.ts";
import { migrate } from "../../../hub/store/migrate.ts";
import { type PostgresCluster, startPostgres } from "../../helpers/postgres.ts";

/** Both callers pass only once each has arrived; a caller that never comes leaves the other waiting. */
function meeting(parties: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const all = new Promise<void>((resolve) => {
    open = resolve;
  });
  return () => {
    arrived += 1;
    if (arrived === parties) open();
    return all;
  };
}

/**
 * The transaction's client, waiting at `meet` after each share-locking read that `when` picks: both
 * bookings then hold the share lock together before either goes on.
 */
function sharingAt(
  tx: SqlClient,
  meet: () => Promise<void>,
  when: (rows: Array<{ closed?: boolean }>) => boolean,
): SqlClient {
  return {
    query: async <R extends object>(sql: string, params?: unknown[]) => {
      const rows = await tx.query<R>(sql, params);
      if (/FOR SHARE/.test(sql) && when(rows as Array<{ closed?: boolean }>)) await meet();
      return rows;
    },
  };
}

describe("bookings reopening a closed office day at once", () => {
  let cluster: PostgresCluster;
  let db: ServerDb;
  beforeAll(async () => {
    cluster = await startPostgres();
    db = new ServerDb(await cluster.createDatabase("office_day_lock"));
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
    cluster?.stop();
  });

  it("reopen it once, and neither fails", async () => {
    await db.query("INSERT INTO office_days (office, day, closed_at) VALUES ('PZ1465', '2026-12-07', now())");
    const meet = meeting(2);
    // A share lock on the day while it is still closed (a booking after the other reopened it sees it
    // open and has nobody to wait for).
    const closed = (rows: Array<{ closed?: boolean }>) => rows[0]?.closed === true;
    const booking = () =>
      db.transaction((tx) => touchOfficeDay(sharingAt(tx, meet, closed), "PZ1465", "2026-12-07"));
    const outcomes = await Promise.allSettled([booking(), booking()]);
    expect(outcomes.map((o) => (o.status === "fulfilled" ? o.value : String(o.reason)))).toEqual(
      expect.arrayContaining([true, false]),
    );
    const [day] = await db.query<{ closed: boolean }>(
      "SELECT closed_at IS NOT NULL AS closed FROM office_days WHERE office = 'PZ1465' AND day = '2026-12-07'",
    );
    expect(day).toEqual({ closed: false });
  });

  it("an open day: bookings share the lock and do not wait for each other", async () => {
    await db.query("INSERT INTO office_days (office, day) VALUES ('PZ1465', '2026-12-08')");
    const meet = meeting(2);
    const booking = () =>
      db.transaction((tx) =>
        touchOfficeDay(
          sharingAt(tx, meet, () => true),
          "PZ1465",
          "2026-12-08",
        ),
      );
    // Each waits after its share lock for the other's: both hold it together, or this never ends.
    expect(await Promise.all([booking(), booking()])).toEqual([false, false]);
  });
});
