/**
 * Writing large documents to a stream without holding them: `write` hands text to the stream at
 * once, and the producer awaits `drain()` between pages so a slow reader (an HTTP download, a pipe)
 * holds back the database scan instead of letting the buffer grow.
 */
import type { Writable } from "node:stream";

export class Sink {
  private pressure = false;

  constructor(private readonly out: Writable | NodeJS.WritableStream) {}

  write(text: string | Buffer): void {
    if (!this.out.write(text)) this.pressure = true;
  }

  async drain(): Promise<void> {
    if (!this.pressure) return;
    this.pressure = false;
    await new Promise<void>((resolve) => this.out.once("drain", () => resolve()));
  }
}
