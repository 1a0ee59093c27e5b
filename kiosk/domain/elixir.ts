/**
 * One Elixir-O credit transfer (type 110) as a line of the bank's import file, shared by the kiosk's
 * payout export and the hub's: text fields quoted, split in sub-lines of 35 characters joined by `|`;
 * characters banks reject (`: ; & $ @ "`) replaced by spaces. Lines end with CRLF.
 */

/** Letters (Polish ones included: every bank encoding here has them), digits and plain punctuation. */
const NOT_ALLOWED = /[^A-Za-z0-9ĄĆĘŁŃÓŚŹŻąćęłńóśźż .,\-/()'+?]/g;

/** Dashes become `-`; anything a bank may reject (`: ; & $ @ "`, control characters, symbols) a space. */
export function elixirText(value: string): string {
  return value
    .replace(/[\u2010-\u2015]/g, "-")
    .replace(NOT_ALLOWED, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Up to four sub-lines of 35 characters, joined by `|` (the bank truncates beyond). */
export function elixirSubLines(parts: string[]): string {
  const lines: string[] = [];
  for (const part of parts) {
    let rest = elixirText(part);
    while (rest.length > 0 && lines.length < 4) {
      lines.push(rest.slice(0, 35));
      rest = rest.slice(35).trimStart();
    }
  }
  return lines.join("|");
}

export interface ElixirTransfer {
  /** YYYY-MM-DD. */
  executionDate: string;
  /** Grosze, positive. */
  amount: number;
  /** 26-digit NRBs, normalised. */
  orderingNrb: string;
  orderingName: string;
  recipientNrb: string;
  recipientName: string;
  /** The title's parts; each starts a sub-line. */
  title: string[];
  /** The client's reference of the transfer. */
  reference: string;
}

export function elixirTransferLine(t: ElixirTransfer): string {
  const q = (s: string) => `"${s}"`;
  return (
    [
      "110",
      t.executionDate.replaceAll("-", ""),
      String(t.amount),
      t.orderingNrb.slice(2, 10),
      "0",
      q(t.orderingNrb),
      q(t.recipientNrb),
      q(elixirSubLines([t.orderingName])),
      q(elixirSubLines([t.recipientName])),
      "0",
      t.recipientNrb.slice(2, 10),
      q(elixirSubLines(t.title)),
      q(""),
      q(""),
      q("51"),
      q(t.reference),
    ].join(",") + "\r\n"
  );
}
