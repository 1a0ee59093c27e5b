/**
 * The staff login's limit per account name, beside the limit per client address (10 a minute): a
 * guesser spreading one account's passwords over many addresses is slowed too.
 *
 * Every name is counted alike, a staff login or not, so the answers (and their timing) do not tell
 * a known name from an unknown one. An attempt counts as a failure when it starts, so parallel
 * guesses cannot all slip in before the first is judged; a right password then clears the name.
 * After `freeFailures` failures in a row the name is refused (429) for `firstLockMs`, doubled for
 * each further failure after a lock ends, never longer than `maxLockMs`: an attacker keeps a real
 * user out for minutes at a time, not for hours, and gets one guess per lock. A name with no failure
 * for `forgetMs` starts again from nothing.
 *
 * In memory, per hub process: nothing is kept in PostgreSQL, a restart forgets the counts, and hub
 * processes behind one balancer count apart (docs/hub.md says so). At most `maxEntries` names are
 * held; when full, forgotten names go first, then the oldest.
 */

export interface LoginLimitOptions {
  freeFailures?: number;
  firstLockMs?: number;
  maxLockMs?: number;
  forgetMs?: number;
  maxEntries?: number;
  /** Milliseconds since the epoch (tests move it). */
  now?: () => number;
}

interface Entry {
  failures: number;
  lastFailure: number;
  lockedUntil: number;
}

/** What an attempt may do: go on and check the password, or be refused until `retryAfterSeconds`. */
export type LoginGate =
  | { allowed: true /** This attempt's failure would start a lock. */; locks: boolean }
  | { allowed: false; retryAfterSeconds: number };

export class LoginLimit {
  private readonly entries = new Map<string, Entry>();
  private readonly freeFailures: number;
  private readonly firstLockMs: number;
  private readonly maxLockMs: number;
  private readonly forgetMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: LoginLimitOptions = {}) {
    this.freeFailures = options.freeFailures ?? 5;
    this.firstLockMs = options.firstLockMs ?? 30_000;
    this.maxLockMs = options.maxLockMs ?? 5 * 60_000;
    this.forgetMs = options.forgetMs ?? 60 * 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Called before the password is checked; counts the attempt as a failure until `succeeded`. */
  attempt(login: string): LoginGate {
    const now = this.now();
    let entry = this.entries.get(login);
    if (entry && entry.lockedUntil <= now && now - entry.lastFailure >= this.forgetMs) {
      this.entries.delete(login);
      entry = undefined;
    }
    if (entry && entry.lockedUntil > now) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((entry.lockedUntil - now) / 1000)) };
    }
    if (!entry) {
      this.makeRoom(now);
      entry = { failures: 0, lastFailure: now, lockedUntil: 0 };
    } else {
      this.entries.delete(login); // re-inserted last: the oldest names are the first evicted
    }
    entry.failures += 1;
    entry.lastFailure = now;
    const over = entry.failures - this.freeFailures;
    let locks = false;
    if (over >= 0) {
      entry.lockedUntil = now + Math.min(this.maxLockMs, this.firstLockMs * 2 ** Math.min(over, 30));
      locks = true;
    }
    this.entries.set(login, entry);
    return { allowed: true, locks };
  }

  /** The right password: the name's failures and lock are forgotten. */
  succeeded(login: string): void {
    this.entries.delete(login);
  }

  /** Names held now (tests, metrics). */
  get size(): number {
    return this.entries.size;
  }

  private makeRoom(now: number): void {
    if (this.entries.size < this.maxEntries) return;
    for (const [name, e] of this.entries) {
      if (e.lockedUntil <= now && now - e.lastFailure >= this.forgetMs) this.entries.delete(name);
    }
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
