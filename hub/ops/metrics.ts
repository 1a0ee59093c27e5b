/**
 * The hub's Prometheus metrics (SPEC §9): ingest counters, each device's last contact and
 * out-of-order state, its outbox backlog, and whether today's office day is still open — the inputs
 * of the alert rules in ops/ (device silent or never seen, out of order, backlog growing, day not
 * closed), the devices the configuration names, and
 * Warsaw's offset from UTC, since PromQL has no time zones.
 */
import { Counter, Gauge, Registry } from "prom-client";
import type { HeartbeatPayload } from "../../contracts/heartbeat.ts";
import { offsetMinutes } from "../../kiosk/domain/time.ts";
import type { HubDevice } from "../config/types.ts";

export interface HubMetrics {
  readonly registry: Registry;
  ingest(kind: string, device: HubDevice, status: number): void;
  ingestRefused(kind: string, status: number): void;
  heartbeat(device: HubDevice, payload: HeartbeatPayload): void;
  /**
   * Restores a device's last contact, and what its last heartbeat said (out of order, outbox), from
   * the database after a restart.
   */
  seen(office: string, device: string, at: Date, lastHeartbeat?: HeartbeatPayload | null): void;
}

export interface MetricSources {
  /** 1 per office whose today's business day has transactions and is not closed. */
  openDays(): Promise<Array<{ office: string; open: boolean }>>;
  databaseUp(): Promise<boolean>;
}

/** `devices`: the hub's configured devices, each exported as `oplatomat_hub_device_configured`. */
export function createHubMetrics(sources: MetricSources, devices: readonly HubDevice[] = []): HubMetrics {
  const registry = new Registry();
  const configured = new Gauge({
    name: "oplatomat_hub_device_configured",
    help: "1 for each device of the hub's configuration; one that never contacted the hub has no last_seen series",
    labelNames: ["office", "device", "kind"],
    registers: [registry],
  });
  for (const d of devices) configured.set({ office: d.office, device: d.id, kind: d.kind }, 1);
  const ingestTotal = new Counter({
    name: "oplatomat_hub_ingest_total",
    help: "Ingest requests answered, by message kind, office and HTTP status",
    labelNames: ["kind", "office", "status"],
    registers: [registry],
  });
  const lastSeen = new Gauge({
    name: "oplatomat_hub_device_last_seen_seconds",
    help: "Unix time (s) of the device's last authenticated contact (heartbeat or message)",
    labelNames: ["office", "device"],
    registers: [registry],
  });
  const outOfOrder = new Gauge({
    name: "oplatomat_hub_device_out_of_order",
    help: "1 when the device's last heartbeat said it is out of order",
    labelNames: ["office", "device"],
    registers: [registry],
  });
  const backlog = new Gauge({
    name: "oplatomat_hub_device_outbox_pending",
    help: "Messages waiting in the device's outbox (all destinations), from its last heartbeat",
    labelNames: ["office", "device"],
    registers: [registry],
  });
  const parked = new Gauge({
    name: "oplatomat_hub_device_outbox_failed",
    help: "Messages parked in the device's outbox (refused by a receiver), from its last heartbeat",
    labelNames: ["office", "device"],
    registers: [registry],
  });
  new Gauge({
    name: "oplatomat_hub_office_day_open",
    help: "1 while today's business day of the office has transactions and is not closed",
    labelNames: ["office"],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const d of await sources.openDays()) this.set({ office: d.office }, d.open ? 1 : 0);
      } catch {
        // the database is down: database_up says so
      }
    },
  });
  new Gauge({
    name: "oplatomat_hub_database_up",
    help: "1 when the hub's database answers and takes writes (0: unreachable, or read-only such as a standby)",
    registers: [registry],
    async collect() {
      this.set((await sources.databaseUp()) ? 1 : 0);
    },
  });
  new Gauge({
    name: "oplatomat_hub_timezone_offset_seconds",
    help: "Europe/Warsaw's offset from UTC now (s): the alert rules speak Warsaw time (office hours, 23:00)",
    registers: [registry],
    collect() {
      this.set(offsetMinutes(new Date(), "Europe/Warsaw") * 60);
    },
  });
  const touch = (office: string, device: string, at = Date.now()) =>
    lastSeen.set({ office, device }, Math.floor(at / 1000));
  const beat = (labels: { office: string; device: string }, payload: HeartbeatPayload) => {
    outOfOrder.set(labels, payload.outOfOrder ? 1 : 0);
    const out = payload.outbox ?? [];
    backlog.set(
      labels,
      out.reduce((a, b) => a + b.pending, 0),
    );
    parked.set(
      labels,
      out.reduce((a, b) => a + b.failed, 0),
    );
  };
  return {
    registry,
    ingest(kind, device, status) {
      ingestTotal.inc({ kind, office: device.office, status: String(status) });
      touch(device.office, device.id);
    },
    ingestRefused(kind, status) {
      ingestTotal.inc({ kind, office: "", status: String(status) });
    },
    heartbeat(device, payload) {
      touch(device.office, device.id);
      beat({ office: device.office, device: device.id }, payload);
    },
    seen(office, device, at, lastHeartbeat) {
      touch(office, device, at.getTime());
      if (lastHeartbeat) beat({ office, device }, lastHeartbeat);
    },
  };
}
