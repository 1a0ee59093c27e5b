/**
 * The heartbeat's body (contracts/heartbeat.ts): who this kiosk is, its devices, what waits in its
 * outbox and when it last took a payment. No payment data.
 */
import type { HeartbeatPayload } from "../../contracts/heartbeat.ts";
import { deviceList, type KioskDevices } from "../../devices/device.ts";
import type { KioskConfig } from "../config/types.ts";
import type { DestinationBacklog } from "../store/outbox.ts";

export interface HeartbeatSources {
  config: KioskConfig;
  version: string;
  devices: KioskDevices;
  flow: { isOutOfOrder(): boolean };
  outbox: { backlog(): DestinationBacklog[] };
  lastPaymentAt(): Date | null;
}

export function heartbeatPayload(src: HeartbeatSources, now: Date = new Date()): HeartbeatPayload {
  return {
    office: src.config.office.id,
    kiosk: src.config.kiosk.id,
    version: src.version,
    sentAt: now.toISOString(),
    uptimeSeconds: Math.round(process.uptime()),
    outOfOrder: src.flow.isOutOfOrder(),
    devices: deviceList(src.devices).map(([name, d]) => ({
      name,
      kind: d.kind,
      state: d.state,
      lastError: d.lastError ?? null,
      statistics: d.statistics(),
    })),
    outbox: src.outbox.backlog(),
    lastPaymentAt: src.lastPaymentAt()?.toISOString() ?? null,
  };
}
