/**
 * Metrics of the alarms that wait for staff and of the backups, registered into the kiosk's
 * registry. The conflict and mismatch counters follow the alarms table (append-only), so they
 * survive a restart and never go down; the open-alarm gauge falls when staff acknowledge.
 */
import { Counter, Gauge, type Registry } from "prom-client";
import type { AlarmKind } from "../store/alarms.ts";

const COUNTER_OF: Record<AlarmKind, string> = {
  payment_conflict: "oplatomat_payment_conflicts_total",
  end_of_day_mismatch: "oplatomat_end_of_day_mismatches_total",
};
const HELP_OF: Record<AlarmKind, string> = {
  payment_conflict:
    "Receivers' 409 answers to a payment (the slip was paid elsewhere): each is a refund for staff to make.",
  end_of_day_mismatch: "End-of-day closings whose terminal totals differed from the kiosk's.",
};

export class AlarmMetrics {
  private readonly raised = new Map<AlarmKind, { counter: Counter; seen: number }>();
  private readonly open: Gauge<"alarm">;
  private readonly backupFailures: Counter;
  private readonly backupFailing: Gauge;
  private readonly backupLastSuccess: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    for (const kind of Object.keys(COUNTER_OF) as AlarmKind[]) {
      const counter = new Counter({ name: COUNTER_OF[kind], help: HELP_OF[kind], registers });
      this.raised.set(kind, { counter, seen: 0 });
    }
    this.open = new Gauge({
      name: "oplatomat_alarms_unacknowledged",
      help: "Alarms raised and not yet acknowledged by staff in the service console, by alarm.",
      labelNames: ["alarm"],
      registers,
    });
    for (const kind of this.raised.keys()) this.open.set({ alarm: kind }, 0);
    this.backupFailures = new Counter({
      name: "oplatomat_backup_failures_total",
      help: "Database backup runs that failed.",
      registers,
    });
    this.backupFailing = new Gauge({
      name: "oplatomat_backup_failing",
      help: "1 while the latest database backup run failed.",
      registers,
    });
    this.backupLastSuccess = new Gauge({
      name: "oplatomat_backup_last_success_timestamp_seconds",
      help: "When the latest database backup was written (Unix time); 0 before the first.",
      registers,
    });
  }

  /** Fed from the alarms table: every kind's count ever raised and count still open. */
  alarms(raisedEver: Record<AlarmKind, number>, open: Record<AlarmKind, number>): void {
    for (const [kind, entry] of this.raised) {
      const total = raisedEver[kind] ?? 0;
      if (total > entry.seen) entry.counter.inc(total - entry.seen);
      entry.seen = Math.max(entry.seen, total);
      this.open.set({ alarm: kind }, open[kind] ?? 0);
    }
  }

  backup(outcome: { ok: boolean; at: Date }): void {
    this.backupFailing.set(outcome.ok ? 0 : 1);
    if (outcome.ok) this.backupLastSuccess.set(Math.floor(outcome.at.getTime() / 1000));
    else this.backupFailures.inc();
  }
}
