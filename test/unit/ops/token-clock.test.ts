/**
 * A service session's idle time and age are durations: measured on the monotonic clock, so a wall
 * clock stepped by NTP (an hour back, a day forward) neither keeps an idle console's token alive nor
 * ends a technician's session early.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { TokenStore } from "../../../kiosk/auth/tokens.ts";

afterEach(() => {
  vi.useRealTimers();
});

describe("service tokens across a wall-clock step", () => {
  it("an idle token expires after its 15 minutes though the clock was set back an hour meanwhile", () => {
    vi.useFakeTimers({ now: Date.parse("2026-10-25T00:50:00Z"), toFake: ["Date", "performance"] });
    const tokens = new TokenStore();
    const token = tokens.issue("technician:pin");
    vi.advanceTimersByTime(16 * 60_000);
    vi.setSystemTime(Date.now() - 60 * 60_000);
    expect(tokens.use(token)).toBeUndefined();
  });

  it("a token in use is not ended by the clock set a day forward", () => {
    vi.useFakeTimers({ now: Date.parse("2026-12-08T08:00:00Z"), toFake: ["Date", "performance"] });
    const tokens = new TokenStore();
    const token = tokens.issue("technician:pin");
    vi.advanceTimersByTime(60_000);
    vi.setSystemTime(Date.now() + 24 * 60 * 60_000);
    expect(tokens.use(token)?.subject).toBe("technician:pin");
  });
});
