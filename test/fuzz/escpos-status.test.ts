/**
 * Fuzzing the ESC/POS status reader with what a printer's back channel can carry: real-time
 * replies, automatic status back blocks, GS r replies and noise, cut into reads anywhere. The
 * reader must hear the same thing however the bytes are split, and never invent a paper-out or a
 * cover-open that the bytes did not say (the kiosk goes out of order on those).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asbToStatus, StatusReader } from "../../devices/printer/status.ts";
import { params, runs, timeLimit } from "./budget.ts";

const N = runs(100_000, 2_000);
const LIMIT = timeLimit(1_800_000);

function readAll(pieces: Uint8Array[]) {
  const reader = new StatusReader();
  return pieces.flatMap((p) => reader.push(p));
}

function cut(buf: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    out.push(buf.subarray(from, p));
    from = p;
  }
  out.push(buf.subarray(from));
  return out;
}

/** A well-formed automatic status back block (first byte: bit 4 set, bits 0, 1, 7 clear). */
const asbBlock = fc
  .tuple(
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 255 }),
  )
  .map(([a, b, c, d]) => [(a & ~0x93) | 0x10, b, c, d]);

describe("ESC/POS status reader", () => {
  it(
    "hears the same messages however the back channel's bytes are split",
    () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 120 }), fc.array(fc.nat(), { maxLength: 10 }), (raw, cuts) => {
          expect(readAll(cut(raw, cuts))).toEqual(readAll([raw]));
        }),
        params(N),
      );
    },
    LIMIT,
  );

  it(
    "reports each status back block as exactly the status its bits say, amid GS r replies",
    () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.oneof(
              asbBlock,
              fc.integer({ min: 0, max: 0x0f }).map((b) => [b]),
            ),
            { maxLength: 12 },
          ),
          fc.array(fc.nat(), { maxLength: 10 }),
          (parts, cuts) => {
            const raw = Uint8Array.from(parts.flat());
            const messages = readAll(cut(raw, cuts));
            expect(messages).toHaveLength(parts.length);
            messages.forEach((m, i) => {
              const part = parts[i]!;
              if (part.length === 4) {
                expect(m).toMatchObject({ kind: "asb", status: asbToStatus(part), bytes: part });
              } else {
                expect(m).toMatchObject({ kind: "paper", byte: part[0] });
              }
            });
          },
        ),
        params(N),
      );
    },
    LIMIT,
  );

  it(
    "never reports paper out or the cover open from a status back block that says neither",
    () => {
      fc.assert(
        fc.property(asbBlock, ([a, b, c, d]) => {
          const calm = [a! & ~0x28, b!, c! & ~0x0c, d!];
          const status = asbToStatus(calm);
          return status.paper !== "out" && !status.coverOpen;
        }),
        params(N),
      );
    },
    LIMIT,
  );
});
