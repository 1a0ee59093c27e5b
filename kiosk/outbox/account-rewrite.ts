/**
 * A parked settlement transaction sent again with the recipients' accounts the configuration holds
 * now (`oplatomat outbox requeue --accounts-from-config`). The case it serves: a kiosk configured with
 * a wrong account number took payments, the hub refused each (422: not the account it holds for that
 * recipient), staff corrected the configuration. A plain requeue sends the message as written at
 * payment time and is refused again, for ever; this one is sent with each split's `nrb` taken from
 * the configuration's recipient of the same code, and the change is audited (from, to). Amounts,
 * recipients and everything else stay as they were. Other messages carry no account: unchanged.
 */
import { normalizeNrb } from "../domain/nrb.ts";

export interface AccountChange {
  recipient: string;
  from: string;
  to: string;
}

export type AccountRewrite = { body: string; changes: AccountChange[] } | { refused: string };

interface Split {
  recipient?: unknown;
  nrb?: unknown;
}

export function rewriteSplitAccounts(
  kind: string,
  body: string,
  recipients: Readonly<Record<string, { nrb: string }>>,
): AccountRewrite {
  if (kind !== "transaction") return { body, changes: [] };
  const message = JSON.parse(body) as { splits?: unknown };
  if (!Array.isArray(message.splits)) return { refused: "the message has no splits" };
  const changes: AccountChange[] = [];
  for (const split of message.splits as Split[]) {
    const code = typeof split.recipient === "string" ? split.recipient : "";
    const configured = Object.hasOwn(recipients, code) ? recipients[code] : undefined;
    if (!configured) return { refused: `recipient ${code} is not in the configuration's recipients` };
    const to = normalizeNrb(configured.nrb);
    const from = typeof split.nrb === "string" ? split.nrb : "";
    if (from === to) continue;
    split.nrb = to;
    if (!changes.some((c) => c.recipient === code && c.from === from))
      changes.push({ recipient: code, from, to });
  }
  return { body: changes.length > 0 ? JSON.stringify(message) : body, changes };
}
