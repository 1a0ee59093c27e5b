/**
 * The one card terminal, taken by one job at a time: a visitor's payment (with its recovery), a
 * void, an end-of-day or a recovery after restart. The ZVT driver already sends one command at a
 * time, but a job is several commands and writes around them (a void stores its intent, reverses,
 * then books; recovery asks "last transaction?" and decides): interleaved with another job, the
 * terminal's "last transaction" would answer for the wrong one. Jobs queue in order; a visitor's
 * payment does not queue behind staff (the visitor is refused at once and may try again).
 */
export class TerminalLock {
  private tail: Promise<void> = Promise.resolve();
  private holder: string | null = null;
  private waiting = 0;

  /** What holds the terminal now (`payment`, `void`, `end-of-day`, `recovery`), or null. */
  get heldBy(): string | null {
    return this.holder;
  }

  /** True when a job holds the terminal or waits for it. */
  get busy(): boolean {
    return this.holder !== null || this.waiting > 0;
  }

  /** Runs `job` once every job queued before it has finished; the terminal is its alone meanwhile. */
  run<T>(what: string, job: () => Promise<T>): Promise<T> {
    this.waiting += 1;
    const turn = this.tail.then(async () => {
      this.waiting -= 1;
      this.holder = what;
      try {
        return await job();
      } finally {
        this.holder = null;
      }
    });
    this.tail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }
}
