/**
 * Several cursors at once, read in order: a month's report is one query per business day, the next
 * days' queries run on their own connections while the current day is written out, and their
 * batches reach the reader in day order. A cursor never runs in parallel inside PostgreSQL (parallel
 * query needs the whole result at once); this gives the report the same use of the server's cores.
 * Each part keeps at most `depth` batches ahead of the reader, so memory stays bounded.
 */

/** One part: streams its batches to `push`, which waits while the reader is behind. */
export type Part<T> = (push: (batch: T) => Promise<void>) => Promise<void>;

class Cancelled extends Error {}

class Channel<T> {
  readonly batches: T[] = [];
  done = false;
  error: unknown;
  private wake: (() => void) | undefined;

  notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Resolves on the next notify(). */
  next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }
}

export async function inOrder<T>(
  parts: ReadonlyArray<Part<T>>,
  ahead: number,
  onBatch: (batch: T) => Promise<void>,
  depth = 2,
): Promise<void> {
  const channels = parts.map(() => new Channel<T>());
  // Producer and reader each wait on their own promise: `space` for producers, the channel's for the reader.
  const space = parts.map(() => new Channel<never>());
  const running: Array<Promise<void>> = [];
  let cancelled = false;

  const start = (i: number) => {
    const ch = channels[i] as Channel<T>;
    const room = space[i] as Channel<never>;
    const push = async (batch: T) => {
      while (ch.batches.length >= depth && !cancelled) await room.next();
      if (cancelled) throw new Cancelled("the reader stopped");
      ch.batches.push(batch);
      ch.notify();
    };
    running.push(
      (parts[i] as Part<T>)(push).then(
        () => {
          ch.done = true;
          ch.notify();
        },
        (error: unknown) => {
          ch.error = error;
          ch.done = true;
          ch.notify();
        },
      ),
    );
  };

  try {
    let started = 0;
    for (let i = 0; i < parts.length; i++) {
      while (started < Math.min(parts.length, i + Math.max(1, ahead))) start(started++);
      const ch = channels[i] as Channel<T>;
      for (;;) {
        const batch = ch.batches.shift();
        if (batch !== undefined) {
          (space[i] as Channel<never>).notify();
          await onBatch(batch);
          continue;
        }
        if (ch.done) break;
        await ch.next();
      }
      if (ch.error !== undefined) throw ch.error;
    }
  } finally {
    cancelled = true;
    for (const room of space) room.notify();
    // Every started cursor is closed (its transaction ended) before the report ends.
    await Promise.all(running);
  }
}
