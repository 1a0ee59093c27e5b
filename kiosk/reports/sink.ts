/**
 * Writing large documents to a stream without holding them. Rows are gathered into chunks of about
 * 64 KiB (one stream write per row would cost an event-loop turn per row on a slow reader), and the
 * producer awaits `drain()` between pages, so a slow reader (an HTTP download, a pipe) holds back
 * the database scan instead of letting the buffer grow. `drain()` also flushes: call it last.
 */
import type { Writable } from "node:stream";
import { releaseSpentBuffers } from "./spent-buffers.ts";

const CHUNK_BYTES = 64 * 1024;
/** Bytes written between collections of the pages already written (spent-buffers.ts). */
const RELEASE_BYTES = 1024 * 1024;

export class Sink {
  private pressure = false;
  private pending: string[] = [];
  private pendingLength = 0;
  private unreleased = 0;

  constructor(private readonly out: Writable | NodeJS.WritableStream) {}

  /** Text is gathered into chunks; bytes (a page the database wrote whole) go out as they are. */
  write(text: string | Uint8Array): void {
    if (typeof text !== "string") {
      this.flush();
      if (text.length > 0 && !this.out.write(text)) this.pressure = true;
      this.unreleased += text.length;
      return;
    }
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= CHUNK_BYTES) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join("");
    this.pending = [];
    this.pendingLength = 0;
    if (!this.out.write(chunk)) this.pressure = true;
  }

  async drain(): Promise<void> {
    this.flush();
    if (this.unreleased >= RELEASE_BYTES) {
      this.unreleased = 0;
      releaseSpentBuffers();
    }
    if (!this.pressure) return;
    this.pressure = false;
    await new Promise<void>((resolve) => this.out.once("drain", () => resolve()));
  }
}
