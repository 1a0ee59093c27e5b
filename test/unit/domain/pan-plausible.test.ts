import { describe, expect, it } from "vitest";
import { plausiblePan } from "../../../kiosk/domain/pan.ts";

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
