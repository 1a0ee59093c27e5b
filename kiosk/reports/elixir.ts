/**
 * The day's Elixir-O transfer file: one credit transfer (type 110) per recipient for the day's net
 * collected amount, ordered from the operator's account (the handling fee's recipient unless told
 * otherwise — the account the acquirer pays out to). Lines end with CRLF; text fields are quoted,
 * in sub-lines of 35 characters broken between words and joined by `|`; characters banks reject
 * (`: ; & $ @ "`) are replaced by spaces. The bank's encoding is chosen per office (UTF-8, CP1250 or
 * ISO-8859-2).
 */
import { createRequire } from "node:module";
import type * as Iconv from "iconv-lite";
import type { KioskConfig } from "../config/types.ts";
import { nextBankingDay } from "../domain/banking-days.ts";
import { ElixirError, elixirTransferLine } from "../domain/elixir.ts";
import { normalizeNrb } from "../domain/nrb.ts";

export { ElixirError, elixirSubLines, elixirText, elixirWrap } from "../domain/elixir.ts";
import type { SettlementSummary } from "./settlement-summary.ts";

export type ElixirEncoding = "utf8" | "cp1250" | "iso-8859-2";

export interface ElixirOptions {
  /**
   * Execution date YYYY-MM-DD; default: the first Polish banking day after the settlement day (Elixir
   * runs no session on weekends and holidays; the hub's payouts use the same calendar).
   */
  executionDate?: string;
  /** The `recipients` key of the ordering account; default `handlingFee.recipient`. */
  orderingRecipient?: string;
}

/** Why there is no account to order the transfers from, and what to configure. */
function noOrderingAccount(key: string | undefined): string {
  return key === undefined
    ? "no account to send the transfers from: name it as handlingFee.recipient (the recipient whose account the acquirer pays the card takings into; amount 0 is fine)"
    : `no ordering account: recipient ${key} is not configured`;
}

/** The file's text (CRLF lines); empty when nothing was collected. */
export function elixirTransfers(
  summary: SettlementSummary,
  config: KioskConfig,
  options: ElixirOptions = {},
): string {
  // One transfer per recipient account: recipients that share an account get one transfer.
  const accounts = new Map<string, { name: string; amount: number }>();
  for (const r of summary.totals.perRecipient) {
    const nrb = normalizeNrb(r.nrb);
    const account = accounts.get(nrb);
    if (account) account.amount += r.amount;
    else accounts.set(nrb, { name: r.name, amount: r.amount });
  }
  if (![...accounts.values()].some((a) => a.amount > 0)) return "";
  const orderingKey = options.orderingRecipient ?? config.handlingFee.recipient;
  const ordering = orderingKey === undefined ? undefined : config.recipients[orderingKey];
  if (!ordering) throw new ElixirError(noOrderingAccount(orderingKey));
  const orderingNrb = normalizeNrb(ordering.nrb);
  const day = summary.header.day;
  const execution = options.executionDate ?? nextBankingDay(day);
  const title = [
    `ROZLICZENIE ${day}`,
    `KIOSK ${summary.header.kiosk} ${summary.header.office.id}`,
    summary.header.reportId,
  ];
  const out: string[] = [];
  let n = 0;
  for (const [nrb, r] of accounts) {
    if (r.amount <= 0 || nrb === orderingNrb) continue;
    n++;
    out.push(
      elixirTransferLine({
        executionDate: execution,
        amount: r.amount,
        orderingNrb,
        orderingName: ordering.name,
        recipientNrb: nrb,
        recipientName: r.name,
        title,
        reference: `${summary.header.reportId}/${String(n).padStart(3, "0")}`,
      }),
    );
  }
  return out.join("");
}

export function encodeElixir(text: string, encoding: ElixirEncoding = "utf8"): Buffer {
  return encoding === "utf8" ? Buffer.from(text, "utf8") : iconv().encode(text, encoding);
}

/**
 * iconv-lite, loaded at the first file in a bank's single-byte encoding: `oplatomat report` and
 * `oplatomat export` load this module (kiosk/reports/commands.ts) and never encode; loading iconv-lite
 * cost their process 0.3–0.5 MB on Node 24 (issue 17, docs/benchmarks.md "The report's memory, fifth
 * pass").
 */
function iconv(): typeof Iconv {
  return createRequire(import.meta.url)("iconv-lite") as typeof Iconv;
}
