/**
 * Fuzzing the ZVT codec the way a broken cable or a hostile terminal would: the serial frame
 * decoder, the TCP APDU splitter, BMP and TLV parsers and the message parsers. Decoders either
 * answer or throw a RangeError the driver handles; they never throw anything else, never deliver a
 * frame the CRC does not vouch for, and never let a full card number through. 100 000 inputs per
 * property under FUZZ_LONG=1.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ApduStreamReader, decodeApdu, encodeApdu } from "../../devices/terminal/zvt/apdu.ts";
import { BMP_RULES, decodeBmps, encodeBmp } from "../../devices/terminal/zvt/bmp.ts";
import { DLE, encodeFrame, type FrameEvent, FrameDecoder } from "../../devices/terminal/zvt/framing.ts";
import {
  parseCompletion,
  parseIntermediateStatus,
  parsePrintLine,
  parsePrintTextBlock,
  parsePtAbort,
  parseStatusInformation,
  statusInformationData,
} from "../../devices/terminal/zvt/messages.ts";
import { decodeTlv, encodeTlv, type TlvNode } from "../../devices/terminal/zvt/tlv.ts";
import { params, runs, timeLimit } from "./budget.ts";

const N = runs(100_000, 1_000);
const LIMIT = timeLimit(1_800_000);

const bytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((a) => Buffer.from(a));
const apdu = fc.record({
  cls: fc.integer({ min: 0, max: 255 }),
  instr: fc.integer({ min: 0, max: 255 }),
  data: fc.oneof(bytes(300), fc.constant(Buffer.alloc(0))),
});

/** Cuts a byte string into pieces at arbitrary points, as reads from a serial line arrive. */
function chunked(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    out.push(buf.subarray(from, p));
    from = p;
  }
  out.push(buf.subarray(from));
  return out;
}

function decodeAll(pieces: Buffer[]): FrameEvent[] {
  const decoder = new FrameDecoder();
  return pieces.flatMap((p) => decoder.push(p));
}

/** Runs a parser; true when it answered or refused with a RangeError (the only refusal the driver expects). */
function answersOrRefuses(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch (e) {
    if (e instanceof RangeError) return true;
    throw e;
  }
}

describe("ZVT serial framing (DLE STX … DLE ETX CRC)", () => {
  it(
    "decodes the same events however the bytes are split across reads",
    () => {
      fc.assert(
        fc.property(bytes(200), fc.array(fc.nat(), { maxLength: 8 }), (raw, cuts) => {
          expect(decodeAll(chunked(raw, cuts))).toEqual(decodeAll([raw]));
        }),
        params(N),
      );
    },
    LIMIT,
  );

  it(
    "delivers every encoded APDU intact, after line noise that holds no DLE",
    () => {
      fc.assert(
        fc.property(
          apdu,
          bytes(20).map((b) => b.filter((x) => x !== DLE)),
          fc.array(fc.nat(), { maxLength: 6 }),
          (a, noise, cuts) => {
            const wire = Buffer.concat([noise, encodeFrame(encodeApdu(a))]);
            const frames = decodeAll(chunked(wire, cuts)).filter((e) => e.type === "frame");
            expect(frames).toEqual([{ type: "frame", apdu: encodeApdu(a) }]);
          },
        ),
        params(N),
      );
    },
    LIMIT,
  );

  it(
    "never delivers a frame with one bit flipped in its data or CRC",
    () => {
      fc.assert(
        fc.property(apdu, fc.nat(), fc.integer({ min: 0, max: 7 }), (a, at, bit) => {
          const wire = Buffer.from(encodeFrame(encodeApdu(a)));
          // Flip a bit after DLE STX and outside DLE bytes, so the frame's boundaries stay where they were.
          const candidates = [...wire.keys()].filter(
            (i) =>
              i >= 2 &&
              i !== wire.length - 4 &&
              wire[i] !== DLE &&
              wire[i - 1] !== DLE &&
              (wire[i]! ^ (1 << bit)) !== DLE,
          );
          if (candidates.length === 0) return;
          const i = candidates[at % candidates.length]!;
          wire[i] = wire[i]! ^ (1 << bit);
          expect(decodeAll([wire]).some((e) => e.type === "frame")).toBe(false);
        }),
        params(N),
      );
    },
    LIMIT,
  );
});

describe("ZVT APDUs over TCP", () => {
  it(
    "splits any run of APDUs back into the same APDUs however the reads are cut",
    () => {
      fc.assert(
        fc.property(fc.array(apdu, { maxLength: 5 }), fc.array(fc.nat(), { maxLength: 8 }), (list, cuts) => {
          const wire = Buffer.concat(list.map(encodeApdu));
          const reader = new ApduStreamReader();
          const out = chunked(wire, cuts).flatMap((c) => reader.push(Buffer.from(c)));
          expect(out.map(decodeApdu)).toEqual(list);
          expect(reader.pending).toBe(0);
        }),
        params(N),
      );
    },
    LIMIT,
  );

  it(
    "answers or refuses arbitrary bytes with a RangeError",
    () => {
      fc.assert(
        fc.property(bytes(600), (raw) => {
          new ApduStreamReader().push(raw);
          return answersOrRefuses(() => decodeApdu(raw));
        }),
        params(N),
      );
    },
    LIMIT,
  );
});

const primitiveTag = fc.integer({ min: 0, max: 0xff }).filter((t) => (t & 0x1f) !== 0x1f && (t & 0x20) === 0);
const constructedTag = fc
  .integer({ min: 0, max: 0xff })
  .filter((t) => (t & 0x1f) !== 0x1f && (t & 0x20) !== 0);
const tlvTree: fc.Arbitrary<TlvNode[]> = fc.letrec<{ nodes: TlvNode[]; node: TlvNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ tag: primitiveTag, value: bytes(40) }),
    fc.record({ tag: constructedTag, children: tie("nodes") }).map((n) => ({
      tag: n.tag,
      value: encodeTlv(n.children),
      children: n.children,
    })),
  ),
  nodes: fc.array(tie("node"), { maxLength: 4 }),
})).nodes;

describe("ZVT BMP and TLV parsers", () => {
  it(
    "reads back every TLV tree it wrote",
    () => {
      fc.assert(
        fc.property(tlvTree, (tree) => {
          expect(decodeTlv(encodeTlv(tree))).toEqual(tree);
        }),
        params(N),
      );
    },
    LIMIT,
  );

  const knownBmp = fc.constantFrom(...BMP_RULES.keys()).chain((bmp) => {
    const rule = BMP_RULES.get(bmp)!;
    const value =
      rule.kind === "fixed"
        ? fc.uint8Array({ minLength: rule.length, maxLength: rule.length }).map((a) => Buffer.from(a))
        : rule.kind === "llvar"
          ? bytes(99)
          : rule.kind === "lllvar"
            ? bytes(999)
            : tlvTree.map((t) => encodeTlv(t));
    return value.map((v) => ({ bmp, value: v }));
  });

  it(
    "reads back every run of BMP fields it wrote",
    () => {
      fc.assert(
        fc.property(fc.array(knownBmp, { maxLength: 6 }), (fields) => {
          const decoded = decodeBmps(Buffer.concat(fields.map((f) => encodeBmp(f.bmp, f.value))));
          expect(decoded.map((f) => ({ bmp: f.bmp, value: f.value }))).toEqual(fields);
        }),
        params(N),
      );
    },
    LIMIT,
  );

  it(
    "answers or refuses arbitrary bytes with a RangeError in every parser",
    () => {
      fc.assert(
        fc.property(bytes(400), (raw) =>
          [
            () => decodeTlv(raw),
            () => decodeBmps(raw),
            () => parseStatusInformation(raw),
            () => parseStatusInformation(raw, "iso-8859-2"),
            () => parseCompletion(raw),
            () => parseIntermediateStatus(raw),
            () => parsePtAbort(raw),
            () => parsePrintLine(raw),
            () => parsePrintTextBlock(raw),
          ].every(answersOrRefuses),
        ),
        params(N),
      );
    },
    LIMIT,
  );

  it(
    "answers or refuses BMP runs with damaged lengths and values with a RangeError",
    () => {
      fc.assert(
        fc.property(
          fc.array(knownBmp, { minLength: 1, maxLength: 4 }),
          fc.nat(),
          fc.integer({ min: 0, max: 255 }),
          (fields, at, b) => {
            const wire = Buffer.concat(fields.map((f) => encodeBmp(f.bmp, f.value)));
            wire[at % wire.length] = b;
            return (
              answersOrRefuses(() => parseStatusInformation(wire)) && answersOrRefuses(() => decodeBmps(wire))
            );
          },
        ),
        params(N),
      );
    },
    LIMIT,
  );

  it(
    "never lets a full card number out of a status information",
    () => {
      fc.assert(
        fc.property(
          fc.stringMatching(/^[0-9]{13,19}$/),
          fc.integer({ min: 1, max: 99_999_999 }),
          fc.integer({ min: 0, max: 255 }),
          (pan, amount, resultCode) => {
            const info = parseStatusInformation(
              statusInformationData({ resultCode, amount, pan, authCode: "123456" }),
            );
            expect(info.maskedPan).toBe(`${"*".repeat(pan.length - 4)}${pan.slice(-4)}`);
            expect(JSON.stringify(info)).not.toContain(pan.slice(0, 10));
          },
        ),
        params(N),
      );
    },
    LIMIT,
  );
});
