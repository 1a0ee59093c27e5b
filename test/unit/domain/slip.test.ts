import { generateKeyPairSync } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { holdsCardNumber, luhnValid } from "../../../kiosk/domain/pan.ts";
import { parseReceiptCode, signReceiptCode, verifyReceiptCode } from "../../../kiosk/domain/receipt-code.ts";
import { signText } from "../../../kiosk/domain/signature.ts";
import {
  parseSlip,
  type SlipFields,
  signSlip,
  slipSignedText,
  verifySlip,
} from "../../../kiosk/domain/slip.ts";

const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const ctx = {
  trustedKeys: new Map([["pik2026", publicKey]]),
  officeId: "PZ1465",
  today: "20261125",
  components: new Set(["DR", "TAB", "NAL", "PC", "PC_2", "X9"]),
};

const code = fc.constantFrom("DR", "TAB", "NAL", "PC", "PC_2", "X9");
const amount = fc.integer({ min: 1, max: 99_999_999 });
const day = fc.date({
  min: new Date("2026-01-01T00:00:00Z"),
  max: new Date("2026-11-25T00:00:00Z"),
  noInvalidDate: true,
});
const fields: fc.Arbitrary<SlipFields> = fc
  .record({
    slip: fc.stringMatching(/^[A-Z0-9/-]{1,24}$/).filter((s) => !holdsCardNumber(s)),
    caseRef: fc
      .string({ maxLength: 40 })
      .filter((s) => !/[|\p{Cc}]/u.test(s) && [...s].length <= 40 && !holdsCardNumber(s)),
    issued: day,
    lines: fc.array(fc.record({ code, amount }), { minLength: 1, maxLength: 20 }),
  })
  .map(({ slip, caseRef, issued, lines }) => {
    const iso = issued.toISOString();
    return {
      office: "PZ1465",
      slip,
      caseRef,
      issued: iso.slice(0, 10).replaceAll("-", "") + iso.slice(11, 16).replace(":", ""),
      valid: "20261231",
      total: lines.reduce((a, l) => a + l.amount, 0),
      lines,
      kid: "pik2026",
    };
  });

describe("OPL1 slips", () => {
  it("decode(encode(x)) = x and verifies", () => {
    fc.assert(
      fc.property(fields, (f) => {
        const payload = signSlip(f, privateKey);
        const parsed = parseSlip(payload);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const { sig: _sig, payload: _p, ...decoded } = parsed.slip;
        expect(decoded).toEqual(f);
        expect(verifySlip(payload, ctx).ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("any single-character change to a signed slip is rejected", () => {
    const payload = signSlip(
      {
        office: "PZ1465",
        slip: "S/2026/000123",
        caseRef: "KOM/123/2026",
        issued: "202611251030",
        valid: "20261209",
        total: 16000,
        lines: [
          { code: "DR", amount: 5400 },
          { code: "TAB", amount: 8000 },
          { code: "NAL", amount: 1250 },
          { code: "PC", amount: 1350 },
        ],
        kid: "pik2026",
      },
      privateKey,
    );
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-|/:;";
    fc.assert(
      fc.property(fc.nat({ max: payload.length - 1 }), fc.constantFrom(...alphabet), (i, ch) => {
        fc.pre(payload[i] !== ch);
        const changed = payload.slice(0, i) + ch + payload.slice(i + 1);
        expect(verifySlip(changed, ctx).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("reports the first failing check in the SPEC's order", () => {
    const other = generateKeyPairSync("ed25519").privateKey;
    const base: SlipFields = {
      office: "PZ1465",
      slip: "S/1",
      caseRef: "",
      issued: "202611010900",
      valid: "20261124",
      total: 100,
      lines: [{ code: "ZZ", amount: 99 }],
      kid: "pik2026",
    };
    // Expired, unknown component and wrong total at once: expiry is checked first.
    expect(verifySlip(signSlip(base, privateKey), ctx)).toMatchObject({ ok: false, code: "SLIP_EXPIRED" });
    // A forged signature hides everything behind it.
    expect(verifySlip(signSlip({ ...base, office: "XX1" }, other), ctx)).toMatchObject({
      code: "SLIP_SIGNATURE_INVALID",
    });
    expect(verifySlip(signSlip({ ...base, valid: "20261231" }, privateKey), ctx)).toMatchObject({
      code: "SLIP_UNKNOWN_COMPONENT",
    });
    expect(
      verifySlip(
        signSlip({ ...base, valid: "20261231", lines: [{ code: "DR", amount: 99 }] }, privateKey),
        ctx,
      ),
    ).toMatchObject({ code: "SLIP_TOTAL_MISMATCH" });
    expect(verifySlip(signSlip({ ...base, kid: "nokey" }, privateKey), ctx)).toMatchObject({
      code: "SLIP_UNKNOWN_KEY",
    });
    expect(verifySlip(signSlip({ ...base, office: "WA1" }, privateKey), ctx)).toMatchObject({
      code: "SLIP_WRONG_OFFICE",
    });
    // Valid on its last day, expired the day after (Europe/Warsaw days as given by the caller).
    const lastDay = signSlip(
      { ...base, valid: "20261125", lines: [{ code: "DR", amount: 100 }] },
      privateKey,
    );
    expect(verifySlip(lastDay, ctx).ok).toBe(true);
    expect(verifySlip(lastDay, { ...ctx, today: "20261126" })).toMatchObject({ code: "SLIP_EXPIRED" });
  });

  it("refuses malformed fields as unreadable", () => {
    for (const bad of [
      "",
      "OPL2|PZ1465|S|C|202611251030|20261209|1|DR:1|k|" + "A".repeat(86),
      "OPL1|pz1465|S|C|202611251030|20261209|1|DR:1|k|" + "A".repeat(86),
      "OPL1|PZ1465|S|C|202613251030|20261209|1|DR:1|k|" + "A".repeat(86),
      "OPL1|PZ1465|S|C|202611251030|20261109|1|DR:1|k|" + "A".repeat(86),
      "OPL1|PZ1465|S|C|202611251030|20261209|01|DR:1|k|" + "A".repeat(86),
      "OPL1|PZ1465|S|C|202611251030|20261209|1|DR:0|k|" + "A".repeat(86),
      "OPL1|PZ1465|S|C\u0007|202611251030|20261209|1|DR:1|k|" + "A".repeat(86),
      "OPL1|PZ1465|S|C|202611251030|20261209|1|DR:1|k|" + "A".repeat(85),
    ]) {
      expect(parseSlip(bad).ok, bad).toBe(false);
    }
  });

  it("refuses a slip whose case or slip id holds a card number, and keeps case signs that only pass Luhn", () => {
    const fields = (caseRef: string, slip = "S/2026/1"): SlipFields => ({
      office: "PZ1465",
      slip,
      caseRef,
      issued: "202611251030",
      valid: "20261209",
      total: 100,
      lines: [{ code: "DR", amount: 100 }],
      kid: "k",
    });
    const payload = (f: SlipFields) => `${slipSignedText(f)}|${"A".repeat(86)}`;
    for (const [caseRef, slip] of [
      ["4111111111111111", undefined],
      ["KOM 5555 5555 5555 4444", undefined],
      ["K/4111-1111-1111-1111", undefined],
      ["KOM/1/2026", "4111111111111111"],
    ] as const) {
      const parsed = parseSlip(payload(fields(caseRef, slip)));
      expect(parsed, `${caseRef} ${slip}`).toMatchObject({ ok: false, code: "SLIP_UNREADABLE" });
      expect(JSON.stringify(parsed)).not.toMatch(/4111|5555/);
    }
    // A dotted case sign (Luhn by chance) and digits without a scheme's prefix and length are read.
    expect(luhnValid("5430112342021")).toBe(true);
    expect(parseSlip(payload(fields("WK.5430.1.1234.2021"))).ok).toBe(true);
    expect(parseSlip(payload(fields("1000000000009"))).ok).toBe(true);
  });

  it("reads text that was not UTF-8 as unreadable, before any key or signature is looked at", () => {
    // Signed over exactly the characters received: were they read, the signature would even verify.
    // U+FFFD is what a decoder makes of bytes that are not UTF-8; a lone surrogate has no UTF-8 form.
    for (const caseRef of ["KOM/\uFFFD/2026", "KOM/\uD800/2026", "KOM/\uDC00/2026"]) {
      const fields: SlipFields = {
        office: "PZ1465",
        slip: "S/2026/1",
        caseRef,
        issued: "202611251030",
        valid: "20261209",
        total: 100,
        lines: [{ code: "DR", amount: 100 }],
        kid: "pik2026",
      };
      const text = slipSignedText(fields);
      const payload = `${text}|${signText(text, privateKey)}`;
      expect(verifySlip(payload, ctx), JSON.stringify(caseRef)).toMatchObject({
        ok: false,
        code: "SLIP_UNREADABLE",
      });
      const unknownKid = slipSignedText({ ...fields, kid: "nobody" });
      expect(verifySlip(`${unknownKid}|${signText(unknownKid, privateKey)}`, ctx)).toMatchObject({
        code: "SLIP_UNREADABLE",
      });
    }
    // A slip with Polish letters and an astral character (well-formed) still reads.
    const fine = signSlip(
      {
        office: "PZ1465",
        slip: "S/2026/2",
        caseRef: "Łódź 🚗",
        issued: "202611251030",
        valid: "20261209",
        total: 100,
        lines: [{ code: "DR", amount: 100 }],
        kid: "pik2026",
      },
      privateKey,
    );
    expect(verifySlip(fine, ctx).ok).toBe(true);
  });
});

describe("OPLR1 receipt codes", () => {
  it("round-trips and any change breaks the signature", () => {
    const payload = signReceiptCode(
      {
        kiosk: "K01",
        payment: "K01-20261125-0001",
        office: "PZ1465",
        slip: null,
        total: 16200,
        paidAt: "20261125103015",
        kid: "K01",
      },
      privateKey,
    );
    expect(payload.split("|")[4]).toBe("-");
    const keys = new Map([["K01", publicKey]]);
    expect(verifyReceiptCode(payload, keys)).toMatchObject({ ok: true, code: { total: 16200, slip: null } });
    expect(verifyReceiptCode(payload.replace("16200", "16201"), keys)).toEqual({
      ok: false,
      error: "RECEIPT_SIGNATURE_INVALID",
    });
    expect(verifyReceiptCode(payload, new Map())).toEqual({ ok: false, error: "RECEIPT_UNKNOWN_KEY" });
    expect(parseReceiptCode("OPLR1|x").ok).toBe(false);
  });
});
