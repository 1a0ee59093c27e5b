/**
 * The heartbeat a kiosk or cash desk sends to its fleet service (`integrations.heartbeat`, the hub's
 * `POST /fleet/heartbeat`): identity, device inventory and what waits in its outbox. No payment data.
 */

export type HeartbeatDeviceKind = "terminal" | "printer" | "scanner" | "gpio";
export type HeartbeatDeviceState = "closed" | "idle" | "busy" | "error" | "offline";

export interface HeartbeatDevice {
  name: string;
  kind: HeartbeatDeviceKind;
  state: HeartbeatDeviceState;
  lastError: { code: string; message: string; at: string } | null;
  statistics: Record<string, number>;
}

/** What is still to be sent to one destination. */
export interface HeartbeatBacklog {
  destination: string;
  pending: number;
  failed: number;
  oldestAgeSeconds: number;
}

export interface HeartbeatPayload {
  office: string;
  kiosk: string;
  version: string;
  sentAt: string;
  uptimeSeconds: number;
  outOfOrder: boolean;
  devices: HeartbeatDevice[];
  /** What is still to be sent, per destination (absent from kiosks older than the hub). */
  outbox?: HeartbeatBacklog[];
  /** ISO time of the last approved payment; null before the first. */
  lastPaymentAt?: string | null;
}

const small = (max: number) => ({ type: "string", maxLength: max }) as const;
const nonNegative = { type: "integer", minimum: 0 } as const;

export const heartbeatSchema = {
  $id: "urn:oplatomat:heartbeat",
  type: "object",
  properties: {
    office: { type: "string", pattern: "^[A-Z0-9-]{1,16}$" },
    kiosk: { type: "string", minLength: 1, maxLength: 64 },
    version: small(40),
    sentAt: { type: "string", format: "date-time", maxLength: 40 },
    uptimeSeconds: { type: "number", minimum: 0 },
    outOfOrder: { type: "boolean" },
    devices: {
      type: "array",
      maxItems: 32,
      items: {
        type: "object",
        properties: {
          name: small(40),
          kind: { enum: ["terminal", "printer", "scanner", "gpio"] },
          state: { enum: ["closed", "idle", "busy", "error", "offline"] },
          lastError: {
            anyOf: [
              { type: "null" },
              {
                type: "object",
                properties: { code: small(64), message: small(500), at: small(40) },
                required: ["code", "message", "at"],
              },
            ],
          },
          statistics: { type: "object", maxProperties: 64, additionalProperties: { type: "number" } },
        },
        required: ["name", "kind", "state"],
      },
    },
    lastPaymentAt: { type: ["string", "null"], maxLength: 40 },
    outbox: {
      type: "array",
      maxItems: 8,
      items: {
        type: "object",
        properties: {
          destination: small(32),
          pending: nonNegative,
          failed: nonNegative,
          oldestAgeSeconds: nonNegative,
        },
        required: ["destination", "pending", "failed", "oldestAgeSeconds"],
      },
    },
  },
  required: ["office", "kiosk", "sentAt", "outOfOrder", "devices"],
} as const;
