/**
 * A technician's scanner test: the next scanned code (from any reader or the keyboard wedge) goes
 * to the test instead of starting a payment.
 */
export class ScanCapture {
  private waiting: ((code: string | null) => void) | null = null;

  /**
   * Resolves with the next scanned code; null on time-out, or when a newer scanner test takes over
   * (its wait must not be ended by this one's timer).
   */
  next(timeoutMs: number): Promise<string | null> {
    this.waiting?.(null);
    return new Promise((resolve) => {
      const finish = (code: string | null): void => {
        clearTimeout(timer);
        if (this.waiting === finish) this.waiting = null;
        resolve(code);
      };
      const timer = setTimeout(() => finish(null), timeoutMs);
      this.waiting = finish;
    });
  }

  /** Hands `code` to a waiting test; false when none waits (the scan is a visitor's). */
  offer(code: string): boolean {
    if (!this.waiting) return false;
    this.waiting(code);
    return true;
  }
}
