/**
 * Commands the kiosk (ECR) sends to the terminal (PA00P015 §2), and their parsers for the simulator.
 * Builders return whole APDUs (bytes); every field layout follows the spec byte for byte.
 */
import { type Apdu, encodeApdu } from "./apdu.ts";
import { decodeBcd, decodeBcdNumber, encodeBcd } from "./bcd.ts";
import { type BmpField, decodeBmps, encodeBmp, fieldMap } from "./bmp.ts";
import { encodeTlv, findAllTlv, findTlv, type TlvNode } from "./tlv.ts";

export const PLN = 985;

/** Control fields of the commands we use. */
export const CMD = {
  registration: 0x0600,
  authorization: 0x0601,
  logOff: 0x0602,
  repeatReceipt: 0x0620,
  reversal: 0x0630,
  endOfDay: 0x0650,
  diagnosis: 0x0670,
  initialisation: 0x0693,
  statusEnquiry: 0x0501,
  abort: 0x06b0,
  statusInformation: 0x040f,
  intermediateStatus: 0x04ff,
  completion: 0x060f,
  ptAbort: 0x061e,
  printLine: 0x06d1,
  printTextBlock: 0x06d3,
} as const;

/** Registration config-byte bits. */
export const CONFIG = {
  ecrPrintsPayment: 0x02,
  ecrPrintsAdmin: 0x04,
  intermediateStatus: 0x08,
  ecrControlsPayment: 0x10,
  ecrControlsAdmin: 0x20,
  ptSendsPrintCommands: 0x80,
} as const;

/** 0xBE: everything controlled and printed by the kiosk, intermediate status wanted. */
export const KIOSK_CONFIG_BYTE = 0xbe;

function apdu(control: number, data: Buffer): Buffer {
  return encodeApdu({ cls: control >> 8, instr: control & 0xff, data });
}

export function passwordBytes(password: string): Buffer {
  if (!/^[0-9]{6}$/.test(password)) throw new RangeError("the terminal password is six digits");
  return encodeBcd(password, 3);
}

export interface RegistrationOptions {
  password: string;
  configByte?: number;
  currency?: number;
  /** Service byte (BMP 03); 0x01 keeps the service menu off the function key. */
  serviceByte?: number;
  /** Tag 26: commands the terminal may send us; e.g. [0x06d3] to receive block print. */
  permittedCommands?: number[];
  /** Tag 12: characters per receipt line. */
  printerWidth?: number;
  /** Tag 14: 0x02 = ISO 8859-2 (Polish diacritics). */
  charset?: number;
}

export function registration(options: RegistrationOptions): Buffer {
  const parts = [
    passwordBytes(options.password),
    Buffer.from([options.configByte ?? KIOSK_CONFIG_BYTE]),
    encodeBcd(options.currency ?? PLN, 2),
  ];
  if (options.serviceByte !== undefined) parts.push(encodeBmp(0x03, Buffer.from([options.serviceByte])));
  const tlv: TlvNode[] = [];
  if (options.permittedCommands?.length) {
    tlv.push({
      tag: 0x26,
      value: Buffer.alloc(0),
      children: options.permittedCommands.map((c) => ({ tag: 0x0a, value: Buffer.from([c >> 8, c & 0xff]) })),
    });
  }
  if (options.printerWidth !== undefined) tlv.push({ tag: 0x12, value: encodeBcd(options.printerWidth, 1) });
  if (options.charset !== undefined) tlv.push({ tag: 0x14, value: Buffer.from([options.charset]) });
  if (tlv.length) parts.push(encodeBmp(0x06, encodeTlv(tlv)));
  return apdu(CMD.registration, Buffer.concat(parts));
}

export interface AuthorizationOptions {
  /** Grosze, > 0. */
  amount: number;
  currency?: number;
  /** BMP 19; 0x40 = the terminal decides. Omitted by default. */
  paymentType?: number;
  /** BMP 01: seconds the terminal keeps asking with 84 9C before it reverses (vending handshake). */
  vendingTimeoutSeconds?: number;
  /** BMP 02: max. repeated status-infos in the vending handshake. */
  maxStatusInfos?: number;
}

function amountBytes(amount: number): Buffer {
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > 999_999_999_999) {
    throw new RangeError(`amount must be a positive integer of grosze: ${amount}`);
  }
  return encodeBcd(amount, 6);
}

export function authorization(options: AuthorizationOptions): Buffer {
  const parts = [
    encodeBmp(0x04, amountBytes(options.amount)),
    encodeBmp(0x49, encodeBcd(options.currency ?? PLN, 2)),
  ];
  if (options.paymentType !== undefined) parts.push(encodeBmp(0x19, Buffer.from([options.paymentType])));
  if (options.vendingTimeoutSeconds !== undefined) {
    parts.push(encodeBmp(0x01, Buffer.from([Math.min(255, options.vendingTimeoutSeconds)])));
  }
  if (options.maxStatusInfos !== undefined) {
    parts.push(encodeBmp(0x02, Buffer.from([Math.min(255, options.maxStatusInfos)])));
  }
  return apdu(CMD.authorization, Buffer.concat(parts));
}

export function reversal(options: {
  password: string;
  receiptNumber: string;
  amount?: number;
  currency?: number;
}): Buffer {
  const parts = [passwordBytes(options.password), encodeBmp(0x87, encodeBcd(options.receiptNumber, 2))];
  if (options.amount !== undefined) {
    parts.push(encodeBmp(0x04, amountBytes(options.amount)));
    parts.push(encodeBmp(0x49, encodeBcd(options.currency ?? PLN, 2)));
  }
  return apdu(CMD.reversal, Buffer.concat(parts));
}

/** Service byte bit 0: send the Status-Information again; bit 1: do not print. */
export function repeatReceipt(options: { password: string; serviceByte?: number }): Buffer {
  return apdu(
    CMD.repeatReceipt,
    Buffer.concat([
      passwordBytes(options.password),
      encodeBmp(0x03, Buffer.from([options.serviceByte ?? 0x01])),
    ]),
  );
}

export function endOfDay(options: { password: string }): Buffer {
  return apdu(CMD.endOfDay, passwordBytes(options.password));
}

/** Diagnosis; `diagnosisType` goes in TLV tag 1B when given. */
export function diagnosis(options: { diagnosisType?: number } = {}): Buffer {
  if (options.diagnosisType === undefined) return apdu(CMD.diagnosis, Buffer.alloc(0));
  return apdu(
    CMD.diagnosis,
    encodeBmp(0x06, encodeTlv([{ tag: 0x1b, value: Buffer.from([options.diagnosisType]) }])),
  );
}

/**
 * Initialisation (PA00P015 §2.18): the terminal fetches its parameters from the network operator's host.
 * Data = the password alone (3 bytes BCD, no BMP prefix), as wirelane/ecrterm's `Initialisation` and
 * EVerest/zvt's `packets::Initialization` lay it out.
 */
export function initialisation(options: { password: string }): Buffer {
  return apdu(CMD.initialisation, passwordBytes(options.password));
}

export function statusEnquiry(options: { password?: string; serviceByte?: number } = {}): Buffer {
  if (options.password === undefined) return apdu(CMD.statusEnquiry, Buffer.alloc(0));
  const parts = [passwordBytes(options.password)];
  if (options.serviceByte !== undefined) parts.push(encodeBmp(0x03, Buffer.from([options.serviceByte])));
  return apdu(CMD.statusEnquiry, Buffer.concat(parts));
}

export function abort(): Buffer {
  return apdu(CMD.abort, Buffer.alloc(0));
}

export function logOff(): Buffer {
  return apdu(CMD.logOff, Buffer.alloc(0));
}

/** `80 00 00`. */
export function positiveAck(): Buffer {
  return Buffer.from([0x80, 0x00, 0x00]);
}

/** `84 xx 00`: 9C = "not yet, ask again", 66 (or any other) = goods not issued, reverse. */
export function negativeAck(code: number): Buffer {
  return Buffer.from([0x84, code, 0x00]);
}

// ───────────── parsers, for the simulator (the terminal's side of the same bytes) ─────────────

export interface ParsedRegistration {
  password: string;
  configByte: number;
  currency?: number;
  serviceByte?: number;
  tlv?: TlvNode[];
  permittedCommands: number[];
  printerWidth?: number;
  charset?: number;
}

export function parseRegistration(data: Buffer): ParsedRegistration {
  if (data.length < 4) throw new RangeError("registration too short");
  const result: ParsedRegistration = {
    password: decodeBcd(data.subarray(0, 3)),
    configByte: data[3]!,
    permittedCommands: [],
  };
  let rest = 4;
  if (data.length >= 6 && data[4] !== 0x03 && data[4] !== 0x06) {
    result.currency = decodeBcdNumber(data.subarray(4, 6));
    rest = 6;
  }
  const fields = fieldMap(decodeBmps(data, rest));
  const service = fields.get(0x03);
  if (service) result.serviceByte = service.value[0]!;
  const tlv = fields.get(0x06)?.tlv;
  if (tlv) {
    result.tlv = tlv;
    result.permittedCommands = findAllTlv(findTlv(tlv, 0x26)?.children, 0x0a).map((n) =>
      n.value.readUInt16BE(0),
    );
    const width = findTlv(tlv, 0x12);
    if (width) result.printerWidth = decodeBcdNumber(width.value);
    const charset = findTlv(tlv, 0x14);
    if (charset) result.charset = charset.value[0]!;
  }
  return result;
}

export interface ParsedAuthorization {
  amount: number;
  currency?: number;
  paymentType?: number;
  vendingTimeoutSeconds?: number;
  maxStatusInfos?: number;
}

function optionalBcd(fields: Map<number, BmpField>, bmp: number): number | undefined {
  const f = fields.get(bmp);
  return f ? decodeBcdNumber(f.value) : undefined;
}

export function parseAuthorization(data: Buffer): ParsedAuthorization {
  const fields = fieldMap(decodeBmps(data));
  const amount = optionalBcd(fields, 0x04);
  if (amount === undefined) throw new RangeError("authorization without amount");
  const out: ParsedAuthorization = { amount };
  const currency = optionalBcd(fields, 0x49);
  if (currency !== undefined) out.currency = currency;
  const pt = fields.get(0x19);
  if (pt) out.paymentType = pt.value[0]!;
  const timeout = fields.get(0x01);
  if (timeout) out.vendingTimeoutSeconds = timeout.value[0]!;
  const max = fields.get(0x02);
  if (max) out.maxStatusInfos = max.value[0]!;
  return out;
}

/** Commands that start with the 3-byte password and may continue with BMPs (06 20, 06 30, 06 50, 05 01). */
export function parsePasswordCommand(data: Buffer): { password?: string; fields: Map<number, BmpField> } {
  if (data.length < 3) return { fields: new Map() };
  return { password: decodeBcd(data.subarray(0, 3)), fields: fieldMap(decodeBmps(data, 3)) };
}

export function describeCommand(a: Apdu): string {
  return `${a.cls.toString(16).padStart(2, "0")} ${a.instr.toString(16).padStart(2, "0")}`;
}
