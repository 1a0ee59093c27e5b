/**
 * Splits a serial scanner's byte stream into codes at its terminator (CR, LF or CR LF). Bounded: a
 * scanner spewing bytes without a terminator cannot grow memory without limit. The bytes are decoded
 * as one UTF-8 stream: a chunk may end inside a multi-byte character (`Ł` is two bytes), whose rest
 * comes with the next chunk.
 */
import { StringDecoder } from "node:string_decoder";

const MAX_LINE = 8192;

export class LineSplitter {
  private buffer = "";
  private decoder = new StringDecoder("utf8");
  /** Lines dropped for being too long. */
  overflows = 0;

  push(chunk: Buffer): string[] {
    this.buffer += this.decoder.write(chunk);
    const out: string[] = [];
    const parts = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = parts.pop() ?? "";
    // A CR at the very end may be the first half of CR LF: the next chunk's LF then ends an empty line.
    for (const p of parts) if (p.length > 0) out.push(p);
    if (this.buffer.length > MAX_LINE) {
      this.buffer = "";
      this.overflows++;
    }
    return out;
  }

  reset(): void {
    this.buffer = "";
    this.decoder = new StringDecoder("utf8");
  }
}
