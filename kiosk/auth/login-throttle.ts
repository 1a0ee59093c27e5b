/**
 * Brute-force control for the service PIN. Every 5th wrong PIN in a row locks PIN login — even with
 * the right PIN — and each lock is twice as long as the one before (5 min, 10, 20, … at most 24 h);
 * a correct PIN (outside a lock) starts over. The state lives in the database (`LockoutStore`), so a
 * restart, a crash or a pulled plug does not forgive anything. The count is for the whole kiosk,
 * not per client address: the service screen runs on the kiosk itself, so there is only one
 * "client", and an attacker could change addresses anyway.
 */
export interface LockoutState {
  /** Wrong PINs since the last lock or the last correct PIN. */
  failures: number;
  /** Locks since the last correct PIN: the next lock lasts BASE × 2^strikes. */
  strikes: number;
  /** Epoch milliseconds until which every PIN is refused; 0 when not locked. */
  lockedUntil: number;
}

export interface LockoutStore {
  load(): LockoutState;
  save(state: LockoutState): void;
}

export const UNLOCKED: LockoutState = { failures: 0, strikes: 0, lockedUntil: 0 };

/** For tests and for a kiosk without a database: forgets everything on restart. */
export function memoryLockoutStore(): LockoutStore {
  let state = { ...UNLOCKED };
  return { load: () => ({ ...state }), save: (s) => (state = { ...s }) };
}

export interface LoginThrottleOptions {
  store?: LockoutStore;
  maxFailures?: number;
  /** The first lock; each further lock doubles it. */
  lockMs?: number;
  maxLockMs?: number;
  now?: () => number;
}

export class LoginThrottle {
  private readonly store: LockoutStore;
  private readonly maxFailures: number;
  private readonly lockMs: number;
  private readonly maxLockMs: number;
  private readonly now: () => number;

  constructor(options: LoginThrottleOptions = {}) {
    this.store = options.store ?? memoryLockoutStore();
    this.maxFailures = options.maxFailures ?? 5;
    this.lockMs = options.lockMs ?? 5 * 60 * 1000;
    this.maxLockMs = options.maxLockMs ?? 24 * 60 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds until attempts are accepted again; 0 when not locked. */
  lockedForMs(): number {
    return Math.max(0, this.store.load().lockedUntil - this.now());
  }

  /** Counts a wrong PIN; returns the length of the lock it started, or 0. */
  recordFailure(): number {
    const state = this.store.load();
    state.failures += 1;
    let lockedFor = 0;
    if (state.failures >= this.maxFailures) {
      lockedFor = Math.min(this.maxLockMs, this.lockMs * 2 ** Math.min(state.strikes, 20));
      state.lockedUntil = this.now() + lockedFor;
      state.strikes += 1;
      state.failures = 0;
    }
    this.store.save(state);
    return lockedFor;
  }

  recordSuccess(): void {
    this.store.save({ ...UNLOCKED });
  }
}
