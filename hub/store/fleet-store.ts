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

export function lastSeenAll(db: SqlClient) {
  return db.query<{ office: string; device: string; last_seen: Date }>(
    "SELECT office, device, last_seen FROM fleet",
  );
}
