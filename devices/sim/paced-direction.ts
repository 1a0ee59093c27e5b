/**
 * One direction of a paced serial line: each byte is handed on only once the line would have carried
 * it, one byte every `byteMs` and queued behind the bytes before it, as a UART sends them. A pty alone
 * delivers a whole write at once, which hides every wait a driver adds on top of the wire time.
 */
export class PacedDirection {
  private readonly queue: Array<{ byte: number; dueMs: number }> = [];
  private lineFreeMs = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly byteMs: number,
    private readonly deliver: (bytes: Buffer) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(chunk: Buffer): void {
    for (const byte of chunk) {
      this.lineFreeMs = Math.max(this.now(), this.lineFreeMs) + this.byteMs;
      this.queue.push({ byte, dueMs: this.lineFreeMs });
    }
    this.schedule();
  }

  /** Hands over every byte whose slot has passed; the rest wait for the next tick. */
  flush(): void {
    this.timer = undefined;
    const now = this.now();
    let n = 0;
    while (n < this.queue.length && (this.queue[n]?.dueMs ?? Infinity) <= now) n++;
    if (n > 0) this.deliver(Buffer.from(this.queue.splice(0, n).map((q) => q.byte)));
    this.schedule();
  }

  private schedule(): void {
    const next = this.queue[0];
    if (!next || this.timer) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, next.dueMs - this.now()));
  }
}
