/**
 * The audit trail of refused scans, bounded. A refused scan comes from anyone at the screen or the
 * loopback API, unauthenticated, so writing a row for each would let a flood fill the disk. The
 * first few refusals of each minute are written in full; the rest are counted per code and written
 * as one summary row when the minute is over, so the trail still says how many there were.
 */
export interface RefusalEntry {
  code: string;
  payload: string;
  detail?: string;
}

export interface RefusalAuditOptions {
  /** Writes one audit row (`slip_refused` or `slip_refused_summary`). */
  write(
    action: "slip_refused" | "slip_refused_summary",
    target: string,
    details: Record<string, unknown>,
  ): void;
  now(): Date;
  /** Full rows per window (default 10). */
  perWindow?: number;
  /** Window length (default one minute). */
  windowMs?: number;
}

export class RefusalAudit {
  private windowStart = -Infinity;
  private written = 0;
  private suppressed = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private readonly perWindow: number;
  private readonly windowMs: number;

  constructor(private readonly opts: RefusalAuditOptions) {
    this.perWindow = opts.perWindow ?? 10;
    this.windowMs = opts.windowMs ?? 60_000;
  }

  record(entry: RefusalEntry): void {
    const now = this.opts.now().getTime();
    if (now - this.windowStart >= this.windowMs) {
      this.flush();
      this.windowStart = now;
      this.written = 0;
    }
    if (this.written < this.perWindow) {
      this.written += 1;
      this.opts.write("slip_refused", entry.code, {
        payload: entry.payload.slice(0, 200),
        ...(entry.detail ? { detail: entry.detail } : {}),
      });
      return;
    }
    this.suppressed.set(entry.code, (this.suppressed.get(entry.code) ?? 0) + 1);
    if (!this.timer) {
      const due = Math.max(0, this.windowStart + this.windowMs - now);
      this.timer = setTimeout(() => this.flush(), due);
      this.timer.unref();
    }
  }

  /** Writes the summary of the refusals counted but not written (also on shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.suppressed.size === 0) return;
    const byCode = Object.fromEntries(this.suppressed);
    const count = [...this.suppressed.values()].reduce((a, b) => a + b, 0);
    this.suppressed = new Map();
    this.opts.write("slip_refused_summary", `${count} refused scans`, {
      count,
      byCode,
      windowStart: new Date(this.windowStart).toISOString(),
      windowMs: this.windowMs,
    });
  }
}
