/**
 * BMP fields: a one-byte identifier followed by a value whose length rule depends on the BMP
 * (fixed, LLVAR `Fx Fy`, LLLVAR `Fx Fy Fz`, or a BER-length TLV container for BMP 06). A parser must
 * know the rule of every BMP it may meet: an unknown fixed-length BMP cannot be skipped.
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
  [0xe8, fixed(1)],
  [0xe9, fixed(1)],
  [0xea, fixed(1)],
  [0xeb, fixed(8)],
  [0xec, fixed(1)],
  [0xed, fixed(1)],
  [0xee, fixed(1)],
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
]);

export interface BmpField {
  bmp: number;
  /** The value without its length prefix. */
  value: Buffer;
  /** Parsed TLV objects when bmp = 06. */
  tlv?: TlvNode[];
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

/** Parses a run of BMP fields (e.g. a Status-Information's data). Throws on unknown BMPs or truncation. */
export function decodeBmps(data: Buffer, start = 0): BmpField[] {
  const fields: BmpField[] = [];
  let i = start;
  while (i < data.length) {
    const bmp = data[i++]!;
    const rule = BMP_RULES.get(bmp);
    if (!rule) throw new UnknownBmpError(bmp);
    let length: number;
    switch (rule.kind) {
      case "fixed":
        length = rule.length;
        break;
      case "llvar":
        length = decodeVarLength(data, i, 2);
        i += 2;
        break;
      case "lllvar":
        length = decodeVarLength(data, i, 3);
        i += 3;
        break;
      case "tlv": {
        const [l, used] = decodeLength(data, i);
        length = l;
        i += used;
        break;
      }
    }
    if (i + length > data.length) throw new RangeError(`BMP 0x${bmp.toString(16)} truncated`);
    const value = Buffer.from(data.subarray(i, i + length));
    i += length;
    const field: BmpField = { bmp, value };
    if (rule.kind === "tlv") field.tlv = decodeTlv(value);
    fields.push(field);
  }
  return fields;
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
  for (const f of fields) if (!map.has(f.bmp)) map.set(f.bmp, f);
  return map;
}
