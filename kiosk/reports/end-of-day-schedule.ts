/**
 * Runs end-of-day at the configured local time (`endOfDay.time`, "HH:MM", office time zone). When a
 * run is refused or fails (a payment still unresolved, the terminal offline) it is retried every
 * `retryMs` until it succeeds or the next day's time comes. With `overdue`, a past day left open is
 * closed late, once: at start and just after midnight.
 */
import { addDays, businessDay, offsetMinutes } from "../domain/time.ts";

export interface EndOfDaySchedule {
  stop(): void;
  nextRunAt(): Date | undefined;
}

export interface ScheduleOptions {
  time: string;
  timezone?: string;
  run: () => Promise<unknown>;
  onError?: (error: unknown) => void;
  now?: () => Date;
  retryMs?: number;
  /**
   * True while a past business day's payments are still in the terminal's open batch (paid after the
   * last closing: the kiosk was off when that day's closing was due, or took payments after it and
   * before midnight). Given, the schedule closes such a day at start and just after each midnight, so
   * every batch holds one business day, as the day's report and the hub's day reconcile it.
   */
  overdue?: () => boolean;
  /**
   * The late closing's run (defaults to `run`): the daemon's refuses while a visit is on screen, so a
   * visitor's basket at midnight is not ended by it; refused, it is tried again every `retryMs`.
   */
  runLate?: () => Promise<unknown>;
}

/** The UTC instant of a local wall-clock time on a day in `tz` (DST-safe for times that exist). */
export function zonedTime(day: string, hour: number, minute: number, tz: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  let t = wall - offsetMinutes(new Date(wall), tz) * 60_000;
  t = wall - offsetMinutes(new Date(t), tz) * 60_000;
  return new Date(t);
}

export function nextOccurrence(now: Date, time: string, tz = "Europe/Warsaw"): Date {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!m) throw new RangeError(`end-of-day time must be HH:MM, got ${JSON.stringify(time)}`);
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  let day = businessDay(now, tz);
  let at = zonedTime(day, hour, minute, tz);
  if (at.getTime() <= now.getTime()) {
    day = addDays(day, 1);
    at = zonedTime(day, hour, minute, tz);
  }
  return at;
}

/** setTimeout cannot wait longer than ~24.8 days; a day is far below, but keep each wait bounded. */
const MAX_WAIT_MS = 6 * 60 * 60_000;

export function scheduleEndOfDay(options: ScheduleOptions): EndOfDaySchedule {
  const tz = options.timezone ?? "Europe/Warsaw";
  const clock = options.now ?? (() => new Date());
  const retryMs = options.retryMs ?? 60_000;
  const overdue = options.overdue;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let retryUntil: Date | undefined;
  /** A catch-up (not the configured time): it runs only while a past day is still open. */
  let catchUp = false;

  /** The configured time, or the next midnight when it comes first and a catch-up is asked for. */
  const plan = (now: Date): Date => {
    const atTime = nextOccurrence(now, options.time, tz);
    const atMidnight = overdue ? nextOccurrence(now, "00:00", tz) : atTime;
    catchUp = atMidnight.getTime() < atTime.getTime();
    return catchUp ? atMidnight : atTime;
  };

  let next: Date | undefined = plan(clock());
  if (overdue?.()) {
    // Started with a past day's payments still in the terminal's open batch (the kiosk was off, or
    // restarted, when that day's closing was due): close it now, once, not at tomorrow's time.
    catchUp = true;
    next = clock();
  }

  const arm = (at: Date) => {
    if (stopped) return;
    const wait = Math.min(Math.max(0, at.getTime() - clock().getTime()), MAX_WAIT_MS);
    timer = setTimeout(tick, wait);
    timer.unref();
  };

  const tick = () => {
    if (stopped || !next) return;
    if (clock().getTime() < next.getTime()) return arm(next);
    if (catchUp && !overdue?.()) {
      // Nothing left of a past day (closed meanwhile, or no payment after its closing).
      retryUntil = undefined;
      next = plan(clock());
      return arm(next);
    }
    const scheduledFor = next;
    // A refused run is retried until the configured time comes again (which then runs as itself).
    retryUntil ??= nextOccurrence(scheduledFor, options.time, tz);
    (catchUp ? (options.runLate ?? options.run) : options.run)().then(
      () => {
        retryUntil = undefined;
        next = plan(clock());
        arm(next);
      },
      (e: unknown) => {
        options.onError?.(e);
        const retryAt = new Date(clock().getTime() + retryMs);
        if (retryUntil && retryAt.getTime() < retryUntil.getTime()) {
          next = retryAt;
        } else {
          retryUntil = undefined;
          next = plan(clock());
        }
        arm(next);
      },
    );
  };

  arm(next);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      next = undefined;
    },
    nextRunAt: () => next,
  };
}
