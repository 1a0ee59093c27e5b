/**
 * A parked settlement transaction sent again with the recipients' accounts the configuration holds
 * now: `oplatomat outbox requeue --accounts-from-config`, and the service console's "send with the
 * accounts from the configuration" (the staff routes' `accountsFromConfig`), both through
 * `requeueMessages` here. The case it serves: a kiosk configured with a wrong account number took
 * payments, the hub refused each (422: not the account it holds for that recipient), staff corrected
 * the configuration. A plain requeue sends the message as written at payment time and is refused
 * again, for ever; this one is sent with each split's `nrb` taken from the configuration's recipient
 * of the same code, and the payment's lines in the kiosk's records take the same accounts in the
 * same transaction (so its settlement report and Elixir-O payout file send the money where the hub
 * does). Each change is audited (from, to). Amounts, recipients and everything else stay as they
 * were. Other messages carry no account: unchanged, and their payment's records too.
 */
import { normalizeNrb } from "../domain/nrb.ts";
import type { Db } from "../store/db.ts";
import { lineAccountDifferences } from "../store/line-accounts.ts";
import {
  type AccountChange,
  type LineAccountChange,
  parkedMessage,
  type RequeueResult,
  type RequeueRewrite,
  requeueParked,
} from "../store/outbox.ts";

export type { AccountChange, LineAccountChange };

/** The configuration's recipients (SPEC §3 `recipients`), by code. */
export type ConfiguredAccounts = Readonly<Record<string, { nrb: string }>>;

interface Split {
  recipient?: unknown;
  nrb?: unknown;
}

export function rewriteSplitAccounts(
  kind: string,
  body: string,
  recipients: ConfiguredAccounts,
): ReturnType<RequeueRewrite> {
  if (kind !== "transaction") return { body, changes: [], lineAccounts: {} };
  const message = JSON.parse(body) as { splits?: unknown };
  if (!Array.isArray(message.splits)) return { refused: "the message has no splits" };
  const changes: AccountChange[] = [];
  const lineAccounts: Record<string, string> = {};
  for (const split of message.splits as Split[]) {
    const code = typeof split.recipient === "string" ? split.recipient : "";
    const configured = Object.hasOwn(recipients, code) ? recipients[code] : undefined;
    if (!configured)
      return { refused: `recipient ${code} is not in the configuration's recipients`, recipient: code };
    const to = normalizeNrb(configured.nrb);
    lineAccounts[code] = to;
    const from = typeof split.nrb === "string" ? split.nrb : "";
    if (from === to) continue;
    split.nrb = to;
    if (!changes.some((c) => c.recipient === code && c.from === from))
      changes.push({ recipient: code, from, to });
  }
  return { body: changes.length > 0 ? JSON.stringify(message) : body, changes, lineAccounts };
}

/**
 * Puts parked messages back in line, as written or (with `accounts`, the configuration's recipients)
 * with the accounts from the configuration; audited as `actor`. The one requeue of the command line
 * and the staff routes.
 */
export function requeueMessages(
  db: Db,
  ids: readonly string[],
  actor: string,
  now: Date,
  accounts?: ConfiguredAccounts,
): RequeueResult {
  const rewrite = accounts
    ? (kind: string, body: string) => rewriteSplitAccounts(kind, body, accounts)
    : undefined;
  return requeueParked(db, ids, actor, now, rewrite);
}

/** What a requeue with the accounts from the configuration would change, shown before it is done. */
export type AccountsPreview =
  | { id: string; changes: AccountChange[]; records: LineAccountChange[] }
  | { id: string; refused: string; recipient?: string };

/**
 * The changes `requeueMessages(db, [id], …, accounts)` would make to parked message `id` and to its
 * payment's records, or its refusal; undefined when `id` is not parked. Reads only.
 */
export function previewAccounts(
  db: Db,
  id: string,
  accounts: ConfiguredAccounts,
): AccountsPreview | undefined {
  const row = parkedMessage(db, id);
  if (!row) return undefined;
  const rewritten = rewriteSplitAccounts(row.kind, row.body, accounts);
  if ("refused" in rewritten) return { id, ...rewritten };
  const records = row.sessionId ? lineAccountDifferences(db, row.sessionId, rewritten.lineAccounts) : [];
  return { id, changes: rewritten.changes, records };
}
