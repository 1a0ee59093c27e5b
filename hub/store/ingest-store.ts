/**
 * SQL of the ingest path: idempotency keys, ledger rows, device days, the office day's closed state,
 * the fleet's heartbeats and the audit trail. Every function runs inside the caller's transaction.
 */
import type { CardBody, SettlementDay, SettlementTransaction } from "../../contracts/settlement.ts";
import type { HeartbeatPayload } from "../../contracts/heartbeat.ts";
import { scrubbedJson, scrubPans } from "../../kiosk/domain/pan.ts";
import type { SqlClient } from "./db.ts";

export interface DeviceRef {
  office: string;
  device: string;
}

export interface StoredAnswer {
  bodySha256: string;
  status: number;
  response: unknown;
}

/** Serialises requests under one key of one device: the second waits for the first to commit. */
export async function lockKey(tx: SqlClient, d: DeviceRef, key: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`${d.office}/${d.device}/${key}`]);
}

export async function findAnswer(
  tx: SqlClient,
  d: DeviceRef,
  key: string,
): Promise<StoredAnswer | undefined> {
  const rows = await tx.query<{ body_sha256: string; status: number; response: string }>(
    "SELECT body_sha256, status, response FROM ingest_keys WHERE office = $1 AND device = $2 AND key = $3",
    [d.office, d.device, key],
  );
  const r = rows[0];
  // Kept as the text first sent, so a repeated request gets the same bytes back.
  return r
    ? { bodySha256: r.body_sha256, status: r.status, response: JSON.parse(r.response) as unknown }
    : undefined;
}

export async function saveAnswer(tx: SqlClient, d: DeviceRef, key: string, a: StoredAnswer): Promise<void> {
  await tx.query(
    "INSERT INTO ingest_keys (office, device, key, body_sha256, status, response) VALUES ($1, $2, $3, $4, $5, $6)",
    [d.office, d.device, key, a.bodySha256, a.status, JSON.stringify(a.response ?? null)],
  );
}

/**
 * A device's own booked transaction with that id (the ledger's key is office, device and id: another
 * device's equal id is another payment), locked for the rest of the caller's transaction.
 */
export async function ownTransaction(
  tx: SqlClient,
  d: DeviceRef,
  id: string,
): Promise<{ total: number; businessDay: string; reversed: boolean } | undefined> {
  const rows = await tx.query<{ total: number; day: string; reversed: boolean }>(
    `SELECT t.total, to_char(t.business_day, 'YYYY-MM-DD') AS day, (r.transaction_id IS NOT NULL) AS reversed
       FROM transactions t
       LEFT JOIN reversals r ON r.office = t.office AND r.device = t.device AND r.transaction_id = t.id
      WHERE t.office = $1 AND t.device = $2 AND t.id = $3 FOR UPDATE OF t`,
    [d.office, d.device, id],
  );
  const r = rows[0];
  return r ? { total: r.total, businessDay: r.day, reversed: r.reversed } : undefined;
}

/** Returns false (and writes nothing) when the sending device already booked a transaction with that id. */
export async function insertTransaction(
  tx: SqlClient,
  t: SettlementTransaction,
  businessDay: string,
  card: CardBody,
): Promise<boolean> {
  const inserted = await tx.query(
    `INSERT INTO transactions (id, office, device, paid_at, business_day, total, currency, slip, case_ref, slips,
                               card_brand, masked_pan, auth_code, terminal_id, trace_number, cashier)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     ON CONFLICT (office, device, id) DO NOTHING RETURNING 1 AS booked`,
    [
      t.transactionId,
      t.office,
      t.kiosk,
      t.paidAt,
      businessDay,
      t.total,
      t.currency ?? "PLN",
      t.slip ?? null,
      t.case ?? null,
      JSON.stringify(t.slips ?? []),
      card.brand,
      card.maskedPan,
      card.authCode,
      card.terminalId,
      card.traceNumber,
      t.cashier ?? null,
    ],
  );
  if (inserted.length === 0) return false;
  // One statement for all splits: unnest keeps the parameter count fixed whatever their number.
  // first_for_recipient marks the split that counts the transaction for its recipient account.
  await tx.query(
    `INSERT INTO splits (office, device, transaction_id, n, recipient, nrb, component, amount, slip,
                         first_for_recipient)
     SELECT $8, $9, $1, s.n, s.recipient, s.nrb, s.component, s.amount, s.slip,
            row_number() OVER (PARTITION BY s.recipient, s.nrb ORDER BY s.n) = 1
       FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[])
            AS s (n, recipient, nrb, component, amount, slip)`,
    [
      t.transactionId,
      t.splits.map((_, i) => i + 1),
      t.splits.map((s) => s.recipient),
      t.splits.map((s) => s.nrb),
      t.splits.map((s) => s.component),
      t.splits.map((s) => String(s.amount)),
      t.splits.map((s) => s.slip ?? null),
      t.office,
      t.kiosk,
    ],
  );
  return true;
}

export async function insertReversal(
  tx: SqlClient,
  r: {
    transactionId: string;
    office: string;
    kiosk: string;
    reversedAt: string;
    reason: string;
    trace: string | null;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO reversals (transaction_id, office, device, reversed_at, reason, terminal_trace)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [r.transactionId, r.office, r.kiosk, r.reversedAt, r.reason, r.trace],
  );
}

export async function insertDeviceDay(tx: SqlClient, d: SettlementDay): Promise<void> {
  await tx.query(
    `INSERT INTO device_days (office, device, day, count, total, terminal_count, terminal_total, terminal_totals)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      d.office,
      d.kiosk,
      d.date,
      d.count,
      d.total,
      d.terminalTotals.count,
      d.terminalTotals.total,
      JSON.stringify(d.terminalTotals),
    ],
  );
}

/**
 * A transaction booked to a day: takes a lock on the office day (so a day message closing it
 * concurrently waits) and reopens it when it was closed. Returns whether it reopened.
 *
 * The lock is a share lock while the day is open (devices booking at once do not wait for each other)
 * and an update lock when a first read without a lock saw it closed. Every booking that reopens a day
 * taking a share lock and then updating the row deadlocked: ten devices booking at once after the
 * day's closing each held a share lock the others' UPDATE waited for, again at every retry (500s).
 * A closing that slips between the two reads still makes a share holder update; two such are a
 * deadlock the caller's retry settles, since the retry's first read sees the day closed.
 */
export async function touchOfficeDay(tx: SqlClient, office: string, day: string): Promise<boolean> {
  const seen = await tx.query<{ closed: boolean }>(
    "SELECT closed_at IS NOT NULL AS closed FROM office_days WHERE office = $1 AND day = $2",
    [office, day],
  );
  const mode = seen[0]?.closed ? "UPDATE" : "SHARE";
  const lock = () =>
    tx.query<{ closed: boolean }>(
      `SELECT closed_at IS NOT NULL AS closed FROM office_days WHERE office = $1 AND day = $2 FOR ${mode}`,
      [office, day],
    );
  let rows = seen.length === 0 ? [] : await lock();
  if (rows.length === 0) {
    // The day's first transaction: create the row (a concurrent twin may win; either way it exists).
    await tx.query("INSERT INTO office_days (office, day) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
      office,
      day,
    ]);
    rows = await lock();
  }
  if (!rows[0]?.closed) return false;
  await tx.query("UPDATE office_days SET closed_at = NULL WHERE office = $1 AND day = $2", [office, day]);
  return true;
}

/**
 * After a day message: the office day is closed when every device that booked a transaction that day
 * has sent a day message after its last transaction. Returns the state change, if any.
 */
export async function recomputeOfficeDay(
  tx: SqlClient,
  office: string,
  day: string,
): Promise<"closed" | "reopened" | undefined> {
  await tx.query("INSERT INTO office_days (office, day) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
    office,
    day,
  ]);
  const before = await tx.query<{ closed: boolean }>(
    "SELECT closed_at IS NOT NULL AS closed FROM office_days WHERE office = $1 AND day = $2 FOR UPDATE",
    [office, day],
  );
  const rows = await tx.query<{ closed: boolean }>(
    `SELECT NOT EXISTS (
              SELECT 1
                FROM (SELECT device, max(received_at) AS last_tx FROM transactions
                       WHERE office = $1 AND business_day = $2 GROUP BY device) t
                LEFT JOIN (SELECT device, max(received_at) AS last_day FROM device_days
                            WHERE office = $1 AND day = $2 GROUP BY device) d USING (device)
               WHERE d.last_day IS NULL OR d.last_day < t.last_tx) AS closed`,
    [office, day],
  );
  const wasClosed = before[0]?.closed ?? false;
  const isClosed = rows[0]?.closed ?? false;
  if (wasClosed === isClosed) return undefined;
  await tx.query(
    "UPDATE office_days SET closed_at = CASE WHEN $3 THEN clock_timestamp() END WHERE office = $1 AND day = $2",
    [office, day, isClosed],
  );
  return isClosed ? "closed" : "reopened";
}

/**
 * The value with each U+0000 as U+FFFD: PostgreSQL's text and jsonb cannot hold it, and what the
 * audit keeps is partly what someone typed or uploaded (a login name, a statement's reference).
 */
function withoutNul(value: unknown): unknown {
  if (typeof value === "string") return value.replaceAll("\u0000", "\ufffd");
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k) as string, withoutNul(v)]));
}

export async function audit(
  tx: SqlClient,
  actor: string,
  action: string,
  office: string | null,
  detail: Record<string, unknown>,
): Promise<void> {
  await tx.query("INSERT INTO audit (actor, action, office, detail) VALUES ($1, $2, $3, $4)", [
    // The actor can be what someone typed as a login: a card number there keeps its last four digits.
    scrubPans(withoutNul(actor) as string),
    action,
    office,
    scrubbedJson(withoutNul(detail)),
  ]);
}

/** The body hash a device's heartbeat key of the last day was first used with, if any. */
export async function heartbeatKey(tx: SqlClient, d: DeviceRef, key: string): Promise<string | undefined> {
  const rows = await tx.query<{ body_sha256: string }>(
    "SELECT body_sha256 FROM heartbeat_keys WHERE office = $1 AND device = $2 AND key = $3",
    [d.office, d.device, key],
  );
  return rows[0]?.body_sha256;
}

/** Keeps a heartbeat's key, and forgets the device's keys older than a day. */
export async function saveHeartbeatKey(
  tx: SqlClient,
  d: DeviceRef,
  key: string,
  sha256: string,
): Promise<void> {
  await tx.query(
    "DELETE FROM heartbeat_keys WHERE office = $1 AND device = $2 AND received_at < clock_timestamp() - interval '1 day'",
    [d.office, d.device],
  );
  await tx.query("INSERT INTO heartbeat_keys (office, device, key, body_sha256) VALUES ($1, $2, $3, $4)", [
    d.office,
    d.device,
    key,
    sha256,
  ]);
}

/** A device's last heartbeat (its key is kept by saveHeartbeatKey). */
export async function saveHeartbeat(tx: SqlClient, d: DeviceRef, payload: HeartbeatPayload): Promise<void> {
  await tx.query(
    `INSERT INTO fleet (office, device, last_seen, heartbeat) VALUES ($1, $2, clock_timestamp(), $3)
     ON CONFLICT (office, device) DO UPDATE SET last_seen = EXCLUDED.last_seen, heartbeat = EXCLUDED.heartbeat`,
    // Free text from the device (a terminal's error message, a device name): card numbers masked.
    [d.office, d.device, scrubbedJson(payload)],
  );
}

/** A device was heard from (and, with `paidAt`, took a payment). */
export async function noteActivity(tx: SqlClient, d: DeviceRef, paidAt: string | null): Promise<void> {
  await tx.query(
    `INSERT INTO device_activity (office, device, last_contact, last_payment_at)
     VALUES ($1, $2, clock_timestamp(), $3)
     ON CONFLICT (office, device) DO UPDATE
       SET last_contact = EXCLUDED.last_contact,
           last_payment_at = greatest(device_activity.last_payment_at, EXCLUDED.last_payment_at)`,
    [d.office, d.device, paidAt],
  );
}
