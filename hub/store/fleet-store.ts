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
/** Last contact of any kind (message or heartbeat) and last payment, per device. */
export function deviceActivity(db: SqlClient, offices: string[]) {
  return db.query<{ office: string; device: string; last_contact: Date; last_payment_at: Date | null }>(
    "SELECT office, device, last_contact, last_payment_at FROM device_activity WHERE office = ANY($1::text[])",
    [offices],
  );
}

/**
 * Each device's last contact of any kind (a ledger message or a heartbeat) and its last heartbeat, for
 * the metrics of a hub that just started.
 */
export function lastSeenAll(db: SqlClient) {
  return db.query<{ office: string; device: string; last_seen: Date; heartbeat: unknown }>(
    `SELECT office, device,
            greatest(a.last_contact, f.last_seen) AS last_seen, f.heartbeat
       FROM device_activity a FULL JOIN fleet f USING (office, device)`,
  );
}
