/**
 * The Polish banks' transfer QR (ZBP "2D" recommendation, SPEC §1b) printed on local-tax decisions
 * and geodesy invoices: nine `|`-separated fields, at most 160 characters,
 * `NIP|PL|NRB|AMOUNT|NAME|TITLE|r1|r2|r3`, the amount in grosze as six digits (`000000` leaves it to
 * the payer). Only the syntax and check digits are read here; whether the kiosk takes the code is the
 * configuration's call (`recipients.<code>.transferCodes`).
 */
import { isValidNip } from "./nip.ts";
import { isValidNrb } from "./nrb.ts";
import { holdsCardNumber } from "./pan.ts";
import { isUtf8Text } from "./utf8-text.ts";

export const TRANSFER_CODE_MAX_LENGTH = 160;

export interface TransferCode {
  /** The payee's NIP; empty for a private payee. */
  nip: string;
  nrb: string;
  /** Grosze; 0 when the code leaves the amount to the payer. */
  amount: number;
  name: string;
  title: string;
}

const FIELD = /^[^|\p{Cc}]*$/u;

/** The code's fields, or null when the text is not a well-formed transfer code. */
export function parseTransferCode(text: string): TransferCode | null {
  // Characters, not UTF-16 units: an emoji in a title is one character of the 160, not two (and no
  // text of more than twice 160 units can hold 160 characters or fewer).
  if (text.length > 2 * TRANSFER_CODE_MAX_LENGTH) return null;
  if ([...text].length > TRANSFER_CODE_MAX_LENGTH || !isUtf8Text(text)) return null;
  const fields = text.split("|");
  if (fields.length !== 9 || !fields.every((f) => FIELD.test(f))) return null;
  const [nip, country, nrb, amount, name, title] = fields as [string, string, string, string, string, string];
  if (nip !== "" && !(/^[0-9]{10}$/.test(nip) && isValidNip(nip))) return null;
  if (country !== "PL") return null;
  if (!/^[0-9]{26}$/.test(nrb) || !isValidNrb(nrb)) return null;
  if (!/^[0-9]{6}$/.test(amount)) return null;
  if (name.trim() === "" || title.trim() === "") return null;
  // Unsigned text a visitor scans: a card number in the name, title or r1–r3 would be stored with the
  // payload and sent on as the line's reference. The NRB (26 digits in one group) is never one.
  if (holdsCardNumber(text)) return null;
  return { nip, nrb, amount: Number(amount), name: name.trim(), title: title.trim() };
}
