/**
 * Serial framing (PA00P016 §3): `DLE STX <APDU, every 10 doubled> DLE ETX CRC-lo CRC-hi`. The CRC
 * is CRC-16/KERMIT (reflected 0x1021, init 0, no final XOR) over the unstuffed APDU plus the ETX
 * byte, sent low byte first and never stuffed. ACK 06 / NAK 15 are single raw bytes.
 */

export const DLE = 0x10;
export const STX = 0x02;
export const ETX = 0x03;
export const ACK = 0x06;
export const NAK = 0x15;

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
    table[n] = c;
  }
  return table;
})();

export function crc16Kermit(data: Uint8Array, initial = 0): number {
  let crc = initial;
  for (const byte of data) crc = (crc >>> 8) ^ TABLE[(crc ^ byte) & 0xff]!;
  return crc & 0xffff;
}

export function stuff(apdu: Buffer): Buffer {
  const out: number[] = [];
  for (const b of apdu) {
    out.push(b);
    if (b === DLE) out.push(DLE);
  }
  return Buffer.from(out);
}

/** Inverse of `stuff`; throws on a lone DLE. */
export function unstuff(data: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b === DLE) {
      if (data[i + 1] !== DLE) throw new RangeError("DLE without a following DLE");
      i++;
    }
    out.push(b);
  }
  return Buffer.from(out);
}

function frameCrc(apdu: Buffer): number {
  return crc16Kermit(Buffer.from([ETX]), crc16Kermit(apdu));
}

export function encodeFrame(apdu: Buffer): Buffer {
  const crc = frameCrc(apdu);
  return Buffer.concat([Buffer.from([DLE, STX]), stuff(apdu), Buffer.from([DLE, ETX, crc & 0xff, crc >> 8])]);
}

export type FrameEvent =
  | { type: "ack" }
  | { type: "nak" }
  | { type: "frame"; apdu: Buffer }
  /** A malformed frame or wrong CRC: answer NAK. */
  | { type: "bad"; reason: string }
  /** A byte outside any frame that is neither ACK nor NAK. */
  | { type: "noise"; byte: number };

type State = "idle" | "dle" | "data" | "dataDle" | "crc1" | "crc2";

/** A byte-wise state machine, so a 0x03 data byte can never be mistaken for the frame end. */
export class FrameDecoder {
  private state: State = "idle";
  private body: number[] = [];
  private crcLow = 0;

  /** True while a frame has started and not yet ended (the T1 inter-byte timer runs). */
  get inFrame(): boolean {
    return this.state !== "idle" && this.state !== "dle";
  }

  reset(): void {
    this.state = "idle";
    this.body = [];
  }

  push(chunk: Buffer): FrameEvent[] {
    const events: FrameEvent[] = [];
    for (const b of chunk) {
      switch (this.state) {
        case "idle":
          if (b === DLE) this.state = "dle";
          else if (b === ACK) events.push({ type: "ack" });
          else if (b === NAK) events.push({ type: "nak" });
          else events.push({ type: "noise", byte: b });
          break;
        case "dle":
          if (b === STX) {
            this.state = "data";
            this.body = [];
          } else {
            this.state = "idle";
            events.push({ type: "bad", reason: "DLE not followed by STX" });
          }
          break;
        case "data":
          if (b === DLE) this.state = "dataDle";
          else this.body.push(b);
          break;
        case "dataDle":
          if (b === DLE) {
            this.body.push(DLE);
            this.state = "data";
          } else if (b === ETX) {
            this.state = "crc1";
          } else if (b === STX) {
            // A new frame started: the sender gave up on the previous one.
            this.body = [];
            this.state = "data";
            events.push({ type: "bad", reason: "frame restarted" });
          } else {
            this.state = "idle";
            this.body = [];
            events.push({ type: "bad", reason: "DLE without sense" });
          }
          break;
        case "crc1":
          this.crcLow = b;
          this.state = "crc2";
          break;
        case "crc2": {
          const apdu = Buffer.from(this.body);
          this.body = [];
          this.state = "idle";
          const received = this.crcLow | (b << 8);
          if (received === frameCrc(apdu)) events.push({ type: "frame", apdu });
          else events.push({ type: "bad", reason: "CRC mismatch" });
          break;
        }
      }
    }
    return events;
  }
}
