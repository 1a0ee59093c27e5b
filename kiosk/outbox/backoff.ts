/**
 * Capped exponential backoff with jitter: the nth retry waits a random time between half and all of
 * min(cap, base·2^(n−1)), so a fleet of kiosks coming back from one outage does not retry in step.
 */
export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

/** `attempts` is the number of failed attempts so far (≥ 1); `random` returns [0, 1). */
export function retryDelayMs(attempts: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
