/** Round trips that must hold for any bytes, especially the framing bytes 0x10 and 0x03. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ApduStreamReader, decodeApdu, encodeApdu } from "../../../devices/terminal/zvt/apdu.ts";
import { decodeBmps, encodeBmp } from "../../../devices/terminal/zvt/bmp.ts";
import { encodeFrame, FrameDecoder, stuff, unstuff } from "../../../devices/terminal/zvt/framing.ts";
import { decodeTlv, encodeTlv, type TlvNode } from "../../../devices/terminal/zvt/tlv.ts";

/** Bytes where DLE and ETX (and STX, ACK, NAK) are common. */
const nastyByte = fc.oneof(
  fc.constantFrom(0x10, 0x03, 0x02, 0x06, 0x15, 0xff),
  fc.integer({ min: 0, max: 255 }),
);
const nastyBytes = (max: number) => fc.array(nastyByte, { maxLength: max }).map((a) => Buffer.from(a));

const apduArb = fc.record({
  cls: nastyByte,
  instr: nastyByte,
  data: fc.oneof(nastyBytes(300), nastyBytes(20)),
});

describe("serial framing", () => {
  it("unstuff(stuff(x)) = x", () => {
    fc.assert(
      fc.property(nastyBytes(600), (x) => {
        expect(unstuff(stuff(x))).toEqual(x);
      }),
    );
  });

  it("an APDU full of 0x10 and 0x03 survives framing, however the bytes are split", () => {
    fc.assert(
      fc.property(apduArb, fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 20 }), (apdu, cuts) => {
        const bytes = encodeApdu(apdu);
        const frame = encodeFrame(bytes);
        const decoder = new FrameDecoder();
        const events = [];
        let i = 0;
        for (const cut of cuts) {
          events.push(...decoder.push(frame.subarray(i, i + cut)));
          i += cut;
        }
        events.push(...decoder.push(frame.subarray(i)));
        expect(events).toEqual([{ type: "frame", apdu: bytes }]);
        expect(decodeApdu(bytes)).toEqual(apdu);
      }),
    );
  });

  it("any single corrupted byte of a frame is never delivered as a different APDU", () => {
    fc.assert(
      fc.property(apduArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (apdu, at, flip) => {
        const bytes = encodeApdu(apdu);
        const frame = Buffer.from(encodeFrame(bytes));
        const index = at % frame.length;
        frame[index] = frame[index]! ^ flip;
        const delivered = new FrameDecoder().push(frame).filter((e) => e.type === "frame");
        for (const e of delivered) if (e.type === "frame") expect(e.apdu).toEqual(bytes);
      }),
    );
  });
});

describe("TCP stream", () => {
  it("splits any sequence of APDUs, in any segmentation, back into the same APDUs", () => {
    fc.assert(
      fc.property(
        fc.array(apduArb, { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 400 }), { maxLength: 10 }),
        (apdus, cuts) => {
          const stream = Buffer.concat(apdus.map(encodeApdu));
          const reader = new ApduStreamReader();
          const out: Buffer[] = [];
          let i = 0;
          for (const cut of cuts) {
            out.push(...reader.push(stream.subarray(i, i + cut)));
            i += cut;
          }
          out.push(...reader.push(stream.subarray(i)));
          expect(out.map((b) => decodeApdu(b))).toEqual(apdus);
        },
      ),
    );
  });

  it("uses the FF extended length, low byte first, above 254 bytes", () => {
    const big = encodeApdu({ cls: 0x06, instr: 0xd3, data: Buffer.alloc(0x0461) });
    expect(big.subarray(0, 5)).toEqual(Buffer.from([0x06, 0xd3, 0xff, 0x61, 0x04]));
    expect(encodeApdu({ cls: 0x06, instr: 0xd3, data: Buffer.alloc(254) })[2]).toBe(254);
  });
});

describe("BMP and TLV", () => {
  it("LLVAR/LLLVAR/TLV BMPs round-trip", () => {
    fc.assert(
      fc.property(nastyBytes(99), nastyBytes(999), nastyBytes(300), (ll, lll, tlv) => {
        const data = Buffer.concat([
          encodeBmp(0x22, ll),
          encodeBmp(0x3c, lll),
          encodeBmp(0x8a, Buffer.from([7])),
        ]);
        const fields = decodeBmps(data);
        expect(fields.map((f) => f.value)).toEqual([ll, lll, Buffer.from([7])]);
        const wrapped = encodeBmp(0x06, encodeTlv([{ tag: 0x1f10, value: tlv }]));
        expect(decodeBmps(wrapped)[0]?.tlv?.[0]?.value).toEqual(tlv);
      }),
    );
  });

  it("nested TLV with multi-byte tags and long lengths round-trips", () => {
    const node: fc.Arbitrary<TlvNode> = fc.record({
      tag: fc.constantFrom(0x07, 0x09, 0x14, 0x1f07, 0x1f10, 0x1f73, 0x43),
      value: nastyBytes(300),
    });
    fc.assert(
      fc.property(fc.array(node, { maxLength: 6 }), (children) => {
        const tree: TlvNode[] = [{ tag: 0x25, value: Buffer.alloc(0), children }];
        const decoded = decodeTlv(encodeTlv(tree));
        expect(decoded[0]?.children?.map((c) => [c.tag, c.value])).toEqual(
          children.map((c) => [c.tag, c.value]),
        );
      }),
    );
  });
});
