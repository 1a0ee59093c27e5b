import { describe, expect, it } from "vitest";
import { plausiblePan, scrubbedJson } from "../../../kiosk/domain/pan.ts";

describe("what could be a card number", () => {
  it.each([
    ["Visa test card", "4111111111111111"],
    ["Mastercard test card", "5555555555554444"],
    ["Mastercard 2-series test card", "2223003122003222"],
    ["American Express test card", "378282246310005"],
    ["Diners Club test card", "30569309025904"],
    ["Maestro test card", "6759649826438453"],
    ["JCB test card", "3530111333300000"],
  ])("is a %s", (_what, digits) => {
    expect(plausiblePan(digits)).toBe(true);
  });

  it("is not a Luhn-valid 14-digit timestamp of a receipt code", () => {
    expect(plausiblePan("20261205231651")).toBe(false);
  });

  it("is not a card number with one digit changed", () => {
    expect(plausiblePan("4111111111111112")).toBe(false);
  });
});

describe("scrubbedJson: card numbers masked in JSON that stays JSON", () => {
  it("masks strings, keys and numbers and keeps the text parseable", () => {
    const text = scrubbedJson({
      reason: "card 4111 1111 1111 1111 refused",
      4111111111111111: "as a key",
      count: 4111111111111111,
      nested: [{ pan: "5500000000000004" }, 12],
      total: 16000,
    });
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(parsed).toEqual({
      reason: "card ************1111 refused",
      "************1111": "as a key",
      count: "************1111",
      nested: [{ pan: "************0004" }, 12],
      total: 16000,
    });
    expect(text).not.toMatch(/4111111111111111|5500000000000004/);
  });

  it("writes what JSON.stringify writes when nothing looks like a card number", () => {
    const value = { a: 1, b: "KOM/123/2026", c: [null, true, { d: 1.5 }], e: undefined, f: new Date(0) };
    expect(scrubbedJson(value)).toBe(JSON.stringify(value));
  });
});
