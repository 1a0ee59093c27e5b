/**
 * The day's payouts: one transfer per recipient account for its net amount (reversals netted), from
 * the account in `bank`, as JSON and as an Elixir-O file (type 110, the kiosk's line format).
 */
import { elixirTransferLine } from "../../kiosk/domain/elixir.ts";
import { addDays } from "../../kiosk/domain/time.ts";
import type { HubConfig } from "../config/types.ts";
import type { SqlClient } from "../store/db.ts";
import { officeDayClosed, perRecipient } from "../store/report-store.ts";

export interface Transfer {
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
  const transfers: Transfer[] = [];
  // One transfer per account: a code that changed accounts mid-day pays each account its own share.
  for (const r of rows) {
    if (r.total <= 0 || r.nrb === config.bank.payerNrb) continue;
    transfers.push({
      recipient: r.code,
      name: recipients[r.code]?.name ?? r.code,
      nrb: r.nrb,
      amount: r.total,
      title: [`ROZLICZENIE ${date}`, `${office} ${officeName}`, `${r.code}`],
      reference: `${office}/${date.replaceAll("-", "")}/${String(transfers.length + 1).padStart(3, "0")}`,
    });
  }
  return {
    office,
    date,
    executionDate: addDays(date, 1),
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
