/**
 * BMP fields: a one-byte identifier followed by a value whose length rule depends on the BMP
 * (fixed, LLVAR `Fx Fy`, LLLVAR `Fx Fy Fz`, or a BER-length TLV container for BMP 06). The table follows
 * PA00P015 rev 13.08 §13. A BMP the table lacks is skipped by the one length that lets the rest of the
 * message parse (see `skipUnknown`): failing the message would mean 84 66 and a reversed good payment.
 */
import { decodeLength, decodeTlv, encodeLength, type TlvNode } from "./tlv.ts";

export type BmpRule =
  | { kind: "fixed"; length: number }
  | { kind: "llvar" }
  | { kind: "lllvar" }
  | { kind: "tlv" };

const fixed = (length: number): BmpRule => ({ kind: "fixed", length });
const LLVAR: BmpRule = { kind: "llvar" };
const LLLVAR: BmpRule = { kind: "lllvar" };

/** Length rules after PA00P015 §13 (the BMPs a terminal may send us, and those we send). */
export const BMP_RULES: ReadonlyMap<number, BmpRule> = new Map<number, BmpRule>([
  [0x01, fixed(1)], // timeout, seconds
  [0x02, fixed(1)], // max. status infos
  [0x03, fixed(1)], // service byte
  [0x04, fixed(6)], // amount, BCD
  [0x05, fixed(1)], // pump number
  [0x06, { kind: "tlv" }],
  [0x0b, fixed(3)], // trace number
  [0x0c, fixed(3)], // time HHMMSS
  [0x0d, fixed(2)], // date MMDD
  [0x0e, fixed(2)], // expiry YYMM
  [0x17, fixed(2)], // card sequence number
  [0x19, fixed(1)], // payment type / status byte
  [0x22, LLVAR], // PAN / EF_ID
  [0x23, LLVAR], // track 2
  [0x24, LLLVAR], // track 3
  [0x27, fixed(1)], // result code
  [0x29, fixed(4)], // terminal id
  [0x2a, fixed(15)], // VU number
  [0x2d, LLVAR], // track 1
  [0x2e, LLLVAR], // sync chip data
  [0x37, fixed(3)], // original trace
  [0x3a, fixed(2)], // CVV
  [0x3b, fixed(8)], // authorisation attribute (approval code)
  [0x3c, LLLVAR], // additional text
  [0x3d, fixed(3)], // password
  [0x49, fixed(2)], // currency
  [0x4c, LLVAR], // blocked goods groups
  [0x60, LLLVAR], // single totals
  [0x70, fixed(4)], // display image: request id (big-endian integer)
  [0x71, fixed(4)], // display image: image size
  [0x72, fixed(1)], // display image: MIME type
  [0x73, fixed(1)], // display image: encoding
  [0x74, fixed(1)], // display image: chunk count
  [0x75, fixed(1)], // display image: chunk index
  [0x87, fixed(2)], // receipt number
  [0x88, fixed(3)], // turnover record number
  [0x8a, fixed(1)], // card type
  [0x8b, LLVAR], // card name
  [0x8c, fixed(1)], // network operator card type
  [0x92, LLLVAR], // additional data ec-Cash
  [0x9a, LLLVAR], // GeldKarte payment record
  [0xa0, fixed(1)], // result code AS
  [0xa7, LLVAR], // chip data
  [0xaa, fixed(3)], // date YYMMDD
  [0xaf, LLLVAR], // EF_Info
  [0xba, fixed(5)], // AID parameter
  [0xd0, fixed(1)], // algorithm key
  [0xd1, LLVAR], // offset
  [0xd2, fixed(1)], // card output direction
  [0xd3, fixed(1)], // key position
  [0xe0, fixed(1)], // min. input length
  [0xe1, LLVAR],
  [0xe2, LLVAR],
  [0xe3, LLVAR],
  [0xe4, LLVAR],
  [0xe5, LLVAR],
  [0xe6, LLVAR],
  [0xe7, LLVAR],
  [0xe8, LLVAR], // text2 line 8 (an LLVAR like E1–E7, not one byte)
  [0xe9, fixed(1)], // max. input length
  [0xea, fixed(1)], // echo the input
  [0xeb, fixed(8)], // MAC over text 1 and text 2
  [0xf0, fixed(1)], // display duration
  [0xf1, LLVAR], // text lines for display
  [0xf2, LLVAR],
  [0xf3, LLVAR],
  [0xf4, LLVAR],
  [0xf5, LLVAR],
  [0xf6, LLVAR],
  [0xf7, LLVAR],
  [0xf8, LLVAR],
  [0xf9, fixed(1)], // beep tones
  [0xfa, fixed(1)], // card reader activation
  [0xfb, fixed(1)], // confirmation of the input with OK required
  [0xfc, fixed(1)], // dialog control
  [0xfd, fixed(1)], // display device
]);

export interface BmpField {
  bmp: number;
  /** The value without its length prefix. */
  value: Buffer;
  /** Parsed TLV objects when bmp = 06. */
  tlv?: TlvNode[];
  /** A BMP missing from the table, skipped by the length that let the rest parse; its value means nothing. */
  unknown?: boolean;
}

/** Reads an `Fx Fy` / `Fx Fy Fz` length prefix of `digits` bytes at `offset`. */
export function decodeVarLength(buf: Buffer, offset: number, digits: 2 | 3): number {
  let length = 0;
  for (let k = 0; k < digits; k++) {
    const b = buf[offset + k];
    if (b === undefined) throw new RangeError("BMP length truncated");
    if (b >> 4 !== 0x0f || (b & 0x0f) > 9)
      throw new RangeError(`invalid BMP length byte 0x${b.toString(16)}`);
    length = length * 10 + (b & 0x0f);
  }
  return length;
}

export function encodeVarLength(length: number, digits: 2 | 3): Buffer {
  const text = String(length).padStart(digits, "0");
  if (text.length > digits) throw new RangeError(`variable field too long: ${length}`);
  return Buffer.from([...text].map((d) => 0xf0 | Number(d)));
}

export class UnknownBmpError extends RangeError {
  constructor(readonly bmp: number) {
    super(`unknown BMP 0x${bmp.toString(16).padStart(2, "0")}`);
  }
}

/** Parses a run of BMP fields (e.g. a Status-Information's data). Throws only on truncation. */
export function decodeBmps(data: Buffer, start = 0): BmpField[] {
  const fields = decodeFrom(data, start, MAX_UNKNOWN);
  if (!fields) throw new RangeError("BMP fields truncated or malformed");
  return fields;
}

/** How many BMPs missing from the table one message may carry before it is given up. */
const MAX_UNKNOWN = 3;
/** The longest fixed length tried for a BMP missing from the table. */
const MAX_GUESSED_FIXED = 16;

/** One known field at `i`: its value and where the next field starts; undefined when it does not fit. */
function readKnown(data: Buffer, i: number, bmp: number, rule: BmpRule): [BmpField, number] | undefined {
  let length: number;
  let at = i;
  try {
    switch (rule.kind) {
      case "fixed":
        length = rule.length;
        break;
      case "llvar":
        length = decodeVarLength(data, at, 2);
        at += 2;
        break;
      case "lllvar":
        length = decodeVarLength(data, at, 3);
        at += 3;
        break;
      case "tlv": {
        const [l, used] = decodeLength(data, at);
        length = l;
        at += used;
        break;
      }
    }
  } catch {
    return undefined;
  }
  if (at + length > data.length) return undefined;
  const value = Buffer.from(data.subarray(at, at + length));
  const field: BmpField = { bmp, value };
  if (rule.kind === "tlv") {
    try {
      field.tlv = decodeTlv(value);
    } catch {
      // A container whose inside cannot be read still has a sound length: the other fields stand.
    }
  }
  return [field, at + length];
}

/** The field list from `start` to the end, or undefined when no reading of it parses to the end. */
function decodeFrom(data: Buffer, start: number, unknownLeft: number): BmpField[] | undefined {
  const fields: BmpField[] = [];
  let i = start;
  while (i < data.length) {
    const bmp = data[i]!;
    const rule = BMP_RULES.get(bmp);
    if (!rule) {
      const rest = skipUnknown(data, i, unknownLeft);
      return rest ? [...fields, ...rest] : undefined;
    }
    const read = readKnown(data, i + 1, bmp, rule);
    if (!read) return undefined;
    fields.push(read[0]);
    i = read[1];
  }
  return fields;
}

/**
 * A BMP missing from the table: tries the length rules terminals use (LLLVAR and LLVAR when the bytes
 * are valid length digits, then fixed 1…16) and takes the reading after which the rest of the message
 * parses to its end with the fewest further unknown BMPs (the first such on a tie). The skipped field is
 * kept with `unknown: true`, so nobody reads its value.
 */
function skipUnknown(data: Buffer, i: number, unknownLeft: number): BmpField[] | undefined {
  if (unknownLeft <= 0) return undefined;
  const bmp = data[i]!;
  const candidates: BmpRule[] = [LLLVAR, LLVAR];
  for (let n = 1; n <= MAX_GUESSED_FIXED; n++) candidates.push(fixed(n));
  let best: BmpField[] | undefined;
  let bestUnknown = Number.POSITIVE_INFINITY;
  for (const rule of candidates) {
    const read = readKnown(data, i + 1, bmp, rule);
    if (!read) continue;
    const rest = decodeFrom(data, read[1], unknownLeft - 1);
    if (!rest) continue;
    const unknown = rest.filter((f) => f.unknown).length;
    if (unknown < bestUnknown) {
      best = [{ ...read[0], unknown: true }, ...rest];
      bestUnknown = unknown;
      if (unknown === 0) break;
    }
  }
  return best;
}

/** Encodes one BMP with the length prefix its rule needs. */
export function encodeBmp(bmp: number, value: Buffer): Buffer {
  const rule = BMP_RULES.get(bmp);
  if (!rule) throw new UnknownBmpError(bmp);
  switch (rule.kind) {
    case "fixed":
      if (value.length !== rule.length) {
        throw new RangeError(`BMP 0x${bmp.toString(16)} needs ${rule.length} bytes, got ${value.length}`);
      }
      return Buffer.concat([Buffer.from([bmp]), value]);
    case "llvar":
      return Buffer.concat([Buffer.from([bmp]), encodeVarLength(value.length, 2), value]);
    case "lllvar":
      return Buffer.concat([Buffer.from([bmp]), encodeVarLength(value.length, 3), value]);
    case "tlv":
      return Buffer.concat([Buffer.from([bmp]), encodeLength(value.length), value]);
  }
}

export function fieldMap(fields: BmpField[]): Map<number, BmpField> {
  const map = new Map<number, BmpField>();
  for (const f of fields) if (!f.unknown && !map.has(f.bmp)) map.set(f.bmp, f);
  return map;
}
