/**
 * Brute-force control for the service PIN: after 5 wrong PINs within 5 minutes, every attempt is
 * refused — even with the right PIN — for 5 minutes after the fifth failure. The count is kept for
 * the whole kiosk, not per client address: the service screen runs on the kiosk itself, so there is
 * only one "client", and an attacker could change addresses anyway.
 */
export interface LoginThrottleOptions {
  maxFailures?: number;
  windowMs?: number;
  lockMs?: number;
  now?: () => number;
}

export class LoginThrottle {
  private failures: number[] = [];
  private lockedUntil = 0;
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly lockMs: number;
  private readonly now: () => number;

  constructor(options: LoginThrottleOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 5 * 60 * 1000;
    this.lockMs = options.lockMs ?? 5 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds until attempts are accepted again; 0 when not locked. */
  lockedForMs(): number {
    return Math.max(0, this.lockedUntil - this.now());
  }

  recordFailure(): void {
    const at = this.now();
    this.failures = this.failures.filter((t) => at - t < this.windowMs);
    this.failures.push(at);
    if (this.failures.length >= this.maxFailures) {
      this.lockedUntil = at + this.lockMs;
      this.failures = [];
    }
  }

  recordSuccess(): void {
    this.failures = [];
  }
}
