/** SQL of the fleet view: each device's last heartbeat and its last booked payment. */
import type { SqlClient } from "./db.ts";

export interface FleetRow {
  office: string;
  device: string;
  last_seen: Date | null;
  heartbeat: unknown;
}

export function fleetRows(db: SqlClient, offices: string[]): Promise<FleetRow[]> {
  return db.query<FleetRow>(
    "SELECT office, device, last_seen, heartbeat FROM fleet WHERE office = ANY($1::text[])",
    [offices],
  );
}
export function lastPayments(db: SqlClient, offices: string[]) {
  return db.query<{ office: string; device: string; last_payment_at: Date }>(
    `SELECT office, device, max(paid_at) AS last_payment_at FROM transactions
      WHERE office = ANY($1::text[]) AND business_day >= (current_date - 62) GROUP BY office, device`,
    [offices],
  );
}

export function lastSeenAll(db: SqlClient) {
  return db.query<{ office: string; device: string; last_seen: Date }>(
    "SELECT office, device, last_seen FROM fleet",
  );
}
