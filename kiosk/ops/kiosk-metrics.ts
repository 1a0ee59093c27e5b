/**
 * Connects a running kiosk to its metrics: the devices (ops/device-metrics.ts), each finished
 * payment and the out-of-order switch from the flow, the last payment's time from the database,
 * and every 5 s (and on a receiver's conflict) the outbox backlog and the open alarms. Returns the
 * function that detaches it all.
 */
import type { KioskDevices } from "../../devices/device.ts";
import type { PaymentFlow } from "../flow/payment-session.ts";
import type { OutboxWorker } from "../outbox/worker.ts";
import { openAlarmCounts, raisedAlarmCounts } from "../store/alarms.ts";
import type { Db } from "../store/db.ts";
import { lastCommittedPaymentAt } from "../store/payment-list.ts";
import { bindDeviceMetrics } from "./device-metrics.ts";
import type { KioskMetrics } from "./metrics.ts";

export interface MeteredKiosk {
  devices: KioskDevices;
  flow: PaymentFlow;
  outbox: OutboxWorker;
  db: Db;
}

const REFRESH_MS = 5_000;

export function bindKioskMetrics(kiosk: MeteredKiosk, metrics: KioskMetrics): () => void {
  const { flow, outbox, db } = kiosk;
  const unbindDevices = bindDeviceMetrics(kiosk.devices, metrics);
  flow.on("paymentFinished", (p) => {
    const outcome = p.outcome === "not_charged" ? "unknown" : p.outcome;
    metrics.paymentFinished(outcome, p.outcome === "approved" ? p.amount : 0, p.seconds);
  });
  flow.on("visitAbandoned", (v) => metrics.visitAbandoned(v.outcome));
  flow.on("outOfOrder", (reasons) => metrics.outOfOrderState(reasons.length > 0));
  const last = lastCommittedPaymentAt(db);
  if (last) metrics.restoreLastPayment(last);
  const refresh = () => {
    for (const b of outbox.backlog()) metrics.outbox(b.destination, b.pending, b.oldestAgeSeconds, b.failed);
    metrics.alarms.alarms(raisedAlarmCounts(db), openAlarmCounts(db));
  };
  outbox.on("conflict", refresh);
  refresh();
  const timer = setInterval(refresh, REFRESH_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    outbox.off("conflict", refresh);
    unbindDevices();
  };
}
