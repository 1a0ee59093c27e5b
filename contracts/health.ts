/**
 * The readiness answer of `GET /ready` (SPEC §4): `application/health+json` after the IETF draft
 * "Health Check Response Format for HTTP APIs", one list of checks per component, each pass, warn
 * or fail. Typed once for the kiosk's checks (kiosk/status) and its route, and for the hub's.
 */
export type CheckStatus = "pass" | "warn" | "fail";

export interface ReadinessCheck {
  componentType: "device" | "datastore" | "component";
  status: CheckStatus;
  observedValue?: string | number;
  observedUnit?: string;
  output?: string;
  time: string;
}

/** The checks by component, e.g. `printer:paper`, `database:writable`, `outbox:backlog`. */
export type Readiness = Record<string, ReadinessCheck[]>;

export interface HealthReport {
  status: CheckStatus;
  version: string;
  serviceId: string;
  checks: Readiness;
}

/** The worst status of all checks: one failure fails, else one warning warns. */
export function overallStatus(checks: Readiness): CheckStatus {
  const all = Object.values(checks).flat();
  if (all.some((c) => c.status === "fail")) return "fail";
  return all.some((c) => c.status === "warn") ? "warn" : "pass";
}
