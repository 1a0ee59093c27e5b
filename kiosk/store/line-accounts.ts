/**
 * The account a payment's lines name for each recipient (`session_lines.recipient_nrb`), read and
 * corrected. The one writer is a requeue with the accounts from the configuration
 * (kiosk/outbox/account-rewrite.ts): the kiosk held a wrong account at payment time, the settlement
 * message goes out with the corrected one, and the kiosk's own records (the day's settlement report,
 * its Elixir-O payout file, the accounting export) must name the account the money goes to, as the
 * hub does. Only the account changes; the day's running totals per account (migration 9,
 * `day_line_totals`) follow by their trigger on `recipient_nrb`. Transaction-neutral: the caller's
 * transaction holds the requeue too.
 */
import { type Db, statement } from "./db.ts";

/** A recipient's account as it was (`from`) and as it is to be (`to`); 26 digits each. */
export interface AccountChange {
  recipient: string;
  from: string;
  to: string;
}

/** An account change of the kiosk's records: how many of the payment's lines it touched. */
export interface LineAccountChange extends AccountChange {
  lines: number;
}

/**
 * The lines of payment `sessionId` whose recipient is a key of `accounts` and whose account is not
 * the one given there, grouped per recipient and account: what `setLineAccounts` would change.
 */
export function lineAccountDifferences(
  db: Db,
  sessionId: string,
  accounts: Readonly<Record<string, string>>,
): LineAccountChange[] {
  const read = statement(
    db,
    `SELECT recipient_nrb AS "from", COUNT(*) AS lines FROM session_lines
      WHERE session_id = ? AND recipient = ? AND recipient_nrb <> ?
      GROUP BY recipient_nrb ORDER BY recipient_nrb`,
  );
  return Object.entries(accounts).flatMap(([recipient, to]) =>
    (read.all(sessionId, recipient, to) as Array<{ from: string; lines: number }>).map((r) => ({
      recipient,
      from: r.from,
      to,
      lines: r.lines,
    })),
  );
}

/** Sets the account of each recipient's lines of payment `sessionId`; returns what changed. */
export function setLineAccounts(
  db: Db,
  sessionId: string,
  accounts: Readonly<Record<string, string>>,
): LineAccountChange[] {
  const changes = lineAccountDifferences(db, sessionId, accounts);
  const update = statement(
    db,
    "UPDATE session_lines SET recipient_nrb = ? WHERE session_id = ? AND recipient = ? AND recipient_nrb = ?",
  );
  for (const c of changes) update.run(c.to, sessionId, c.recipient, c.from);
  return changes;
}
