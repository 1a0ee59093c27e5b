/**
 * Fields real terminals put into a Status-Information that a strict parser may not know (profile
 * `unknown-bmps`): E8 as LLVAR, FB, FC, FD, the display-image BMPs 70–75, a BMP in no table, and a vendor
 * TLV tag with the constructed bit on a value that is not TLV. Lengths follow PA00P015 13.08 §13.
 */
import { encodeTlv } from "../../terminal/zvt/tlv.ts";

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ""), "hex");

/** Appended after the known fields (field order is free, PA00P015 §3.1.1). */
export function unknownFieldBytes(): Buffer {
  const vendorTlv = encodeTlv([
    { tag: 0x1f10, value: Buffer.from([0x02]) },
    // Constructed bit set (E1), yet the value is not TLV: a parser must keep it raw.
    { tag: 0xe1, value: h("FF FF 00") },
  ]);
  return Buffer.concat([
    h("E8 F0 F8 4F 50 4C 53 49 4D 20 38"), // text2 line 8, LLVAR "OPLSIM 8"
    h("FB 00 FC 01 FD 00"),
    h("70 00 00 00 2A 71 00 00 04 00 72 03 73 01 74 01 75 01"),
    h("7E F0 F2 AB CD"), // in no table: LLVAR-shaped
    Buffer.concat([Buffer.from([0x06, vendorTlv.length]), vendorTlv]),
  ]);
}

/** BMP 22 as girocard terminals send it: masked PAN, D separator, expiry and service code after it. */
export const PAN_WITH_SEPARATOR = "672000******0049D2812201";
