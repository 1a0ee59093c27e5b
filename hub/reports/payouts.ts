/**
 * The day's payouts: one transfer per recipient account for its net amount (reversals netted), from
 * the account in `bank`, as JSON and as an Elixir-O file (type 110, the kiosk's line format).
 */
import { elixirTransferLine } from "../../kiosk/domain/elixir.ts";
import { nextBankingDay } from "../../kiosk/domain/banking-days.ts";
import { payoutTitle } from "./payout-title.ts";
import type { HubConfig } from "../config/types.ts";
import type { SqlClient } from "../store/db.ts";
import { officeDayClosed, perRecipient } from "../store/report-store.ts";

export interface Transfer {
  /** The recipient code, or the codes joined by `+` when several are paid into one account. */
  recipient: string;
  name: string;
  nrb: string;
  amount: number;
  title: string[];
  reference: string;
}

export interface Payouts {
  office: string;
  date: string;
  executionDate: string;
  closed: boolean;
  payer: { nrb: string; name: string };
  count: number;
  total: number;
  transfers: Transfer[];
}

export async function payoutsOf(
  db: SqlClient,
  config: HubConfig,
  office: string,
  date: string,
): Promise<Payouts> {
  const q = { office, from: date, to: date };
  const [rows, closedAt] = await Promise.all([perRecipient(db, q), officeDayClosed(db, office, date)]);
  const recipients = config.offices[office]?.recipients ?? {};
  const officeName = config.offices[office]?.name ?? office;
  // One transfer per account (as the kiosk's export): recipient codes that share an account are
  // one transfer of their sum; a code that changed accounts mid-day pays each account its own share.
  const accounts = new Map<string, { codes: string[]; amount: number }>();
  for (const r of rows) {
    const account = accounts.get(r.nrb);
    if (account) {
      if (!account.codes.includes(r.code)) account.codes.push(r.code);
      account.amount += r.total;
    } else accounts.set(r.nrb, { codes: [r.code], amount: r.total });
  }
  const transfers: Transfer[] = [];
  for (const [nrb, a] of accounts) {
    if (a.amount <= 0 || nrb === config.bank.payerNrb) continue;
    const codes = a.codes.join("+");
    transfers.push({
      recipient: codes,
      name: recipients[a.codes[0]!]?.name ?? a.codes[0]!,
      nrb,
      amount: a.amount,
      title: payoutTitle(date, office, officeName, a.codes),
      reference: `${office}/${date.replaceAll("-", "")}/${String(transfers.length + 1).padStart(3, "0")}`,
    });
  }
  return {
    office,
    date,
    // The first banking day after the business day (Elixir runs no session on weekends and holidays),
    // as the kiosk's own export dates it.
    executionDate: nextBankingDay(date),
    closed: closedAt !== null,
    payer: { nrb: config.bank.payerNrb, name: config.bank.payerName },
    count: transfers.length,
    total: transfers.reduce((a, t) => a + t.amount, 0),
    transfers,
  };
}

export function payoutsElixir(p: Payouts): string {
  return p.transfers
    .map((t) =>
      elixirTransferLine({
        executionDate: p.executionDate,
        amount: t.amount,
        orderingNrb: p.payer.nrb,
        orderingName: p.payer.name,
        recipientNrb: t.nrb,
        recipientName: t.name,
        title: t.title,
        reference: t.reference,
      }),
    )
    .join("");
}
