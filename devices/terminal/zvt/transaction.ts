/** Turns a parsed Status-Information into the device contract's TerminalTransaction. */
import type { TerminalTransaction } from "../../device.ts";
import { RESULT_ABORTED, RESULT_PROCESSING_ERROR, resultMessage } from "./codes.ts";
import { cardBrand, maskPan, type StatusInformation } from "./messages.ts";

/** ISO local date-time from BMP 0D (MMDD, no year) + 0C, or the full date when the terminal sent one. */
export function terminalTime(info: StatusInformation, now: Date = new Date()): string | undefined {
  if (info.time?.length !== 6) return undefined;
  let ymd: string | undefined;
  if (info.fullDate?.length === 8) ymd = info.fullDate;
  else if (info.date?.length === 4) {
    const month = Number(info.date.slice(0, 2));
    // A December receipt read in January belongs to last year.
    const year = month > now.getMonth() + 2 ? now.getFullYear() - 1 : now.getFullYear();
    ymd = `${year}${info.date}`;
  }
  if (!ymd) return undefined;
  const t = info.time;
  return `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}`;
}

/**
 * A Status-Information without a result code (BMP 27) proves nothing: it is never taken as approved.
 * Such a message is reported as declined with the processing-error code and `extra.missingResultCode`;
 * the driver answers it negatively during a payment (the terminal then reverses) and calls it
 * unreadable when it is the answer to a repeat receipt.
 */
export function lacksResultCode(tx: TerminalTransaction): boolean {
  return tx.extra?.missingResultCode === 1;
}

export function toTransaction(info: StatusInformation, now?: Date): TerminalTransaction {
  const resultCode = info.resultCode ?? RESULT_PROCESSING_ERROR;
  const outcome = resultCode === 0 ? "approved" : resultCode === RESULT_ABORTED ? "aborted" : "declined";
  const hostText = info.additionalText ?? info.displayTexts[0];
  const tx: TerminalTransaction = {
    kind: info.originalTrace !== undefined ? "reversal" : "payment",
    outcome,
    resultCode,
    message: resultMessage(resultCode, resultCode === 0 ? undefined : hostText),
  };
  if (info.amount !== undefined) tx.amount = info.amount;
  if (info.currency !== undefined) tx.currency = info.currency;
  if (info.traceNumber !== undefined) tx.traceNumber = info.traceNumber;
  if (info.originalTrace !== undefined) tx.originalTraceNumber = info.originalTrace;
  if (info.receiptNumber !== undefined) tx.receiptNumber = info.receiptNumber;
  if (info.terminalId !== undefined) tx.terminalId = info.terminalId;
  if (info.authCode) tx.authCode = info.authCode;
  // Masked again here so no future parser change can let more than four digits through.
  if (info.maskedPan !== undefined) tx.maskedPan = maskPan(info.maskedPan);
  const brand = cardBrand(info);
  if (brand) tx.cardBrand = brand;
  const time = terminalTime(info, now);
  if (time) tx.terminalTime = time;
  const extra = extraFields(info, hostText);
  if (info.resultCode === undefined) extra.missingResultCode = 1;
  if (Object.keys(extra).length) tx.extra = extra;
  return tx;
}

function extraFields(info: StatusInformation, hostText: string | undefined): Record<string, string | number> {
  const extra: Record<string, string | number> = {};
  if (info.aid) extra.aid = info.aid;
  if (info.cardSequenceNumber) extra.cardSequenceNumber = info.cardSequenceNumber;
  if (info.turnoverNumber) extra.turnoverNumber = info.turnoverNumber;
  if (info.originalTrace) extra.originalTrace = info.originalTrace;
  if (info.paymentType !== undefined) extra.paymentType = info.paymentType;
  if (info.currency !== undefined) extra.currency = info.currency;
  if (hostText) extra.hostText = hostText;
  if (info.vuNumber) extra.vuNumber = info.vuNumber;
  return extra;
}

/**
 * Raw bytes of a Status-Information we could not parse, for the journal. Anything after a BMP 22
 * marker that looks like a PAN length is blanked, so even an unreadable message stores no card number.
 */
export function scrubbedHex(data: Buffer): string {
  const copy = Buffer.from(data);
  for (let i = 0; i + 2 < copy.length; i++) {
    const [a, b, c] = [copy[i]!, copy[i + 1]!, copy[i + 2]!];
    if ((a === 0x22 || a === 0x23 || a === 0x2d) && b >> 4 === 0x0f && c >> 4 === 0x0f) {
      const length = (b & 0x0f) * 10 + (c & 0x0f);
      copy.fill(0xee, i + 3, Math.min(copy.length, i + 3 + length));
    }
    if (
      a === 0x24 &&
      b >> 4 === 0x0f &&
      c >> 4 === 0x0f &&
      copy[i + 3] !== undefined &&
      copy[i + 3]! >> 4 === 0x0f
    ) {
      const length = (b & 0x0f) * 100 + (c & 0x0f) * 10 + (copy[i + 3]! & 0x0f);
      copy.fill(0xee, i + 4, Math.min(copy.length, i + 4 + length));
    }
  }
  return copy.toString("hex").toUpperCase();
}
