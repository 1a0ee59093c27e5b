/**
 * Messages from the terminal (PA00P015 §3): parsers the driver uses, and builders the simulator uses
 * to speak the same bytes. Card data is masked while parsing: the full PAN never leaves this module.
 */
import iconv from "iconv-lite";
import type { ReceiptCopy } from "../../device.ts";
import { encodeApdu } from "./apdu.ts";
import { decodeBcd, decodeBcdNumber, encodeBcd } from "./bcd.ts";
import { type BmpField, decodeBmps, decodeVarLength, encodeBmp, encodeVarLength, fieldMap } from "./bmp.ts";
import { CMD } from "./commands.ts";
import { decodeLength, decodeTlv, encodeTlv, findAllTlv, findTlv, type TlvNode, topLevelTlv } from "./tlv.ts";

/**
 * Text encodings a terminal may use: CP437 by default, ISO 8859-2 once registered with tag 14 = 02, and
 * whatever a 06 D3 block names in its own tag 14.
 */
export type TerminalCharset = "cp437" | "ascii" | "utf-8" | `iso-8859-${number}`;

/** TLV tag 14 (PA00P015 §9.4): 00 ASCII, 01–10 ISO 8859-n (no 12), FE UTF-8, FF CP437; else unknown. */
export function charsetFromTag(value: number | undefined): TerminalCharset | undefined {
  if (value === undefined) return undefined;
  if (value === 0x00) return "ascii";
  if (value === 0xfe) return "utf-8";
  if (value === 0xff) return "cp437";
  if (value >= 0x01 && value <= 0x10 && value !== 0x0c) return `iso-8859-${value}`;
  return undefined;
}

/**
 * The charset a Registration completion accepted: only when its tag 27 echoes exactly the one tag 14 we
 * asked for. A tag 14 elsewhere (a menu's, or one of a list of several) configures nothing.
 */
export function acceptedCharset(tlv: TlvNode[] | undefined, requested: number): TerminalCharset {
  const echoed = topLevelTlv(tlv, 0x27)?.children?.filter((n) => n.tag === 0x14) ?? [];
  if (echoed.length === 1 && echoed[0]!.value.length === 1 && echoed[0]!.value[0] === requested) {
    return charsetFromTag(requested) ?? "cp437";
  }
  return "cp437";
}

export function decodeText(data: Buffer, charset: TerminalCharset = "cp437"): string {
  return iconv.decode(data, charset);
}

export function encodeText(text: string, charset: TerminalCharset = "cp437"): Buffer {
  return iconv.encode(text, charset);
}

/** Keeps at most the last four digits in clear; everything else becomes `*`. */
export function maskPan(digits: string): string {
  const clean = digits.replace(/[^0-9*]/g, "");
  if (clean.length <= 4) return "*".repeat(clean.length);
  const tail = clean.slice(-4);
  return "*".repeat(clean.length - 4) + tail;
}

/**
 * BMP 22 as BCD nibbles: digits, E for masked digits, F as padding, and D as the field separator after
 * which track-like data (expiry, service code) follows on some girocard terminals: the PAN ends there.
 * Returns the masked form only.
 */
export function panFromBcd(value: Buffer): string {
  let out = "";
  for (const byte of value) {
    for (const nibble of [byte >> 4, byte & 0x0f]) {
      if (nibble === 0x0d) return maskPan(out);
      if (nibble <= 9) out += String(nibble);
      else if (nibble === 0x0e) out += "*";
    }
  }
  return maskPan(out);
}

function trimNul(text: string): string {
  return text.replace(/\0+$/, "").trimEnd();
}

export interface StatusInformation {
  resultCode?: number;
  amount?: number;
  traceNumber?: string;
  originalTrace?: string;
  /** HHMMSS. */
  time?: string;
  /** MMDD (BMP 0D). */
  date?: string;
  /** YYYYMMDD from TLV 1F0E or YYMMDD from BMP AA, when present. */
  fullDate?: string;
  paymentType?: number;
  /** Masked; never more than the last four digits in clear. */
  maskedPan?: string;
  cardSequenceNumber?: string;
  terminalId?: string;
  vuNumber?: string;
  authCode?: string;
  additionalText?: string;
  currency?: number;
  receiptNumber?: string;
  turnoverNumber?: string;
  cardType?: number;
  cardName?: string;
  aid?: string;
  /** BMP 60 of an end-of-day. */
  singleTotals?: SingleTotals;
  displayTexts: string[];
  tlv?: TlvNode[];
  /** BMPs present, for logs (never their values). */
  bmps: number[];
}

export interface SingleTotals {
  receiptFrom: string;
  receiptTo: string;
  /** Count and grosze per card family, in the spec's order. */
  entries: Array<{ family: string; count: number; total: number }>;
}

export const SINGLE_TOTAL_FAMILIES = [
  "girocard",
  "JCB",
  "Mastercard",
  "Amex",
  "Visa",
  "Diners",
  "other",
] as const;

export function decodeSingleTotals(value: Buffer): SingleTotals | undefined {
  if (value.length < 4 + 7 * SINGLE_TOTAL_FAMILIES.length) return undefined;
  const entries: SingleTotals["entries"] = [];
  let i = 4;
  for (const family of SINGLE_TOTAL_FAMILIES) {
    entries.push({ family, count: value[i]!, total: decodeBcdNumber(value.subarray(i + 1, i + 7)) });
    i += 7;
  }
  return {
    receiptFrom: decodeBcd(value.subarray(0, 2)),
    receiptTo: decodeBcd(value.subarray(2, 4)),
    entries,
  };
}

export function encodeSingleTotals(totals: SingleTotals): Buffer {
  const parts = [encodeBcd(totals.receiptFrom, 2), encodeBcd(totals.receiptTo, 2)];
  for (const family of SINGLE_TOTAL_FAMILIES) {
    const entry = totals.entries.find((e) => e.family === family);
    parts.push(Buffer.from([Math.min(255, entry?.count ?? 0)]), encodeBcd(entry?.total ?? 0, 6));
  }
  return Buffer.concat(parts);
}

function displayTexts(tlv: TlvNode[] | undefined, charset: TerminalCharset): string[] {
  const container = findTlv(tlv, 0x24);
  return findAllTlv(container?.children, 0x07).map((n) => decodeText(n.value, charset));
}

/** Parses the data of a 04 0F. Throws when a BMP is unknown or truncated (then: store raw, answer 84 66). */
export function parseStatusInformation(data: Buffer, charset: TerminalCharset = "cp437"): StatusInformation {
  const list = decodeBmps(data);
  const f = fieldMap(list);
  const bcd = (bmp: number): string | undefined => {
    const field = f.get(bmp);
    return field ? decodeBcd(field.value) : undefined;
  };
  const info: StatusInformation = { displayTexts: [], bmps: list.map((x) => x.bmp) };
  const rc = f.get(0x27);
  if (rc) info.resultCode = rc.value[0]!;
  const amount = bcd(0x04);
  if (amount !== undefined) info.amount = Number(amount);
  const assign = (
    key:
      | "traceNumber"
      | "originalTrace"
      | "time"
      | "date"
      | "terminalId"
      | "receiptNumber"
      | "turnoverNumber"
      | "cardSequenceNumber",
    bmp: number,
  ): void => {
    const v = bcd(bmp);
    if (v !== undefined) info[key] = v;
  };
  assign("traceNumber", 0x0b);
  assign("originalTrace", 0x37);
  assign("time", 0x0c);
  assign("date", 0x0d);
  assign("terminalId", 0x29);
  assign("receiptNumber", 0x87);
  assign("turnoverNumber", 0x88);
  assign("cardSequenceNumber", 0x17);
  const aa = bcd(0xaa);
  if (aa !== undefined) info.fullDate = `20${aa}`;
  const pt = f.get(0x19);
  if (pt) info.paymentType = pt.value[0]!;
  const pan = f.get(0x22);
  if (pan) info.maskedPan = panFromBcd(pan.value);
  const vu = f.get(0x2a);
  if (vu) info.vuNumber = decodeText(vu.value, charset).trim();
  const auth = f.get(0x3b);
  if (auth) info.authCode = trimNul(decodeText(auth.value, charset));
  const text = f.get(0x3c);
  if (text) info.additionalText = trimNul(decodeText(text.value, charset));
  const currency = bcd(0x49);
  if (currency !== undefined) info.currency = Number(currency);
  const cardType = f.get(0x8a);
  if (cardType) info.cardType = cardType.value[0]!;
  const cardName = f.get(0x8b);
  if (cardName) info.cardName = trimNul(decodeText(cardName.value, charset));
  const totals = f.get(0x60);
  if (totals) {
    const parsed = decodeSingleTotals(totals.value);
    if (parsed) info.singleTotals = parsed;
  }
  const tlv = f.get(0x06)?.tlv;
  if (tlv) {
    info.tlv = tlv;
    info.displayTexts = displayTexts(tlv, charset);
    const aid = findTlv(tlv, 0x43);
    if (aid) info.aid = aid.value.toString("hex").toUpperCase();
    const full = findTlv(tlv, 0x1f0e);
    if (full && full.value.length === 4) info.fullDate = decodeBcd(full.value);
    const longTrace = findTlv(tlv, 0x1f2b);
    if (longTrace) info.traceNumber = decodeBcd(longTrace.value);
  }
  return info;
}

/** Card-type byte (BMP 8A) to a brand name, for when the terminal sends no card name. */
export function cardBrand(info: StatusInformation): string | undefined {
  if (info.cardName) return info.cardName;
  const brands: Record<number, string> = {
    5: "girocard",
    6: "Mastercard",
    8: "Amex",
    10: "Visa",
    11: "Visa Electron",
    12: "Diners",
    13: "V PAY",
    14: "JCB",
    46: "Maestro",
  };
  return info.cardType === undefined ? undefined : brands[info.cardType];
}

export interface IntermediateStatus {
  code: number;
  /** New T4 in minutes, when sent. */
  timeoutMinutes?: number;
  displayTexts: string[];
}

export function parseIntermediateStatus(
  data: Buffer,
  charset: TerminalCharset = "cp437",
): IntermediateStatus {
  if (data.length < 1) throw new RangeError("intermediate status without a code");
  const out: IntermediateStatus = { code: data[0]!, displayTexts: [] };
  if (data.length >= 2) out.timeoutMinutes = decodeBcdNumber(data.subarray(1, 2));
  if (data.length > 2) {
    const fields = fieldMap(decodeBmps(data, 2));
    out.displayTexts = displayTexts(fields.get(0x06)?.tlv, charset);
  }
  return out;
}

export interface Completion {
  resultCode?: number;
  /** Status byte (BMP 19) of a Registration completion: 0x01 init needed, 0x02 diagnosis, 0x10 vending mode. */
  statusByte?: number;
  terminalId?: string;
  currency?: number;
  /** Status-Enquiry completion: software version and terminal status code. */
  softwareVersion?: string;
  terminalStatus?: number;
  tlv?: TlvNode[];
}

export function parseCompletion(data: Buffer, charset: TerminalCharset = "cp437"): Completion {
  const out: Completion = {};
  let start = 0;
  const first = data[0];
  if (first !== undefined && first >> 4 === 0x0f) {
    const length = decodeVarLength(data, 0, 3);
    if (3 + length >= data.length + 1) throw new RangeError("software version truncated");
    out.softwareVersion = trimNul(decodeText(data.subarray(3, 3 + length), charset));
    const status = data[3 + length];
    if (status !== undefined) out.terminalStatus = status;
    start = 4 + length;
  } else if (data.length === 1) {
    // 05 01 completion without software version: the terminal status byte alone.
    out.terminalStatus = data[0]!;
    return out;
  }
  const fields = fieldMap(decodeBmps(data, start));
  const rc = fields.get(0x27);
  if (rc) out.resultCode = rc.value[0]!;
  const status = fields.get(0x19);
  if (status) out.statusByte = status.value[0]!;
  const tid = fields.get(0x29);
  if (tid) out.terminalId = decodeBcd(tid.value);
  const cc = fields.get(0x49);
  if (cc) out.currency = decodeBcdNumber(cc.value);
  const tlv = fields.get(0x06)?.tlv;
  if (tlv) out.tlv = tlv;
  return out;
}

export interface PtAbort {
  resultCode: number;
  fields: BmpField[];
}

export function parsePtAbort(data: Buffer): PtAbort {
  if (data.length < 1) throw new RangeError("abort without result code");
  let fields: BmpField[] = [];
  try {
    fields = decodeBmps(data, 1);
  } catch {
    // The result code is what matters; trailing data we cannot read is ignored.
  }
  return { resultCode: data[0]!, fields };
}

/** TLV 1F07 → whose copy a receipt is. */
export function receiptCopy(type: number | undefined): ReceiptCopy {
  if (type === 0x01) return "merchant";
  if (type === 0x02) return "customer";
  if (type === 0x03) return "administration";
  return "unknown";
}

export interface PrintLine {
  attribute: number;
  text: string;
  /** Attribute 1xxx xxxx (≠ 0x80): the last line of a receipt. */
  last: boolean;
  /** 1F07 of a trailing TLV (`06 LL …` after the text): 01 merchant, 02 customer, 03 administration. */
  receiptType?: number;
}

/**
 * Where a trailing TLV container (`06 <BER length> <TLV>` ending exactly at the end of the data) starts,
 * or -1. Print text never contains the control byte 06, so the first such position is the container.
 */
function trailingTlvStart(data: Buffer, from: number): number {
  for (let i = data.indexOf(0x06, from); i >= 0; i = data.indexOf(0x06, i + 1)) {
    try {
      const [length, used] = decodeLength(data, i + 1);
      if (i + 1 + used + length !== data.length) continue;
      decodeTlv(data.subarray(i + 1 + used));
      return i;
    } catch {
      // Not a container here; look further.
    }
  }
  return -1;
}

export function parsePrintLine(data: Buffer, charset: TerminalCharset = "cp437"): PrintLine {
  if (data.length < 1) throw new RangeError("print line without attribute");
  const attribute = data[0]!;
  const tlvAt = trailingTlvStart(data, 1);
  const textEnd = tlvAt < 0 ? data.length : tlvAt;
  const text = decodeText(data.subarray(1, textEnd), charset);
  const line: PrintLine = {
    attribute,
    text,
    last: (attribute & 0x80) !== 0 && attribute !== 0x80 && attribute !== 0xff,
  };
  if (tlvAt >= 0) {
    const [, used] = decodeLength(data, tlvAt + 1);
    const type = topLevelTlv(decodeTlv(data.subarray(tlvAt + 1 + used)), 0x1f07);
    if (type?.value.length) line.receiptType = type.value[0]!;
  }
  return line;
}

export interface PrintTextBlock {
  /** 1F07: 01 merchant, 02 customer, 03 administration. */
  receiptType?: number;
  /** The charset the block named in its own tag 14, when it named one. */
  charset?: TerminalCharset;
  lines: string[];
}

/**
 * A 06 D3 block: its own tag 14 decides its charset, else the session's; 1F07 names its copy. Both are
 * read at the top level of the block's TLV, else among the print-texts' (tag 25) own children: the
 * reference names them for the block without fixing their level, and a merchant copy whose 1F07 went
 * unread would be printed for the visitor. Deeper (a list in 27, say) is not the block's.
 */
export function parsePrintTextBlock(data: Buffer, charset: TerminalCharset = "cp437"): PrintTextBlock {
  const fields = fieldMap(decodeBmps(data));
  const tlv = fields.get(0x06)?.tlv;
  const out: PrintTextBlock = { lines: [] };
  const block = topLevelTlv(tlv, 0x25);
  const blockTag = (tag: number) => topLevelTlv(tlv, tag) ?? topLevelTlv(block?.children, tag);
  const type = blockTag(0x1f07);
  if (type?.value.length) out.receiptType = type.value[0]!;
  const own = charsetFromTag(blockTag(0x14)?.value[0]);
  if (own) out.charset = own;
  out.lines = findAllTlv(block?.children, 0x07).map((n) => decodeText(n.value, own ?? charset));
  return out;
}

// ───────────── builders, for the simulator ─────────────

function apdu(control: number, data: Buffer): Buffer {
  return encodeApdu({ cls: control >> 8, instr: control & 0xff, data });
}

export interface StatusInformationFields {
  resultCode: number;
  amount?: number;
  currency?: number;
  traceNumber?: number;
  originalTrace?: number;
  /** Local time the terminal stamps. */
  at?: Date;
  /** Digits as the terminal would send them; `*` marks masked digits (sent as nibble E). */
  pan?: string;
  expiry?: string;
  paymentType?: number;
  terminalId?: string;
  vuNumber?: string;
  authCode?: string;
  additionalText?: string;
  receiptNumber?: number;
  turnoverNumber?: number;
  cardType?: number;
  cardName?: string;
  singleTotals?: SingleTotals;
  tlv?: TlvNode[];
}

/** `*` is sent as nibble E (masked digit), `D` as the separator some girocard terminals put after the PAN. */
function panBytes(pan: string): Buffer {
  const nibbles = [...pan].map((c) => (c === "*" ? 0x0e : c === "D" ? 0x0d : Number(c)));
  if (nibbles.length % 2) nibbles.push(0x0f);
  const out = Buffer.alloc(nibbles.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (nibbles[i * 2]! << 4) | nibbles[i * 2 + 1]!;
  return out;
}

const two = (n: number): string => String(n).padStart(2, "0");

export function statusInformationData(
  s: StatusInformationFields,
  charset: TerminalCharset = "cp437",
): Buffer {
  const parts: Buffer[] = [encodeBmp(0x27, Buffer.from([s.resultCode]))];
  if (s.amount !== undefined) parts.push(encodeBmp(0x04, encodeBcd(s.amount, 6)));
  if (s.currency !== undefined) parts.push(encodeBmp(0x49, encodeBcd(s.currency, 2)));
  if (s.traceNumber !== undefined) parts.push(encodeBmp(0x0b, encodeBcd(s.traceNumber, 3)));
  if (s.originalTrace !== undefined) parts.push(encodeBmp(0x37, encodeBcd(s.originalTrace, 3)));
  if (s.at) {
    const d = s.at;
    parts.push(
      encodeBmp(0x0c, encodeBcd(`${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}`, 3)),
    );
    parts.push(encodeBmp(0x0d, encodeBcd(`${two(d.getMonth() + 1)}${two(d.getDate())}`, 2)));
  }
  if (s.expiry !== undefined) parts.push(encodeBmp(0x0e, encodeBcd(s.expiry, 2)));
  if (s.pan !== undefined) parts.push(encodeBmp(0x22, panBytes(s.pan)));
  if (s.receiptNumber !== undefined) parts.push(encodeBmp(0x87, encodeBcd(s.receiptNumber, 2)));
  if (s.authCode !== undefined) {
    parts.push(
      encodeBmp(0x3b, Buffer.concat([encodeText(s.authCode, charset), Buffer.alloc(8)]).subarray(0, 8)),
    );
  }
  if (s.turnoverNumber !== undefined) parts.push(encodeBmp(0x88, encodeBcd(s.turnoverNumber, 3)));
  if (s.paymentType !== undefined) parts.push(encodeBmp(0x19, Buffer.from([s.paymentType])));
  if (s.terminalId !== undefined) parts.push(encodeBmp(0x29, encodeBcd(s.terminalId, 4)));
  if (s.vuNumber !== undefined)
    parts.push(encodeBmp(0x2a, Buffer.from(s.vuNumber.padEnd(15).slice(0, 15), "latin1")));
  if (s.additionalText !== undefined) parts.push(encodeBmp(0x3c, encodeText(s.additionalText, charset)));
  if (s.cardType !== undefined) parts.push(encodeBmp(0x8a, Buffer.from([s.cardType])));
  if (s.cardName !== undefined)
    parts.push(encodeBmp(0x8b, Buffer.concat([encodeText(s.cardName, charset), Buffer.from([0])])));
  if (s.singleTotals) parts.push(encodeBmp(0x60, encodeSingleTotals(s.singleTotals)));
  if (s.tlv?.length) parts.push(encodeBmp(0x06, encodeTlv(s.tlv)));
  return Buffer.concat(parts);
}

export function statusInformation(s: StatusInformationFields, charset: TerminalCharset = "cp437"): Buffer {
  return apdu(CMD.statusInformation, statusInformationData(s, charset));
}

export function intermediateStatus(
  code: number,
  options: { timeoutMinutes?: number; text?: string[] } = {},
): Buffer {
  const parts: Buffer[] = [Buffer.from([code])];
  if (options.timeoutMinutes !== undefined || options.text)
    parts.push(encodeBcd(options.timeoutMinutes ?? 0, 1));
  if (options.text) {
    parts.push(
      encodeBmp(
        0x06,
        encodeTlv([
          {
            tag: 0x24,
            value: Buffer.alloc(0),
            children: options.text.map((l) => ({ tag: 0x07, value: encodeText(l) })),
          },
        ]),
      ),
    );
  }
  return apdu(CMD.intermediateStatus, Buffer.concat(parts));
}

export function completion(
  options: { statusByte?: number; terminalId?: string; currency?: number; tlv?: TlvNode[] } = {},
): Buffer {
  const parts: Buffer[] = [];
  if (options.statusByte !== undefined) parts.push(encodeBmp(0x19, Buffer.from([options.statusByte])));
  if (options.terminalId !== undefined) parts.push(encodeBmp(0x29, encodeBcd(options.terminalId, 4)));
  if (options.currency !== undefined) parts.push(encodeBmp(0x49, encodeBcd(options.currency, 2)));
  if (options.tlv?.length) parts.push(encodeBmp(0x06, encodeTlv(options.tlv)));
  return apdu(CMD.completion, Buffer.concat(parts));
}

export function statusEnquiryCompletion(softwareVersion: string, terminalStatus: number): Buffer {
  const sw = Buffer.from(softwareVersion, "latin1");
  return apdu(
    CMD.completion,
    Buffer.concat([encodeVarLength(sw.length, 3), sw, Buffer.from([terminalStatus])]),
  );
}

export function ptAbort(resultCode: number): Buffer {
  return apdu(CMD.ptAbort, Buffer.from([resultCode]));
}

export function printLine(
  attribute: number,
  text: string,
  charset: TerminalCharset = "cp437",
  receiptType?: number,
): Buffer {
  const parts = [Buffer.from([attribute]), encodeText(text, charset)];
  // Some terminals end every line with a TLV naming the receipt copy (Portalum LineReceivedCardCompleteWithTlv).
  if (receiptType !== undefined)
    parts.push(encodeBmp(0x06, encodeTlv([{ tag: 0x1f07, value: Buffer.from([receiptType]) }])));
  return apdu(CMD.printLine, Buffer.concat(parts));
}

/** A 06 D3 block; `ownCharsetTag` puts a tag 14 in it and encodes its lines with that charset. */
export function printTextBlock(
  lines: string[],
  receiptType: number,
  charset: TerminalCharset = "cp437",
  ownCharsetTag?: number,
): Buffer {
  const own = charsetFromTag(ownCharsetTag);
  const blockCharset = own ?? charset;
  const tlv = encodeTlv([
    { tag: 0x1f07, value: Buffer.from([receiptType]) },
    ...(own ? [{ tag: 0x14, value: Buffer.from([ownCharsetTag!]) }] : []),
    {
      tag: 0x25,
      value: Buffer.alloc(0),
      children: [
        ...lines.map((l) => ({ tag: 0x07, value: encodeText(l, blockCharset) })),
        { tag: 0x09, value: Buffer.from([0xff]) },
      ],
    },
  ]);
  return apdu(CMD.printTextBlock, encodeBmp(0x06, tlv));
}

/** Decodes a standalone TLV buffer (re-exported for tests and tools). */
export { decodeTlv };
