/**
 * Metrics of the alarms that wait for staff, of the backups and of the fleet heartbeat, registered into the kiosk's
 * registry. The conflict and mismatch counters follow the alarms table (append-only), so they
 * survive a restart and never go down; the open-alarm gauge falls when staff acknowledge.
 */
import type { AlarmKind } from "../store/alarms.ts";
import { type AnySeries, CounterSeries, GaugeSeries } from "./metric-series.ts";

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
  private readonly raised = new Map<AlarmKind, { counter: CounterSeries; seen: number }>();
  private readonly open: GaugeSeries;
  private readonly backupFailures: CounterSeries;
  private readonly backupFailing: GaugeSeries;
  private readonly backupLastSuccess: GaugeSeries;
  private readonly heartbeatFailures: CounterSeries;
  private readonly heartbeatFailing: GaugeSeries;
  private readonly heartbeatLastSuccess: GaugeSeries;

  /** `add` registers each series with the kiosk's metrics, in the order /metrics lists them. */
  constructor(add: <S extends AnySeries>(series: S) => S) {
    for (const kind of Object.keys(COUNTER_OF) as AlarmKind[]) {
      const counter = add(new CounterSeries(COUNTER_OF[kind], HELP_OF[kind]));
      this.raised.set(kind, { counter, seen: 0 });
    }
    this.open = add(
      new GaugeSeries(
        "oplatomat_alarms_unacknowledged",
        "Alarms raised and not yet acknowledged by staff in the service console, by alarm.",
        true,
      ),
    );
    for (const kind of this.raised.keys()) this.open.set(0, { alarm: kind });
    this.backupFailures = add(
      new CounterSeries("oplatomat_backup_failures_total", "Database backup runs that failed."),
    );
    this.backupFailing = add(
      new GaugeSeries("oplatomat_backup_failing", "1 while the latest database backup run failed."),
    );
    this.backupLastSuccess = add(
      new GaugeSeries(
        "oplatomat_backup_last_success_timestamp_seconds",
        "When the latest database backup was written (Unix time); 0 before the first.",
      ),
    );
    // A kiosk whose beats the hub refuses (wrong token, wrong address) is invisible in the fleet view;
    // these say so from the kiosk's side, where the technician's monitoring looks.
    this.heartbeatFailures = add(
      new CounterSeries(
        "oplatomat_heartbeat_failures_total",
        "Heartbeats the fleet receiver refused or that did not reach it (integrations.heartbeat).",
      ),
    );
    this.heartbeatFailing = add(
      new GaugeSeries(
        "oplatomat_heartbeat_failing",
        "1 while the latest heartbeat was refused or not delivered.",
      ),
    );
    this.heartbeatLastSuccess = add(
      new GaugeSeries(
        "oplatomat_heartbeat_last_success_timestamp_seconds",
        "When the fleet receiver last accepted a heartbeat (Unix time); 0 before the first.",
      ),
    );
  }

  /** Fed from the alarms table: every kind's count ever raised and count still open. */
  alarms(raisedEver: Record<AlarmKind, number>, open: Record<AlarmKind, number>): void {
    for (const [kind, entry] of this.raised) {
      const total = raisedEver[kind] ?? 0;
      if (total > entry.seen) entry.counter.inc(total - entry.seen);
      entry.seen = Math.max(entry.seen, total);
      this.open.set(open[kind] ?? 0, { alarm: kind });
    }
  }

  backup(outcome: { ok: boolean; at: Date }): void {
    this.backupFailing.set(outcome.ok ? 0 : 1);
    if (outcome.ok) this.backupLastSuccess.set(Math.floor(outcome.at.getTime() / 1000));
    else this.backupFailures.inc();
  }

  heartbeat(outcome: { ok: boolean; at: Date }): void {
    this.heartbeatFailing.set(outcome.ok ? 0 : 1);
    if (outcome.ok) this.heartbeatLastSuccess.set(Math.floor(outcome.at.getTime() / 1000));
    else this.heartbeatFailures.inc();
  }
}
