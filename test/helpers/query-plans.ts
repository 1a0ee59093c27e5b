/**
 * SQLite's own plan for each statement a piece of store code prepares: the store tests assert that
 * what runs on every scan, probe or start reads by index, not the whole table (a kiosk keeps years of
 * payments, and SQLite uses a partial index only for a query that repeats its condition).
 */
import type { Db } from "../../kiosk/store/db.ts";

/** Runs `run` on `db` and gives the plan of every statement it prepared, one line per step. */
export function plansOf(db: Db, run: () => void): string[] {
  const prepared: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    prepared.push(sql);
    return prepare(sql);
  }) as typeof db.prepare;
  try {
    run();
  } finally {
    db.prepare = prepare;
  }
  return prepared.map((sql) => {
    // Any value will do for the plan; SQLite plans without looking at the bound values.
    const params = sql.split("?").length - 1;
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(params).fill("x"));
    return (plan as Array<{ detail: string }>).map((p) => p.detail).join("\n");
  });
}
