/**
 * The recorded-bytes corpus (issue 12): byte strings captured from real terminals by other ZVT
 * implementations (sources, commits and licences in test/fixtures/zvt/README.md), each fed to the
 * decoder for its command, with every field the decoder reads compared to the values the source
 * asserts or the bytes spell out. A field decoded and not expected fails as much as one expected and
 * missing: `toEqual` on the whole projection.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { controlField, decodeApdu, encodeApdu } from "../../../devices/terminal/zvt/apdu.ts";
import { parseAuthorization, parseRegistration } from "../../../devices/terminal/zvt/commands.ts";
import {
  parseCompletion,
  parseIntermediateStatus,
  parsePrintLine,
  parsePrintTextBlock,
  parsePtAbort,
  parseStatusInformation,
  type StatusInformation,
  type TerminalCharset,
} from "../../../devices/terminal/zvt/messages.ts";

interface Entry {
  id: string;
  source: string;
  recorded: boolean;
  hex: string;
  sessionCharset?: TerminalCharset;
  expect: Record<string, unknown> & { message: string };
}

const corpus = (
  JSON.parse(
    fs.readFileSync(path.resolve(import.meta.dirname, "../../fixtures/zvt/corpus.json"), "utf8"),
  ) as { entries: Entry[] }
).entries;

/** Only the fields that are there: the expectation lists exactly those. */
function present(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined && v !== "" && !(Array.isArray(v) && !v.length)),
  );
}

function statusFields(info: StatusInformation): Record<string, unknown> {
  const pan = info.maskedPan && info.maskedPan.length > 4 ? info.maskedPan.slice(-4) : undefined;
  return present({
    message: "statusInformation",
    resultCode: info.resultCode,
    amount: info.amount,
    currency: info.currency,
    traceNumber: info.traceNumber,
    originalTrace: info.originalTrace,
    time: info.time,
    date: info.date,
    fullDate: info.fullDate,
    cardSequenceNumber: info.cardSequenceNumber,
    paymentType: info.paymentType,
    panLast4: pan,
    terminalId: info.terminalId,
    vuNumber: info.vuNumber,
    authCode: info.authCode,
    additionalText: info.additionalText,
    receiptNumber: info.receiptNumber,
    turnoverNumber: info.turnoverNumber,
    cardType: info.cardType,
    cardName: info.cardName,
    aid: info.aid,
    displayTexts: info.displayTexts,
  });
}

/** What our decoders read from one byte string, in the corpus's terms. */
function decode(entry: Entry): Record<string, unknown> {
  const apdu = decodeApdu(Buffer.from(entry.hex, "hex"));
  const cs: TerminalCharset = entry.sessionCharset ?? "cp437";
  const data = apdu.data;
  switch (entry.expect.message) {
    case "statusInformation":
      return statusFields(parseStatusInformation(data, cs));
    case "printLine":
      return { message: "printLine", ...parsePrintLine(data, cs) };
    case "printTextBlock":
      return { message: "printTextBlock", ...parsePrintTextBlock(data, cs) };
    case "intermediate": {
      const s = parseIntermediateStatus(data, cs);
      return { message: "intermediate", ...s };
    }
    case "completion":
      return present({ message: "completion", ...parseCompletion(data, cs), tlv: undefined });
    case "abort":
      return { message: "abort", resultCode: parsePtAbort(data).resultCode };
    case "registration": {
      const r = parseRegistration(data);
      return present({
        message: "registration",
        password: r.password,
        configByte: r.configByte,
        currency: r.currency,
      });
    }
    case "authorization":
      return { message: "authorization", ...parseAuthorization(data) };
    default:
      return {
        message: "command",
        control: controlField(apdu).toString(16).padStart(4, "0"),
        length: data.length,
      };
  }
}

describe("recorded terminal bytes corpus", () => {
  it("holds well over 100 byte strings, nearly all recorded from real terminals, from four implementations", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
    expect(corpus.filter((e) => e.recorded).length / corpus.length).toBeGreaterThan(0.9);
    expect(new Set(corpus.map((e) => e.source))).toEqual(
      new Set(["portalum", "everest", "bezahl-online", "ecrterm"]),
    );
    expect(new Set(corpus.map((e) => e.id)).size).toBe(corpus.length);
  });

  it.each(corpus.map((e) => [e.id, e] as const))("%s", (_id, entry) => {
    const raw = Buffer.from(entry.hex, "hex");
    expect(encodeApdu(decodeApdu(raw))).toEqual(raw);
    expect(decode(entry)).toEqual(entry.expect);
  });
});
