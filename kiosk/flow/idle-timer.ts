/**
 * The inactivity timer of the visit on screen: one pending time-out at most, and the moment it runs
 * out (the screen shows it as `expiresAt`). Whether it runs at all is the flow's decision.
 */
export class IdleTimer {
  private timer: NodeJS.Timeout | null = null;
  private until: Date | null = null;

  /** When the visit on screen ends by itself, or null when no timer runs. */
  get deadline(): Date | null {
    return this.until;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.until = null;
  }

  /** (Re)starts the timer: `expired` runs once `ms` pass without another start or stop. */
  start(now: Date, ms: number, expired: () => void): void {
    this.stop();
    this.until = new Date(now.getTime() + ms);
    this.timer = setTimeout(expired, ms);
    this.timer.unref();
  }
}
