/**
 * `GET /api/fleet`: every configured device of the offices a login may see, with its last contact,
 * out-of-order state, device states and outbox backlog (from its last heartbeat) and its last payment
 * (from the ledger). A device never heard from is listed with nulls.
 */
import type { HeartbeatPayload } from "../../contracts/heartbeat.ts";
import type { HubConfig } from "../config/types.ts";
import type { SqlClient } from "../store/db.ts";
import { deviceActivity, fleetRows } from "../store/fleet-store.ts";

export interface FleetDevice {
  office: string;
  id: string;
  kind: "kiosk" | "desk";
  lastSeen: string | null;
  secondsSinceLastSeen: number | null;
  outOfOrder: boolean | null;
  version: string | null;
  devices: Array<{ name: string; kind: string; state: string; lastError: unknown }>;
  outbox: { pending: number; failed: number; oldestAgeSeconds: number } | null;
  lastPaymentAt: string | null;
}

export async function fleetView(db: SqlClient, config: HubConfig, offices: string[], now = new Date()) {
  const [beats, activity] = await Promise.all([fleetRows(db, offices), deviceActivity(db, offices)]);
  const key = (o: string, d: string) => `${o}\u0000${d}`;
  const beatOf = new Map(beats.map((b) => [key(b.office, b.device), b]));
  const activityOf = new Map(activity.map((a) => [key(a.office, a.device), a]));
  const devices: FleetDevice[] = config.devices
    .filter((d) => offices.includes(d.office))
    .map((d) => {
      const b = beatOf.get(key(d.office, d.id));
      const hb = (b?.heartbeat ?? null) as HeartbeatPayload | null;
      const out = hb?.outbox;
      const a = activityOf.get(key(d.office, d.id));
      const lastPayment = a?.last_payment_at;
      const seen = a?.last_contact ?? b?.last_seen ?? null;
      return {
        office: d.office,
        id: d.id,
        kind: d.kind,
        lastSeen: seen ? seen.toISOString() : null,
        secondsSinceLastSeen: seen ? Math.max(0, Math.round((now.getTime() - seen.getTime()) / 1000)) : null,
        outOfOrder: hb ? hb.outOfOrder : null,
        version: hb?.version ?? null,
        devices: (hb?.devices ?? []).map((x) => ({
          name: x.name,
          kind: x.kind,
          state: x.state,
          lastError: x.lastError ?? null,
        })),
        outbox: out
          ? {
              pending: out.reduce((a, o) => a + o.pending, 0),
              failed: out.reduce((a, o) => a + o.failed, 0),
              oldestAgeSeconds: out.reduce((a, o) => Math.max(a, o.oldestAgeSeconds), 0),
            }
          : null,
        lastPaymentAt: lastPayment ? lastPayment.toISOString() : (hb?.lastPaymentAt ?? null),
      };
    });
  return { generatedAt: now.toISOString(), devices };
}
