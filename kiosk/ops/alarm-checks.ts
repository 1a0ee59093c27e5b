/**
 * Readiness checks for what waits for staff (SPEC §6 `payment_conflict`, issue 19): each open alarm
 * kind warns until acknowledged in the service console, and a failing backup warns until a later
 * run succeeds. Warnings, not failures: the kiosk still takes payments, but a person must act.
 */
import type { Readiness } from "../../contracts/health.ts";
import { ALARM_KINDS, type Alarm, openAlarms } from "../store/alarms.ts";
import type { Db } from "../store/db.ts";

const WHAT_TO_DO: Record<Alarm["kind"], string> = {
  payment_conflict: "refund the payment if the slip was paid twice, then acknowledge in the service console",
  end_of_day_mismatch:
    "compare the terminal's end-of-day receipt and journal with the settlement report, then acknowledge in the service console",
};

export function alarmChecks(db: Db, time: string): Readiness {
  const open = openAlarms(db);
  const checks: Readiness = {};
  for (const kind of ALARM_KINDS) {
    const mine = open.filter((a) => a.kind === kind);
    checks[kind] = [
      {
        componentType: "component",
        status: mine.length > 0 ? "warn" : "pass",
        observedValue: mine.length,
        observedUnit: "unacknowledged alarms",
        ...(mine.length > 0
          ? {
              output: `${mine.length} unacknowledged (latest: ${mine[mine.length - 1]?.summary}); ${WHAT_TO_DO[kind]}`,
            }
          : {}),
        time,
      },
    ];
  }
  return checks;
}

export interface BackupState {
  lastBackup: { path: string; at: Date } | undefined;
  lastError: Error | undefined;
}

export function backupCheck(state: BackupState, time: string): Readiness {
  const failing = state.lastError !== undefined;
  return {
    "backup:last_run": [
      {
        componentType: "component",
        status: failing ? "warn" : "pass",
        observedValue: failing ? "failed" : state.lastBackup ? "ok" : "not_yet",
        ...(failing
          ? { output: `the latest database backup failed: ${state.lastError?.message}` }
          : state.lastBackup
            ? { output: `last backup ${state.lastBackup.at.toISOString()}` }
            : {}),
        time,
      },
    ],
  };
}
