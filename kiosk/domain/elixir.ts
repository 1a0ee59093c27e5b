/**
 * One Elixir-O credit transfer (type 110) as a line of the bank's import file, shared by the kiosk's
 * payout export and the hub's: text fields quoted, in sub-lines of 35 characters broken between words
 * and joined by `|`; characters banks reject (`: ; & $ @ "`) replaced by spaces. Lines end with CRLF.
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

/** A field the bank file cannot hold as asked (a text too long, no account to order from). */
export class ElixirError extends Error {
  override readonly name = "ElixirError";
}

const WIDTH = 35;
const LINES = 4;

/**
 * Text already cleaned by `elixirText` in lines of at most 35 characters, broken between words; a
 * word longer than a line (an account number, a long code) is cut where the line ends.
 */
export function elixirWrap(text: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (let word of text.split(" ").filter(Boolean)) {
    if (line !== "" && line.length + 1 + word.length <= WIDTH) {
      line += ` ${word}`;
      continue;
    }
    if (line !== "") lines.push(line);
    while (word.length > WIDTH) {
      lines.push(word.slice(0, WIDTH));
      word = word.slice(WIDTH);
    }
    line = word;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/**
 * A text field of up to four sub-lines of 35 characters joined by `|`, broken between words. Each
 * part starts a sub-line when they all fit so; else the parts run on, one after another. A text that
 * does not fit in four sub-lines either way is an ElixirError naming the field: a bank truncates
 * beyond, and a transfer must not leave with part of its title or its recipient's name lost.
 */
export function elixirSubLines(parts: string[], field = "text"): string {
  const texts = parts.map(elixirText).filter((t) => t !== "");
  const each = texts.flatMap(elixirWrap);
  if (each.length <= LINES) return each.join("|");
  const runOn = elixirWrap(texts.join(" "));
  if (runOn.length <= LINES) return runOn.join("|");
  throw new ElixirError(
    `the transfer's ${field} does not fit in ${LINES} lines of ${WIDTH} characters (${runOn.length} needed): ${texts.join(" ")}`,
  );
}

/**
 * Why `parts` cannot be a transfer's text field, or undefined when they fit: the configuration's check
 * of the names and titles a payout file will carry, so that a name too long is refused when the file is
 * configured, not when finance staff need the day's payouts.
 */
export function elixirFieldProblem(parts: string[]): string | undefined {
  try {
    elixirSubLines(parts);
    return undefined;
  } catch (error) {
    if (!(error instanceof ElixirError)) throw error;
    const needed = elixirWrap(parts.map(elixirText).filter(Boolean).join(" ")).length;
    return `too long for a payout transfer (Elixir-O): ${needed} lines of ${WIDTH} characters needed, ${LINES} at most`;
  }
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
      q(elixirSubLines([t.orderingName], "ordering name")),
      q(elixirSubLines([t.recipientName], "recipient name")),
      "0",
      t.recipientNrb.slice(2, 10),
      q(elixirSubLines(t.title, "title")),
      q(""),
      q(""),
      q("51"),
      q(t.reference),
    ].join(",") + "\r\n"
  );
}
