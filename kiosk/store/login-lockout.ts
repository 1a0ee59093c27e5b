/** The service-PIN lockout (kiosk/auth/login-throttle.ts) kept in one row, so a restart forgets nothing. */
import type { LockoutState, LockoutStore } from "../auth/login-throttle.ts";
import type { Db } from "./db.ts";

interface Row {
  failures: number;
  strikes: number;
  locked_until: number;
}

export function dbLockoutStore(db: () => Db): LockoutStore {
  return {
    load(): LockoutState {
      const row = db()
        .prepare("SELECT failures, strikes, locked_until FROM service_login_lockout WHERE id = 1")
        .get() as Row | undefined;
      return row
        ? { failures: row.failures, strikes: row.strikes, lockedUntil: row.locked_until }
        : { failures: 0, strikes: 0, lockedUntil: 0 };
    },
    save(state: LockoutState): void {
      db()
        .prepare(
          `INSERT INTO service_login_lockout (id, failures, strikes, locked_until, updated_at)
           VALUES (1, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET failures = excluded.failures, strikes = excluded.strikes,
             locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
        )
        .run(state.failures, state.strikes, state.lockedUntil, new Date().toISOString());
    },
  };
}

/**
 * A lockout kept as one `kv` row under `key`: the cash desk's cashier PINs (SPEC §10), counted apart
 * from the service PIN, and like it not forgiven by a restart.
 */
export function kvLockoutStore(db: () => Db, key: string): LockoutStore {
  return {
    load(): LockoutState {
      const row = db().prepare("SELECT value FROM kv WHERE key = ?").get(key) as
        | { value: string }
        | undefined;
      if (!row) return { failures: 0, strikes: 0, lockedUntil: 0 };
      const v = JSON.parse(row.value) as Partial<LockoutState>;
      return { failures: v.failures ?? 0, strikes: v.strikes ?? 0, lockedUntil: v.lockedUntil ?? 0 };
    },
    save(state: LockoutState): void {
      db()
        .prepare(
          "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .run(key, JSON.stringify(state));
    },
  };
}
