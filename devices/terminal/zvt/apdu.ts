/**
 * ZVT APDU: `CLASS INSTR LEN DATA`, where LEN = FF announces a two-byte length, low byte first.
 * Also the stream reader TCP needs, because a terminal's APDU may arrive split over several reads or
 * several APDUs in one read.
 */

export interface Apdu {
  /** CLASS (or CCRC for a response: 80 / 84). */
  cls: number;
  /** INSTR (or APRC for a response). */
  instr: number;
  data: Buffer;
}

export const MAX_APDU_DATA = 0xffff;

export function encodeApdu(apdu: Apdu): Buffer {
  const len = apdu.data.length;
  if (len > MAX_APDU_DATA) throw new RangeError(`APDU data too long: ${len}`);
  const header =
    len < 0xff
      ? Buffer.from([apdu.cls, apdu.instr, len])
      : Buffer.from([apdu.cls, apdu.instr, 0xff, len & 0xff, len >> 8]);
  return Buffer.concat([header, apdu.data]);
}

/** Total byte length of the APDU at the start of `buf`, or undefined while its header is incomplete. */
export function apduTotalLength(buf: Buffer): number | undefined {
  if (buf.length < 3) return undefined;
  const len = buf[2]!;
  if (len !== 0xff) return 3 + len;
  if (buf.length < 5) return undefined;
  return 5 + buf.readUInt16LE(3);
}

/** Decodes exactly one APDU; throws if `buf` holds less or more. */
export function decodeApdu(buf: Buffer): Apdu {
  const total = apduTotalLength(buf);
  if (total === undefined || total > buf.length) throw new RangeError("APDU truncated");
  if (total < buf.length) throw new RangeError(`APDU has ${buf.length - total} trailing bytes`);
  const headerLength = buf[2] === 0xff ? 5 : 3;
  return { cls: buf[0]!, instr: buf[1]!, data: Buffer.from(buf.subarray(headerLength, total)) };
}

/** The control field as a number, e.g. 0x0601, for switch statements. */
export function controlField(apdu: Apdu): number {
  return (apdu.cls << 8) | apdu.instr;
}

export function isResponse(apdu: Apdu): boolean {
  return apdu.cls === 0x80 || apdu.cls === 0x84;
}

/** Splits a byte stream into whole APDUs (the only framing on TCP). */
export class ApduStreamReader {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      const total = apduTotalLength(this.buffer);
      if (total === undefined || total > this.buffer.length) break;
      out.push(Buffer.from(this.buffer.subarray(0, total)));
      this.buffer = this.buffer.subarray(total);
    }
    return out;
  }

  /** Bytes of an unfinished APDU, e.g. to notice a peer that went silent mid-message. */
  get pending(): number {
    return this.buffer.length;
  }

  reset(): void {
    this.buffer = Buffer.alloc(0);
  }
}

export function hex(buf: Buffer): string {
  return buf.toString("hex").toUpperCase();
}
