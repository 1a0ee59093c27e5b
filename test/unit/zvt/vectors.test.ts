/** Our encoders against the self-computed vectors of research report §5.3, and the CRC catalogue value. */
import { describe, expect, it } from "vitest";
import * as cmd from "../../../devices/terminal/zvt/commands.ts";
import { crc16Kermit, encodeFrame } from "../../../devices/terminal/zvt/framing.ts";
import * as msg from "../../../devices/terminal/zvt/messages.ts";

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ""), "hex");

describe("CRC-16/KERMIT", () => {
  it('gives the catalogue check value 0x2189 for "123456789"', () => {
    expect(crc16Kermit(Buffer.from("123456789"))).toBe(0x2189);
  });
});

describe("§5.3 commands and their serial frames", () => {
  const cases: Array<[string, Buffer, string, string]> = [
    [
      "authorization 12.34 PLN",
      cmd.authorization({ amount: 1234 }),
      "06 01 0A 04 00 00 00 00 12 34 49 09 85",
      "10 02 06 01 0A 04 00 00 00 00 12 34 49 09 85 10 03 C0 5D",
    ],
    [
      "kiosk registration (LEN 0x10 is stuffed)",
      cmd.registration({
        password: "000000",
        configByte: 0xbe,
        currency: 985,
        serviceByte: 0x01,
        permittedCommands: [0x06d3],
      }),
      "06 00 10 00 00 00 BE 09 85 03 01 06 06 26 04 0A 02 06 D3",
      "10 02 06 00 10 10 00 00 00 BE 09 85 03 01 06 06 26 04 0A 02 06 D3 10 03 D0 93",
    ],
    ["abort", cmd.abort(), "06 B0 00", "10 02 06 B0 00 10 03 43 F3"],
    [
      "repeat receipt",
      cmd.repeatReceipt({ password: "000000", serviceByte: 0x01 }),
      "06 20 05 00 00 00 03 01",
      "10 02 06 20 05 00 00 00 03 01 10 03 6B 26",
    ],
    [
      "reversal of receipt 0042",
      cmd.reversal({ password: "000000", receiptNumber: "42" }),
      "06 30 06 00 00 00 87 00 42",
      "10 02 06 30 06 00 00 00 87 00 42 10 03 CC C0",
    ],
    [
      "status enquiry",
      cmd.statusEnquiry({ password: "000000" }),
      "05 01 03 00 00 00",
      "10 02 05 01 03 00 00 00 10 03 DF DB",
    ],
    [
      "end-of-day",
      cmd.endOfDay({ password: "000000" }),
      "06 50 03 00 00 00",
      "10 02 06 50 03 00 00 00 10 03 FB 37",
    ],
    ["log-off", cmd.logOff(), "06 02 00", "10 02 06 02 00 10 03 B9 CC"],
    ["vending 'not yet'", cmd.negativeAck(0x9c), "84 9C 00", "10 02 84 9C 00 10 03 C3 41"],
    ["completion", msg.completion(), "06 0F 00", "10 02 06 0F 00 10 03 C6 33"],
    ["PT abort 6C", msg.ptAbort(0x6c), "06 1E 01 6C", "10 02 06 1E 01 6C 10 03 C9 F2"],
    [
      "intermediate 'insert card'",
      msg.intermediateStatus(0x0a),
      "04 FF 01 0A",
      "10 02 04 FF 01 0A 10 03 F5 7D",
    ],
  ];
  it.each(cases)("%s", (_name, built, apdu, frame) => {
    expect(built).toEqual(h(apdu));
    expect(encodeFrame(built)).toEqual(h(frame));
  });

  it("registers with ISO 8859-2 and the printer width in the TLV, as the driver does", () => {
    const reg = cmd.registration({
      password: "000000",
      serviceByte: 0x01,
      permittedCommands: [0x06d3],
      printerWidth: 40,
      charset: 0x02,
    });
    const parsed = cmd.parseRegistration(reg.subarray(3));
    expect(parsed).toMatchObject({
      configByte: 0xbe,
      currency: 985,
      serviceByte: 1,
      printerWidth: 40,
      charset: 2,
      permittedCommands: [0x06d3],
    });
  });

  it("refuses amounts that are not positive whole grosze", () => {
    expect(() => cmd.authorization({ amount: 0 })).toThrow();
    expect(() => cmd.authorization({ amount: 12.5 })).toThrow();
    expect(() => cmd.authorization({ amount: -1 })).toThrow();
  });
});
