/**
 * Work still running after an API call returned (a payment at the terminal, a receipt printing):
 * tracked so the flow can wait for it, a little, when it closes.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<unknown>>();

  get idle(): boolean {
    return this.running.size === 0;
  }

  track(work: Promise<unknown>): void {
    this.running.add(work);
    work.finally(() => this.running.delete(work)).catch(() => undefined);
  }

  /** Resolves once every tracked piece of work has settled, or `graceMs` has passed. */
  async settle(graceMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
  }
}
