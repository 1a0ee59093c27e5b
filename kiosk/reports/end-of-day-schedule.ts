/**
 * Runs end-of-day at the configured local time (`endOfDay.time`, "HH:MM", office time zone). When a
 * run is refused or fails (a payment still unresolved, the terminal offline) it is retried every
 * `retryMs` until it succeeds or the next day's time comes.
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
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let next: Date | undefined = nextOccurrence(clock(), options.time, tz);
  let retryUntil: Date | undefined;

  const arm = (at: Date) => {
    if (stopped) return;
    const wait = Math.min(Math.max(0, at.getTime() - clock().getTime()), MAX_WAIT_MS);
    timer = setTimeout(tick, wait);
    timer.unref();
  };

  const tick = () => {
    if (stopped || !next) return;
    if (clock().getTime() < next.getTime()) return arm(next);
    const scheduledFor = next;
    retryUntil ??= nextOccurrence(scheduledFor, options.time, tz);
    options.run().then(
      () => {
        retryUntil = undefined;
        next = nextOccurrence(clock(), options.time, tz);
        arm(next);
      },
      (e: unknown) => {
        options.onError?.(e);
        const retryAt = new Date(clock().getTime() + retryMs);
        if (retryUntil && retryAt.getTime() < retryUntil.getTime()) {
          next = retryAt;
        } else {
          retryUntil = undefined;
          next = nextOccurrence(clock(), options.time, tz);
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
