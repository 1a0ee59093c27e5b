import { describe, expect, it } from "vitest";
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
