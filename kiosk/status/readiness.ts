/**
 * The kiosk's readiness (`GET /ready`, SPEC §4): a check per device, the printer's paper, the service
 * door, the database taking writes, each outbox destination's backlog, an interrupted end-of-day,
 * the alarms waiting for staff, and whether visitors are served at all.
 */
import type { Readiness, ReadinessCheck } from "../../contracts/health.ts";
import { deviceList, type KioskDevices } from "../../devices/device.ts";
import { alarmChecks } from "../ops/alarm-checks.ts";
import { unconfirmedReversals } from "../store/reversals.ts";
import { interruptedEndOfDay } from "../store/terminal-days.ts";
import type { DestinationBacklog } from "../store/outbox.ts";
import { type Db, writeProbe } from "../store/db.ts";

export interface ReadinessSources {
  devices: KioskDevices;
  db: Db;
  outbox: { backlog(): DestinationBacklog[] };
  flow: { outOfOrder(): string[] };
}

/** A warning once a destination has parked messages or its oldest waits longer than this. */
const BACKLOG_WARN_SECONDS = 900;

export function deviceChecks(devices: KioskDevices, time: string): Readiness {
  const checks: Readiness = {};
  for (const [name, d] of deviceList(devices)) {
    const usable = d.state === "idle" || d.state === "busy";
    const check: ReadinessCheck = {
      componentType: "device",
      status: usable ? "pass" : "fail",
      observedValue: d.state,
      time,
    };
    if (d.lastError) check.output = `${d.lastError.code}: ${d.lastError.message}`;
    checks[`${name}:state`] = [check];
  }
  const paper = devices.printer.lastStatus;
  checks["printer:paper"] = [
    {
      componentType: "device",
      status:
        paper.paper === "out" || paper.coverOpen ? "fail" : paper.paper === "near_end" ? "warn" : "pass",
      observedValue: paper.coverOpen ? "cover_open" : paper.paper,
      time,
    },
  ];
  const door = devices.gpio.doorOpen;
  checks["gpio:door"] = [
    {
      componentType: "device",
      status: door ? "fail" : "pass",
      observedValue: door ? "open" : "closed",
      time,
    },
  ];
  return checks;
}

function databaseCheck(db: Db, time: string): ReadinessCheck {
  const probe = writeProbe(db);
  return probe.ok
    ? { componentType: "datastore", status: "pass", time }
    : { componentType: "datastore", status: "fail", output: probe.error, time };
}

function backlogChecks(backlog: DestinationBacklog[], time: string): ReadinessCheck[] {
  // SPEC §4 wants a check for the outbox: an empty queue is a passing one, not an empty list.
  if (backlog.length === 0) {
    return [
      {
        componentType: "component",
        status: "pass",
        observedValue: 0,
        observedUnit: "messages",
        output: "nothing waiting",
        time,
      },
    ];
  }
  return backlog.map((b) => ({
    componentType: "component",
    status: b.failed > 0 || b.oldestAgeSeconds > BACKLOG_WARN_SECONDS ? "warn" : "pass",
    observedValue: b.pending,
    observedUnit: "messages",
    output: `${b.destination}: ${b.pending} pending, ${b.failed} parked, oldest ${Math.round(b.oldestAgeSeconds)} s`,
    time,
  }));
}

function endOfDayChecks(db: Db, time: string): Readiness {
  const eod = interruptedEndOfDay(db);
  if (!eod) return {};
  return {
    "terminal:end_of_day": [
      {
        componentType: "component",
        status: "warn",
        observedValue: "interrupted",
        output: `end-of-day started ${eod.startedAt} never stored the terminal's totals; compare its printed end-of-day receipt and run end-of-day again`,
        time,
      },
    ],
  };
}

/** Voids the terminal never confirmed: the money may be back with the card holder while the kiosk says paid. */
function voidChecks(db: Db, time: string): Readiness {
  const open = unconfirmedReversals(db);
  if (open.length === 0) return {};
  const list = open.map((v) => `${v.paymentId} (${v.amount} gr, sent ${v.requestedAt})`).join(", ");
  return {
    "terminal:void": [
      {
        componentType: "component",
        status: "warn",
        observedValue: "unconfirmed",
        output: `the terminal never confirmed the void of ${list}; the payment is still held as paid: void it again (the terminal answers "already reversed" if it was) or compare the terminal's journal; end-of-day reconciles it otherwise`,
        time,
      },
    ],
  };
}

function serviceCheck(reasons: string[], time: string): ReadinessCheck {
  return {
    componentType: "component",
    status: reasons.length ? "fail" : "pass",
    observedValue: reasons.length ? "out_of_order" : "in_service",
    ...(reasons.length ? { output: reasons.join("; ") } : {}),
    time,
  };
}

/** The readiness of a running kiosk, computed on every `check()`. */
export class KioskReadiness {
  private readonly added: Array<() => Readiness> = [];

  constructor(private readonly src: ReadinessSources) {}

  /** Adds the checks of a part the daemon runs beside the kiosk (backups). */
  add(checks: () => Readiness): void {
    this.added.push(checks);
  }

  async check(): Promise<Readiness> {
    const { devices, db, outbox, flow } = this.src;
    const time = new Date().toISOString();
    return {
      ...deviceChecks(devices, time),
      "database:writable": [databaseCheck(db, time)],
      "outbox:backlog": backlogChecks(outbox.backlog(), time),
      ...endOfDayChecks(db, time),
      ...voidChecks(db, time),
      ...alarmChecks(db, time),
      ...Object.assign({}, ...this.added.map((checks) => checks())),
      "kiosk:service": [serviceCheck(flow.outOfOrder(), time)],
    };
  }
}
