/**
 * The day's Elixir-O transfer file: one credit transfer (type 110) per recipient for the day's net
 * collected amount, ordered from the operator's account (the handling fee's recipient unless told
 * otherwise — the account the acquirer pays out to). Lines end with CRLF; text fields are quoted,
 * split in sub-lines of 35 characters joined by `|`; characters banks reject (`: ; & $ @ "`) are
 * replaced by spaces. The bank's encoding is chosen per office (UTF-8, CP1250 or ISO-8859-2).
 */
import iconv from "iconv-lite";
import type { KioskConfig } from "../config/types.ts";
import { normalizeNrb } from "../domain/nrb.ts";
import type { SettlementSummary } from "./settlement-summary.ts";

export type ElixirEncoding = "utf8" | "cp1250" | "iso-8859-2";

export interface ElixirOptions {
  /** Execution date YYYY-MM-DD; default: the day after the settlement day. */
  executionDate?: string;
  /** The `recipients` key of the ordering account; default `handlingFee.recipient`. */
  orderingRecipient?: string;
}

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

function nextDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export class ElixirError extends Error {
  override readonly name = "ElixirError";
}

/** The file's text (CRLF lines); empty when nothing was collected. */
export function elixirTransfers(
  summary: SettlementSummary,
  config: KioskConfig,
  options: ElixirOptions = {},
): string {
  const orderingKey = options.orderingRecipient ?? config.handlingFee.recipient;
  const ordering = config.recipients[orderingKey];
  if (!ordering) throw new ElixirError(`no ordering account: recipient ${orderingKey} is not configured`);
  const orderingNrb = normalizeNrb(ordering.nrb);
  const day = summary.header.day;
  const execution = (options.executionDate ?? nextDay(day)).replaceAll("-", "");
  const title = elixirSubLines([
    `ROZLICZENIE ${day}`,
    `KIOSK ${summary.header.kiosk} ${summary.header.office.id}`,
    summary.header.reportId,
  ]);
  const out: string[] = [];
  let n = 0;
  for (const r of summary.totals.perRecipient) {
    const nrb = normalizeNrb(r.nrb);
    if (r.amount <= 0 || nrb === orderingNrb) continue;
    n++;
    const q = (s: string) => `"${s}"`;
    out.push(
      [
        "110",
        execution,
        String(r.amount),
        orderingNrb.slice(2, 10),
        "0",
        q(orderingNrb),
        q(nrb),
        q(elixirSubLines([ordering.name])),
        q(elixirSubLines([r.name])),
        "0",
        nrb.slice(2, 10),
        q(title),
        q(""),
        q(""),
        q("51"),
        q(`${summary.header.reportId}/${String(n).padStart(3, "0")}`),
      ].join(",") + "\r\n",
    );
  }
  return out.join("");
}

export function encodeElixir(text: string, encoding: ElixirEncoding = "utf8"): Buffer {
  return encoding === "utf8" ? Buffer.from(text, "utf8") : iconv.encode(text, encoding);
}
