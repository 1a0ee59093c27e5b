import { describe, expect, it } from "vitest";
import {
  intermediateMessage,
  resultMessage,
  terminalStatusText,
} from "../../../devices/terminal/zvt/codes.ts";
import { maskPan } from "../../../devices/terminal/zvt/messages.ts";
import { scrubbedHex } from "../../../devices/terminal/zvt/transaction.ts";

describe("codes for the visitor", () => {
  it("every result code has a text in Polish, English and Ukrainian", () => {
    for (let code = 0; code <= 0xff; code++) {
      const m = resultMessage(code);
      expect(m.pl.length * m.en.length * m.uk.length).toBeGreaterThan(0);
    }
  });

  it("says what the visitor must do for the common intermediate statuses", () => {
    expect(intermediateMessage(0x0a).pl).toMatch(/kart/i);
    expect(intermediateMessage(0x0a).uk).toMatch(/картк/);
    expect(intermediateMessage(0x15).en).toBe("Incorrect PIN");
    expect(intermediateMessage(0x4a).en).toContain("remove your card");
    expect(intermediateMessage(0xff, "Bitte warten").pl).toBe("Bitte warten");
  });

  it("host declines carry the bank's own text; approvals do not", () => {
    expect(resultMessage(0x05, "DO NOT HONOUR").en).toBe("Declined by the card issuer: DO NOT HONOUR");
    expect(resultMessage(0x00, "ignored").en).toBe("Payment approved");
    expect(resultMessage(0x42).pl).toContain("bank");
  });

  it("names terminal status codes for technicians", () => {
    expect(terminalStatusText(0x00)).toBe("ready");
    expect(terminalStatusText(0xf0)).toBe("reconciliation required");
  });
});

describe("card number protection", () => {
  it("keeps at most the last four digits", () => {
    expect(maskPan("4111111111111111")).toBe("************1111");
    expect(maskPan("476173******0010")).toBe("************0010");
    expect(maskPan("123")).toBe("***");
  });

  it("blanks a PAN inside an unparseable status information before it is stored", () => {
    // 27 00, 22 LLVAR(8) full PAN, then an unknown BMP 0xFE that makes the message unparseable.
    const data = Buffer.from("270022F0F84111111111111111FE01", "hex");
    const stored = scrubbedHex(data);
    expect(stored).not.toContain("4111111111111111");
    expect(stored.startsWith("270022F0F8")).toBe(true);
  });
});
