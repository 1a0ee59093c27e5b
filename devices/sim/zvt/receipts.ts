/**
 * The print phase of a simulated payment: the receipt APDUs a terminal sends to an ECR that prints
 * (06 D3 blocks, 06 D1 lines, or 06 D1 lines each carrying a TLV with the receipt type), for the
 * customer copy alone or the merchant copy first and then the customer's.
 */
import * as msg from "../../terminal/zvt/messages.ts";

export interface ReceiptPrintOptions {
  /** `block`: one 06 D3 per copy; `lines`: 06 D1 lines; `lines-tlv`: 06 D1 lines ending with TLV 1F07. */
  mode: "block" | "lines" | "lines-tlv";
  copies: "customer" | "both";
  charset: msg.TerminalCharset;
  /** Blocks carry their own tag 14 = 02 and are encoded ISO 8859-2 whatever the session charset. */
  ownBlockCharset: boolean;
}

const MERCHANT = 0x01;
const CUSTOMER = 0x02;
const ISO_8859_2 = 0x02;

/** The copies to print, merchant first (as terminals print them), each with its receipt type. */
function copies(customerLines: string[], which: ReceiptPrintOptions["copies"]): Array<[number, string[]]> {
  const customer: [number, string[]] = [CUSTOMER, customerLines];
  if (which === "customer") return [customer];
  const merchant = ["** KOPIA DLA SPRZEDAWCY **", ...customerLines.slice(1)];
  return [[MERCHANT, merchant], customer];
}

export function receiptApdus(customerLines: string[], options: ReceiptPrintOptions): Buffer[] {
  const out: Buffer[] = [];
  for (const [type, lines] of copies(customerLines, options.copies)) {
    if (options.mode === "block") {
      out.push(
        msg.printTextBlock(lines, type, options.charset, options.ownBlockCharset ? ISO_8859_2 : undefined),
      );
      continue;
    }
    const tagged = options.mode === "lines-tlv" ? type : undefined;
    lines.forEach((line, i) => {
      const attribute = i === lines.length - 1 ? 0x81 : 0x00;
      out.push(msg.printLine(attribute, line, options.charset, tagged));
    });
  }
  return out;
}
