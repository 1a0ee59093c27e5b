/**
 * The codec against bytes recorded from real terminals by others (research report §5.1, §5.2).
 * Sources are named per file in test/fixtures/zvt/README.md; serial frames are inline with theirs.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { controlField, decodeApdu, encodeApdu } from "../../../devices/terminal/zvt/apdu.ts";
import * as cmd from "../../../devices/terminal/zvt/commands.ts";
import { encodeFrame, FrameDecoder } from "../../../devices/terminal/zvt/framing.ts";
import {
  parseCompletion,
  parseIntermediateStatus,
  parsePrintLine,
  parsePrintTextBlock,
  parsePtAbort,
  parseStatusInformation,
} from "../../../devices/terminal/zvt/messages.ts";
import { toTransaction } from "../../../devices/terminal/zvt/transaction.ts";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/zvt");
const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ""), "hex");
const fixture = (name: string): Buffer => fs.readFileSync(path.join(FIXTURES, name));

function allFixtures(): string[] {
  return ["everest", "bezahl-online", "portalum", "ecrterm"].flatMap((dir) =>
    fs.readdirSync(path.join(FIXTURES, dir)).map((f) => `${dir}/${f}`),
  );
}

describe("§5.1 recorded serial frames", () => {
  const frames: Array<[string, string, string]> = [
    ["10 02 05 01 03 12 34 56 10 03 E0 43", "05 01 03 12 34 56", "mathiasfrey/ecrterm issue #2"],
    ["10 02 80 00 00 10 03 F5 1F", "80 00 00", "mathiasfrey/ecrterm issue #2"],
    [
      "10 02 06 0F 15 F0 F1 F7 30 36 31 30 32 32 61 20 4D 20 49 43 5F 20 53 74 64 00 10 03 E4 51",
      "06 0F 15 F0 F1 F7 30 36 31 30 32 32 61 20 4D 20 49 43 5F 20 53 74 64 00",
      "mathiasfrey/ecrterm issue #2 (Ingenico i5310)",
    ],
    [
      "10 02 06 0F 0B F0 F0 F7 32 2E 31 34 2E 31 35 00 10 03 B1 11",
      "06 0F 0B F0 F0 F7 32 2E 31 34 2E 31 35 00",
      "wirelane/ecrterm ecrterm/tests/test_parsing.py",
    ],
  ];
  it.each(frames)("decodes %s and re-frames it byte for byte (%s → %s)", (frame, apdu) => {
    const events = new FrameDecoder().push(h(frame));
    expect(events).toEqual([{ type: "frame", apdu: h(apdu) }]);
    expect(encodeFrame(h(apdu))).toEqual(h(frame));
  });

  it("reads the status-enquiry completions: software version and terminal status", () => {
    const ingenico = parseCompletion(decodeApdu(h(frames[2]![1])).data);
    expect(ingenico).toMatchObject({ softwareVersion: "061022a M IC_ Std", terminalStatus: 0 });
    const other = parseCompletion(decodeApdu(h(frames[3]![1])).data);
    expect(other).toMatchObject({ softwareVersion: "2.14.15", terminalStatus: 0 });
  });
});

describe("§5.2 recorded TCP APDUs", () => {
  it.each(allFixtures())("%s is one whole APDU that re-encodes byte for byte", (name) => {
    const raw = fixture(name);
    const apdu = decodeApdu(raw);
    expect(encodeApdu(apdu)).toEqual(raw);
  });

  it.each(
    allFixtures().filter(
      (n) =>
        n.includes("pt_ecr") ||
        n.startsWith("bezahl-online/") ||
        n.startsWith("portalum/") ||
        /ecrterm\/.*_(040f|04ff|060f|06d1)\.bin$/.test(n) ||
        n.includes("partial") ||
        n.includes("status_information") ||
        n.includes("print_system"),
    ),
  )("%s parses with the message parser for its command", (name) => {
    const apdu = decodeApdu(fixture(name));
    const data = apdu.data;
    switch (controlField(apdu)) {
      case cmd.CMD.statusInformation:
        expect(() => parseStatusInformation(data)).not.toThrow();
        break;
      case cmd.CMD.intermediateStatus:
        expect(parseIntermediateStatus(data).code).toBeGreaterThanOrEqual(0);
        break;
      case cmd.CMD.completion:
        expect(() => parseCompletion(data)).not.toThrow();
        break;
      case cmd.CMD.ptAbort:
        expect(parsePtAbort(data).resultCode).toBeGreaterThan(0);
        break;
      case cmd.CMD.printLine:
        expect(parsePrintLine(data).text).toContain("Kassenschnitt");
        break;
      case cmd.CMD.printTextBlock:
        expect(parsePrintTextBlock(data).lines.length).toBeGreaterThan(3);
        break;
      default:
        throw new Error(`unexpected command in ${name}`);
    }
  });

  it("Registration 06 00 (EVerest 1681273860.511128000_ecr_pt) is what our builder writes for the same values", () => {
    const built = cmd.registration({ password: "123456", configByte: 0xde, currency: 978 });
    expect(built).toEqual(fixture("everest/1681273860.511128000_ecr_pt.bin"));
  });

  it("End-of-Day 06 50 (EVerest 1681282621.302434000_ecr_pt) is what our builder writes", () => {
    expect(cmd.endOfDay({ password: "123456" })).toEqual(fixture("everest/1681282621.302434000_ecr_pt.bin"));
  });

  it("an approved Mastercard status information (EVerest 1680728165.675509000_pt_ecr)", () => {
    const info = parseStatusInformation(decodeApdu(fixture("everest/1680728165.675509000_pt_ecr.bin")).data);
    const tx = toTransaction(info, new Date(2023, 3, 6));
    expect(tx).toMatchObject({
      outcome: "approved",
      resultCode: 0,
      amount: 2500,
      traceNumber: "000975",
      receiptNumber: "0231",
      terminalId: "52523535",
      authCode: "750071",
      cardBrand: "MasterCard",
      maskedPan: "************8074",
      terminalTime: "2023-04-05T22:55:58",
    });
    expect(info.currency).toBe(978);
    expect(info.vuNumber).toBe("804011926");
  });

  it("masks an unmasked girocard PAN to its last four digits (EVerest 1682066249.409078000_pt_ecr)", () => {
    const info = parseStatusInformation(decodeApdu(fixture("everest/1682066249.409078000_pt_ecr.bin")).data);
    expect(info.maskedPan).toMatch(/^\*+8004$/);
    expect(JSON.stringify(info)).not.toContain("4711008005757038");
  });

  it("reads the end-of-day single totals (EVerest 1680761828.489701000_pt_ecr)", () => {
    const info = parseStatusInformation(decodeApdu(fixture("everest/1680761828.489701000_pt_ecr.bin")).data);
    expect(info.amount).toBe(958);
    expect(info.singleTotals?.receiptFrom).toBe("0233");
    expect(info.singleTotals?.receiptTo).toBe("0234");
    const sum = info.singleTotals?.entries.reduce((s, e) => s + e.total, 0);
    expect(sum).toBe(958);
  });

  it("intermediate 'please wait' (EVerest 1680728162.647465000_pt_ecr) and 'insert card' with T4 and text (bezahl-online data050730027)", () => {
    expect(
      parseIntermediateStatus(decodeApdu(fixture("everest/1680728162.647465000_pt_ecr.bin")).data),
    ).toMatchObject({ code: 0x17 });
    expect(
      parseIntermediateStatus(decodeApdu(fixture("bezahl-online/data050730027.bin")).data),
    ).toMatchObject({
      code: 0x0a,
      timeoutMinutes: 1,
      displayTexts: ["Karte vorhalten\neinstecken/durchziehen"],
    });
  });

  it("registration completions: vending mode status byte (EVerest 1680761818.641601000) and plain (bezahl-online 1620218414428PT)", () => {
    expect(
      parseCompletion(decodeApdu(fixture("everest/1680761818.641601000_pt_ecr.bin")).data),
    ).toMatchObject({
      statusByte: 0x10,
      terminalId: "52523535",
      currency: 978,
    });
    expect(parseCompletion(decodeApdu(fixture("bezahl-online/1620218414428PT.bin")).data)).toMatchObject({
      statusByte: 0x00,
      terminalId: "29001006",
      currency: 978,
    });
  });

  it("host decline with text (bezahl-online 1618046758827PT) and customer abort (1620217578711PT + 1620217579741PT)", () => {
    const decline = toTransaction(
      parseStatusInformation(decodeApdu(fixture("bezahl-online/1618046758827PT.bin")).data),
    );
    expect(decline).toMatchObject({ outcome: "declined", resultCode: 5 });
    expect(decline.message.pl).toContain("Karte abgelehnt");
    const abort = toTransaction(
      parseStatusInformation(decodeApdu(fixture("bezahl-online/1620217578711PT.bin")).data),
    );
    expect(abort).toMatchObject({ outcome: "aborted", resultCode: 0x6c, terminalId: "29001006" });
    expect(parsePtAbort(decodeApdu(fixture("bezahl-online/1620217579741PT.bin")).data).resultCode).toBe(0x6c);
  });

  it("approved Maestro contactless (bezahl-online 1618593839564PT): masked PAN, approval code, receipt and trace", () => {
    const tx = toTransaction(
      parseStatusInformation(decodeApdu(fixture("bezahl-online/1618593839564PT.bin")).data),
    );
    expect(tx).toMatchObject({
      outcome: "approved",
      amount: 1880,
      traceNumber: "000153",
      receiptNumber: "0153",
      authCode: "958520",
    });
    expect(tx.maskedPan).toMatch(/^\*+\d{4}$/);
    expect(tx.extra?.aid).toBe("A0000000043060");
  });

  it("a 06 D3 receipt with FF extended length (LE) and 82 TLV length (BE) (EVerest 1680728215.585561000_pt_ecr)", () => {
    const raw = fixture("everest/1680728215.585561000_pt_ecr.bin");
    expect(raw.subarray(0, 5)).toEqual(h("06 D3 FF 61 04"));
    const block = parsePrintTextBlock(decodeApdu(raw).data);
    expect(block.receiptType).toBe(2);
    expect(block.lines.join("\n")).toContain("Customer Receipt");
  });

  it("Portalum parser tests: abort by key, system error with text, approved Debit Mastercard, TLV card technology", () => {
    const read = (name: string) =>
      parseStatusInformation(decodeApdu(fixture(`portalum/StatusInformationParserTest.${name}.bin`)).data);
    expect(read("Parse_AbortByKey")).toMatchObject({
      resultCode: 0x6c,
      additionalText: "Abbruch durch Kunde",
      terminalId: "28004869",
    });
    expect(read("Parse_SystemError")).toMatchObject({ resultCode: 0xff, additionalText: "Betrag falsch" });
    const good = toTransaction(read("Parse_PaymentGood1"));
    expect(good).toMatchObject({
      outcome: "approved",
      amount: 2040,
      cardBrand: "Debit Mastercard",
      receiptNumber: "0470",
    });
    expect(good.maskedPan).toBe("************4771");
    const tlv = read("Parse_TlvInfos1");
    expect(tlv.cardName).toBe("MASTERCARD");
    expect(tlv.traceNumber).toBe("10015008");
    expect(tlv.aid).toBe("A0000000041010");
  });

  it("ecrterm PACKET_LIST: a registration with 0x10 inside its TLV survives serial stuffing, and its fields read back", () => {
    const raw = fixture("ecrterm/test_parsing.PACKET_LIST_2_0600.bin");
    const events = new FrameDecoder().push(encodeFrame(raw));
    expect(events).toEqual([{ type: "frame", apdu: raw }]);
    const reg = cmd.parseRegistration(decodeApdu(raw).data);
    expect(reg).toMatchObject({ password: "000000", configByte: 0xfe, currency: 978, printerWidth: 40 });
    expect(reg.permittedCommands).toContain(0x06d3);
    const auth = cmd.parseAuthorization(
      decodeApdu(fixture("ecrterm/test_parsing.PACKET_LIST_4_0601.bin")).data,
    );
    expect(auth).toMatchObject({ amount: 1000, currency: 978, paymentType: 0x44, maxStatusInfos: 1 });
  });

  it("ecrterm PACKET_LIST: an unmasked test card number comes out masked", () => {
    const info = parseStatusInformation(
      decodeApdu(fixture("ecrterm/test_parsing.PACKET_LIST_1_040f.bin")).data,
    );
    expect(info.maskedPan).toMatch(/^\*+\d{4}$/);
    expect(info).toMatchObject({ amount: 4000, receiptNumber: "0175", traceNumber: "613995" });
  });

  it("a pre-auth abort with BMP 87 FF FF (EVerest partial_reversal)", () => {
    expect(parsePtAbort(decodeApdu(fixture("everest/partial_reversal.bin")).data).resultCode).toBe(0xb8);
  });
});
