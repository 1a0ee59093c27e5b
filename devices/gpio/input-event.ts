/**
 * Linux `struct input_event` records, as gpio-keys delivers them on /dev/input/event*: a timeval
 * (two longs: 16 bytes on 64-bit kernels' userspace, 8 on 32-bit), then u16 type, u16 code, s32 value.
 */
export const EV_SYN = 0x00;
export const EV_KEY = 0x01;
export const EV_SW = 0x05;

export interface InputEvent {
  type: number;
  code: number;
  value: number;
}

/** Record size for this process: 24 bytes where `long` is 64 bits, 16 where it is 32. */
export function inputEventSize(arch: string = process.arch): 16 | 24 {
  return ["x64", "arm64", "ppc64", "s390x", "riscv64", "loong64", "mips64el"].includes(arch) ? 24 : 16;
}

export function encodeInputEvent(e: InputEvent, size: 16 | 24 = inputEventSize(), seconds = 0): Buffer {
  const b = Buffer.alloc(size);
  const t = size - 8;
  if (size === 24) b.writeBigInt64LE(BigInt(seconds), 0);
  else b.writeInt32LE(seconds, 0);
  b.writeUInt16LE(e.type, t);
  b.writeUInt16LE(e.code, t + 2);
  b.writeInt32LE(e.value, t + 4);
  return b;
}

/** Splits a byte stream into input events; keeps an incomplete record for the next chunk. */
export class InputEventReader {
  private rest = Buffer.alloc(0);

  constructor(private readonly size: 16 | 24 = inputEventSize()) {}

  push(chunk: Buffer): InputEvent[] {
    const data = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    const out: InputEvent[] = [];
    const t = this.size - 8;
    let offset = 0;
    for (; offset + this.size <= data.length; offset += this.size) {
      out.push({
        type: data.readUInt16LE(offset + t),
        code: data.readUInt16LE(offset + t + 2),
        value: data.readInt32LE(offset + t + 4),
      });
    }
    this.rest = Buffer.from(data.subarray(offset));
    return out;
  }

  reset(): void {
    this.rest = Buffer.alloc(0);
  }
}
