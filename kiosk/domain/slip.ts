/**
 * The OPL1 payment slip (SPEC §1): encode, decode and verify. The checks run in the SPEC's order
 * and the first that fails is reported; nothing of an unauthenticated slip is interpreted beyond
 * its syntax. The local payment record and the office system are checked later by the flow.
 */
import type { KeyObject } from "node:crypto";
import { compactDay, isRealDay } from "./time.ts";
import { KID_PATTERN, signText, splitFields, verifyText } from "./signature.ts";
import { holdsCardNumber } from "./pan.ts";
import { isUtf8Text } from "./utf8-text.ts";

import type { SlipErrorCode } from "./slip-codes.ts";

export { SLIP_ERROR_CODES, type SlipErrorCode } from "./slip-codes.ts";

export interface SlipLine {
  code: string;
  amount: number;
}

export interface SlipFields {
  office: string;
  slip: string;
  caseRef: string;
  /** `YYYYMMDDhhmm`, Europe/Warsaw. */
  issued: string;
  /** `YYYYMMDD`, last day it may be paid, inclusive. */
  valid: string;
  total: number;
  lines: SlipLine[];
  kid: string;
}

export interface Slip extends SlipFields {
  sig: string;
  /** The exact payload, kept as evidence. */
  payload: string;
}

/** Longer than any valid slip can be (20 lines of 16+1+9 characters plus the other fields); refused unread. */
export const MAX_SLIP_LENGTH = 1024;

const OFFICE = /^[A-Z0-9-]{1,16}$/;
const SLIP_ID = /^[A-Z0-9/-]{1,24}$/;
const ISSUED = /^\d{12}$/;
const VALID = /^\d{8}$/;
const AMOUNT = /^[1-9][0-9]{0,8}$/;
const CODE = /^[A-Z0-9_]{1,16}$/;
const CASE_FORBIDDEN = /[|\u0000-\u001f\u007f-\u009f]/;

export type ParseResult = { ok: true; slip: Slip } | { ok: false; code: "SLIP_UNREADABLE"; detail: string };

function unreadable(detail: string): ParseResult {
  return { ok: false, code: "SLIP_UNREADABLE", detail };
}

function validIssued(issued: string): boolean {
  if (!ISSUED.test(issued) || !isRealDay(issued.slice(0, 8))) return false;
  const hh = Number(issued.slice(8, 10));
  const mm = Number(issued.slice(10, 12));
  return hh <= 23 && mm <= 59;
}

/** Syntax only: every field well-formed. Says nothing about authenticity. */
export function parseSlip(payload: string): ParseResult {
  if (typeof payload !== "string" || payload.length === 0) return unreadable("empty");
  if (payload.length > MAX_SLIP_LENGTH) return unreadable("too long");
  if (!isUtf8Text(payload)) return unreadable("not UTF-8");
  const f = splitFields(payload, 10);
  if (!f) return unreadable(`expected 10 fields, got ${payload.split("|").length}`);
  const [magic, office, slip, caseRef, issued, valid, total, lines, kid, sig] = f;
  if (magic !== "OPL1") return unreadable("not an OPL1 slip");
  if (!OFFICE.test(office)) return unreadable("office");
  if (!SLIP_ID.test(slip)) return unreadable("slip id");
  if ([...caseRef].length > 40 || CASE_FORBIDDEN.test(caseRef)) return unreadable("case reference");
  // A card number in the slip or case field would be kept in the sessions, the messages to PiK and
  // settlement and the exports (the payload itself is stored): such a slip is not taken.
  if (holdsCardNumber(slip) || holdsCardNumber(caseRef))
    return unreadable("holds what looks like a card number");
  if (!validIssued(issued)) return unreadable("issue time");
  if (!VALID.test(valid) || !isRealDay(valid)) return unreadable("validity date");
  if (valid < issued.slice(0, 8)) return unreadable("valid before issued");
  if (!AMOUNT.test(total)) return unreadable("total");
  const parts = lines.split(";");
  if (parts.length < 1 || parts.length > 20) return unreadable("number of lines");
  const parsedLines: SlipLine[] = [];
  for (const part of parts) {
    const m = /^([^:]*):([^:]*)$/.exec(part);
    if (!m || !CODE.test(m[1] ?? "") || !AMOUNT.test(m[2] ?? "")) return unreadable("line");
    parsedLines.push({ code: m[1] as string, amount: Number(m[2]) });
  }
  if (!KID_PATTERN.test(kid)) return unreadable("kid");
  if (!/^[A-Za-z0-9_-]{86}$/.test(sig)) return unreadable("signature syntax");
  return {
    ok: true,
    slip: {
      office,
      slip,
      caseRef,
      issued,
      valid,
      total: Number(total),
      lines: parsedLines,
      kid,
      sig,
      payload,
    },
  };
}

/** The signed part: fields 1–9 joined by `|`. */
export function slipSignedText(fields: SlipFields): string {
  return [
    "OPL1",
    fields.office,
    fields.slip,
    fields.caseRef,
    fields.issued,
    fields.valid,
    String(fields.total),
    fields.lines.map((l) => `${l.code}:${l.amount}`).join(";"),
    fields.kid,
  ].join("|");
}

/** Encodes and signs a slip (what the office system does; used by the CLI, the demo and tests). */
export function signSlip(fields: SlipFields, privateKey: KeyObject): string {
  const text = slipSignedText(fields);
  const payload = `${text}|${signText(text, privateKey)}`;
  const parsed = parseSlip(payload);
  if (!parsed.ok) throw new RangeError(`slip fields are not valid: ${parsed.detail}`);
  return payload;
}

/**
 * Today as a slip's dates count it: SPEC §1 writes `issued` and `valid` in Europe/Warsaw and checks
 * "today (Europe/Warsaw)", whatever zone the kiosk itself shows times in (`kiosk.timezone`).
 */
export function slipToday(now: Date): string {
  return compactDay(now, "Europe/Warsaw");
}

export interface SlipCheckContext {
  trustedKeys: ReadonlyMap<string, KeyObject>;
  officeId: string;
  /** Today in Europe/Warsaw, `YYYYMMDD`. */
  today: string;
  components: ReadonlySet<string>;
}

export type VerifyResult = { ok: true; slip: Slip } | { ok: false; code: SlipErrorCode; detail?: string };

/**
 * The first checks of SPEC §1: syntax, a trusted key, the signature, the office. Enough to know the
 * office issued this slip (a reprint of a paid slip needs no more: its validity may have passed).
 */
export function authenticSlip(
  payload: string,
  ctx: Pick<SlipCheckContext, "trustedKeys" | "officeId">,
): VerifyResult {
  const parsed = parseSlip(payload);
  if (!parsed.ok) return parsed;
  const slip = parsed.slip;
  const key = ctx.trustedKeys.get(slip.kid);
  if (!key) return { ok: false, code: "SLIP_UNKNOWN_KEY" };
  const signedText = payload.slice(0, payload.lastIndexOf("|"));
  if (!verifyText(signedText, slip.sig, key)) return { ok: false, code: "SLIP_SIGNATURE_INVALID" };
  if (slip.office !== ctx.officeId) return { ok: false, code: "SLIP_WRONG_OFFICE" };
  return { ok: true, slip };
}

/** Every check of SPEC §1 that needs neither the database nor the office system, in the SPEC's order. */
export function verifySlip(payload: string, ctx: SlipCheckContext): VerifyResult {
  const authentic = authenticSlip(payload, ctx);
  if (!authentic.ok) return authentic;
  const slip = authentic.slip;
  if (ctx.today > slip.valid) return { ok: false, code: "SLIP_EXPIRED" };
  const unknown = slip.lines.find((l) => !ctx.components.has(l.code));
  if (unknown) return { ok: false, code: "SLIP_UNKNOWN_COMPONENT", detail: unknown.code };
  const sumOfLines = slip.lines.reduce((acc, l) => acc + l.amount, 0);
  if (sumOfLines !== slip.total) return { ok: false, code: "SLIP_TOTAL_MISMATCH" };
  return { ok: true, slip };
}
