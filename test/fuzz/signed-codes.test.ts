/**
 * Fuzzing the two signed QR formats (SPEC §1, §2): whatever a reader delivers — random text, a real
 * code with a character changed, a field swapped from another code, a code signed by a stranger
 * under a trusted kid — the verifier answers with one of its error codes and accepts nothing but a
 * payload a trusted key really signed. 1 000 000 inputs per format under FUZZ_LONG=1.
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ReceiptCodeFields,
  signReceiptCode,
  verifyReceiptCode,
} from "../../kiosk/domain/receipt-code.ts";
import { SLIP_ERROR_CODES, type SlipFields, signSlip, verifySlip } from "../../kiosk/domain/slip.ts";
import { params, runs, timeLimit } from "./budget.ts";

const trusted = generateKeyPairSync("ed25519");
const stranger = generateKeyPairSync("ed25519");
const KID = "pik2026";
const trustedKeys: ReadonlyMap<string, KeyObject> = new Map([[KID, trusted.publicKey]]);
const COMPONENTS = ["DR", "TAB", "NAL", "PC", "PEL"];
const slipContext = {
  trustedKeys,
  officeId: "PZ1465",
  // Validity is not what this suite tests: every generated slip is still valid "today".
  today: "20000101",
  components: new Set(COMPONENTS),
};

const day = fc
  .date({ min: new Date("2001-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll("-", ""));

const slipFields: fc.Arbitrary<SlipFields> = fc
  .record({
    slip: fc.stringMatching(/^[A-Z0-9/-]{1,24}$/),
    caseRef: fc.stringMatching(/^[A-Za-z0-9/ .ąćęłńóśźżŁŚŻ-]{0,40}$/),
    issuedDay: day,
    hh: fc.integer({ min: 0, max: 23 }),
    mm: fc.integer({ min: 0, max: 59 }),
    extraDays: fc.integer({ min: 0, max: 30 }),
    lines: fc.array(
      fc.record({ code: fc.constantFrom(...COMPONENTS), amount: fc.integer({ min: 1, max: 49_999_999 }) }),
      { minLength: 1, maxLength: 20 },
    ),
  })
  .map((r) => {
    const issued = `${r.issuedDay}${String(r.hh).padStart(2, "0")}${String(r.mm).padStart(2, "0")}`;
    const validDate = new Date(
      Date.UTC(
        +r.issuedDay.slice(0, 4),
        +r.issuedDay.slice(4, 6) - 1,
        +r.issuedDay.slice(6, 8) + r.extraDays,
      ),
    );
    return {
      office: "PZ1465",
      slip: r.slip,
      caseRef: r.caseRef,
      issued,
      valid: validDate.toISOString().slice(0, 10).replaceAll("-", ""),
      total: r.lines.reduce((a, l) => a + l.amount, 0),
      lines: r.lines,
      kid: KID,
    };
  });

const receiptFields: fc.Arbitrary<ReceiptCodeFields> = fc.record({
  kiosk: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
  payment: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
  office: fc.stringMatching(/^[A-Z0-9-]{1,16}$/),
  slip: fc.option(fc.stringMatching(/^[A-Z0-9/-]{1,24}$/), { nil: null }),
  total: fc.integer({ min: 1, max: 99_999_999_999 }),
  paidAt: fc.stringMatching(/^\d{14}$/),
  kid: fc.constant(KID),
});

/** Text a reader might deliver: any Unicode, QR-ish ASCII, or ten/nine `|`-separated pieces. */
function randomPayload(magic: string, fields: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: "binary", maxLength: 300 }),
    fc.string({ unit: "grapheme-ascii", maxLength: 300 }),
    fc
      .array(fc.string({ unit: "grapheme-ascii", maxLength: 30 }), {
        minLength: fields - 1,
        maxLength: fields - 1,
      })
      .map((rest) => [magic, ...rest].join("|")),
  );
}

/** A signed code altered the ways a damaged print, a bad reader or a forger would alter it. */
function mutations(corpus: string[]): fc.Arbitrary<string> {
  const base = fc.constantFrom(...corpus);
  const splice = fc
    .record({
      base,
      at: fc.nat(),
      cut: fc.integer({ min: 0, max: 3 }),
      insert: fc.string({ unit: "binary", maxLength: 3 }),
    })
    .map(({ base: b, at, cut, insert }) => {
      const i = at % (b.length + 1);
      return b.slice(0, i) + insert + b.slice(i + cut);
    });
  const fieldSwap = fc
    .record({ a: base, b: base, field: fc.nat(), own: fc.boolean(), text: fc.string({ maxLength: 40 }) })
    .map(({ a, b, field, own, text }) => {
      const fa = a.split("|");
      const fb = b.split("|");
      const i = field % fa.length;
      fa[i] = own ? text : (fb[i] ?? text);
      return fa.join("|");
    });
  const bitFlip = fc
    .record({ base, at: fc.nat(), bit: fc.integer({ min: 0, max: 6 }) })
    .map(({ base: b, at, bit }) => {
      const i = at % b.length;
      return b.slice(0, i) + String.fromCharCode(b.charCodeAt(i) ^ (1 << bit)) + b.slice(i + 1);
    });
  return fc.oneof(splice, fieldSwap, bitFlip);
}

describe("OPL1 slips under hostile input", () => {
  const corpus = fc
    .sample(slipFields, { numRuns: 64, seed: 20261125 })
    .map((f) => signSlip(f, trusted.privateKey));
  const signed = new Set(corpus);
  const codes = new Set<string>(SLIP_ERROR_CODES);

  /** Accepted only if a trusted key signed exactly this text; refused only with a SPEC error code. */
  function check(payload: string): boolean {
    const result = verifySlip(payload, slipContext);
    return result.ok ? signed.has(payload) : codes.has(result.code);
  }

  it(
    "answers random text with an error code and accepts none of it",
    () => {
      fc.assert(fc.property(randomPayload("OPL1", 10), check), params(runs(300_000, 2_000)));
    },
    timeLimit(3_600_000),
  );

  it(
    "accepts no altered slip: changed characters, swapped fields, flipped bits",
    () => {
      fc.assert(fc.property(mutations(corpus), check), params(runs(500_000, 3_000)));
    },
    timeLimit(3_600_000),
  );

  it(
    "refuses a slip signed by an untrusted key under a trusted kid as SLIP_SIGNATURE_INVALID",
    () => {
      fc.assert(
        fc.property(slipFields, (fields) => {
          const forged = signSlip(fields, stranger.privateKey);
          expect(verifySlip(forged, slipContext)).toEqual({ ok: false, code: "SLIP_SIGNATURE_INVALID" });
        }),
        params(runs(100_000, 300)),
      );
    },
    timeLimit(3_600_000),
  );

  it(
    "accepts every genuinely signed slip with the fields it was issued with",
    () => {
      fc.assert(
        fc.property(slipFields, (fields) => {
          const result = verifySlip(signSlip(fields, trusted.privateKey), slipContext);
          expect(result.ok).toBe(true);
          if (result.ok) {
            expect(result.slip.slip).toBe(fields.slip);
            expect(result.slip.caseRef).toBe(fields.caseRef);
            expect(result.slip.total).toBe(fields.total);
            expect(result.slip.lines).toEqual(fields.lines);
          }
        }),
        params(runs(100_000, 300)),
      );
    },
    timeLimit(3_600_000),
  );
});

describe("OPLR1 receipt codes under hostile input", () => {
  const corpus = fc
    .sample(receiptFields, { numRuns: 64, seed: 20261126 })
    .map((f) => signReceiptCode(f, trusted.privateKey));
  const signed = new Set(corpus);
  const errors = new Set(["RECEIPT_UNREADABLE", "RECEIPT_UNKNOWN_KEY", "RECEIPT_SIGNATURE_INVALID"]);

  function check(payload: string): boolean {
    const result = verifyReceiptCode(payload, trustedKeys);
    return result.ok ? signed.has(payload) : errors.has(result.error);
  }

  it(
    "answers random text with an error and accepts none of it",
    () => {
      fc.assert(fc.property(randomPayload("OPLR1", 9), check), params(runs(300_000, 2_000)));
    },
    timeLimit(3_600_000),
  );

  it(
    "accepts no altered receipt code",
    () => {
      fc.assert(fc.property(mutations(corpus), check), params(runs(500_000, 3_000)));
    },
    timeLimit(3_600_000),
  );

  it(
    "refuses a code signed by a stranger, and verifies every genuine one to its fields",
    () => {
      fc.assert(
        fc.property(receiptFields, (fields) => {
          expect(verifyReceiptCode(signReceiptCode(fields, stranger.privateKey), trustedKeys)).toEqual({
            ok: false,
            error: "RECEIPT_SIGNATURE_INVALID",
          });
          const genuine = verifyReceiptCode(signReceiptCode(fields, trusted.privateKey), trustedKeys);
          expect(
            genuine.ok && genuine.code.payment === fields.payment && genuine.code.total === fields.total,
          ).toBe(true);
        }),
        params(runs(200_000, 300)),
      );
    },
    timeLimit(3_600_000),
  );
});
