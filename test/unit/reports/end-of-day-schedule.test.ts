import { afterEach, describe, expect, it, vi } from "vitest";
import { nextOccurrence, scheduleEndOfDay } from "../../../kiosk/reports/end-of-day-schedule.ts";

describe("end-of-day time", () => {
  it("is the configured Warsaw wall-clock time, today if still ahead, else tomorrow", () => {
    expect(nextOccurrence(new Date("2026-11-25T10:00:00Z"), "22:30").toISOString()).toBe(
      "2026-11-25T21:30:00.000Z",
    );
    expect(nextOccurrence(new Date("2026-11-25T21:30:00Z"), "22:30").toISOString()).toBe(
      "2026-11-26T21:30:00.000Z",
    );
  });

  it("follows daylight saving time", () => {
    expect(nextOccurrence(new Date("2026-07-01T10:00:00Z"), "22:30").toISOString()).toBe(
      "2026-07-01T20:30:00.000Z",
    );
    // 2026-03-29: clocks go forward at 02:00; the day before is still winter time.
    expect(nextOccurrence(new Date("2026-03-28T22:00:00Z"), "23:00").toISOString()).toBe(
      "2026-03-29T21:00:00.000Z",
    );
  });

  it("refuses a malformed time", () => {
    expect(() => nextOccurrence(new Date(), "24:00")).toThrow(RangeError);
    expect(() => nextOccurrence(new Date(), "7:5")).toThrow(RangeError);
  });

  it("retries a refused run until it succeeds", async () => {
    // A clock that runs like the real one, 10 ms before the end-of-day time when the schedule first
    // reads it. (Started when the test began, a machine stalled for 10 ms before the schedule read it
    // put the time in the past, and the schedule rightly waited for tomorrow: a time-out under load.)
    let started: number | undefined;
    const now = () => {
      started ??= Date.now();
      return new Date(Date.parse("2026-11-25T21:29:59.990Z") + (Date.now() - started));
    };
    let calls = 0;
    const errors: unknown[] = [];
    const done = new Promise<void>((resolve) => {
      const schedule = scheduleEndOfDay({
        time: "22:30",
        now,
        retryMs: 5,
        onError: (e) => errors.push(e),
        run: async () => {
          calls++;
          if (calls < 3) throw new Error("a payment is unresolved");
          schedule.stop();
          resolve();
        },
      });
    });
    await done;
    expect(calls).toBe(3);
    expect(errors).toHaveLength(2);
  });
});

describe("end-of-day schedule over days (simulated clock)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /**
   * Runs the schedule from `from` to `to` on vitest's simulated clock and timers and returns the
   * instants (UTC) its runs started at. `overdue` is asked with the simulated time.
   */
  async function runsBetween(
    from: string,
    to: string,
    time: string,
    overdue?: (now: Date) => boolean,
  ): Promise<string[]> {
    vi.useFakeTimers({ now: Date.parse(from) });
    const runs: string[] = [];
    const schedule = scheduleEndOfDay({
      time,
      now: () => new Date(),
      ...(overdue ? { overdue: () => overdue(new Date()) } : {}),
      run: async () => {
        runs.push(new Date().toISOString());
      },
    });
    await vi.advanceTimersByTimeAsync(Date.parse(to) - Date.parse(from));
    schedule.stop();
    return runs;
  }

  it("a time inside the hour skipped in spring runs once that day, at the same moment after the change", async () => {
    // 2027-03-28: 02:00 CET → 03:00 CEST; 02:30 does not exist and is taken as 03:30 CEST.
    expect(await runsBetween("2027-03-27T12:00:00Z", "2027-03-29T12:00:00Z", "02:30")).toEqual([
      "2027-03-28T01:30:00.000Z",
      "2027-03-29T00:30:00.000Z",
    ]);
  });

  it("a time inside the hour repeated in autumn runs once that day", async () => {
    // 2026-10-25: 03:00 CEST → 02:00 CET; 02:30 happens twice, the run is at the second (CET).
    expect(await runsBetween("2026-10-24T12:00:00Z", "2026-10-26T12:00:00Z", "02:30")).toEqual([
      "2026-10-25T01:30:00.000Z",
      "2026-10-26T01:30:00.000Z",
    ]);
  });

  it("a kiosk started with a past day still open closes it at once, then keeps its time", async () => {
    // The 25th's payments are in the open batch until the first run closes them.
    const runs = await runsBetween(
      "2026-11-26T06:00:00Z",
      "2026-11-26T22:00:00Z",
      "22:00",
      (now) => now.getTime() === Date.parse("2026-11-26T06:00:00Z"),
    );
    expect(runs).toEqual(["2026-11-26T06:00:00.000Z", "2026-11-26T21:00:00.000Z"]);
  });

  it("a day with payments after its end-of-day is closed just after midnight, once; other midnights run nothing", async () => {
    // Payments between the 22:00 closing and midnight of the 25th are still in the open batch.
    let lateAfter = Date.parse("2026-11-25T21:30:00Z");
    const overdue = (now: Date) => {
      // What the kiosk's records say: the 25th is open once its day is over, until a run closes it.
      const pastMidnight = now.getTime() >= Date.parse("2026-11-25T23:00:00Z");
      return pastMidnight && now.getTime() > lateAfter;
    };
    vi.useFakeTimers({ now: Date.parse("2026-11-25T20:00:00Z") });
    const runs: string[] = [];
    const schedule = scheduleEndOfDay({
      time: "22:00",
      now: () => new Date(),
      overdue: () => overdue(new Date()),
      run: async () => {
        runs.push(new Date().toISOString());
        lateAfter = Number.POSITIVE_INFINITY;
      },
    });
    await vi.advanceTimersByTimeAsync(Date.parse("2026-11-25T21:10:00Z") - Date.now());
    lateAfter = Date.parse("2026-11-25T21:30:00Z"); // a payment at 22:30, after the day's closing
    await vi.advanceTimersByTimeAsync(Date.parse("2026-11-27T23:30:00Z") - Date.now());
    schedule.stop();
    expect(runs).toEqual([
      "2026-11-25T21:00:00.000Z", // 22:00 on the 25th
      "2026-11-25T23:00:00.000Z", // 00:00 on the 26th: the 25th's late payments
      "2026-11-26T21:00:00.000Z",
      "2026-11-27T21:00:00.000Z",
    ]);
  });

  it("a refused late closing is retried until it runs, and not once the day is closed by hand", async () => {
    let open = true;
    let calls = 0;
    vi.useFakeTimers({ now: Date.parse("2026-11-26T06:00:00Z") });
    const schedule = scheduleEndOfDay({
      time: "22:00",
      now: () => new Date(),
      retryMs: 60_000,
      overdue: () => open,
      run: async () => {
        calls++;
        throw new Error("a payment is in progress");
      },
    });
    await vi.advanceTimersByTimeAsync(150_000);
    expect(calls).toBe(3); // at start, +1 min, +2 min
    open = false; // a technician closed the day from the console
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    schedule.stop();
    expect(calls).toBe(3);
  });

  it("a late closing runs the late run (put off while a visit is on screen), the configured time the other", async () => {
    vi.useFakeTimers({ now: Date.parse("2026-11-26T06:00:00Z") });
    const runs: string[] = [];
    let open = true;
    const schedule = scheduleEndOfDay({
      time: "22:00",
      now: () => new Date(),
      overdue: () => open,
      run: async () => {
        runs.push("run");
      },
      runLate: async () => {
        runs.push("late");
        open = false;
      },
    });
    await vi.advanceTimersByTimeAsync(Date.parse("2026-11-26T21:30:00Z") - Date.now());
    schedule.stop();
    expect(runs).toEqual(["late", "run"]);
  });
});
