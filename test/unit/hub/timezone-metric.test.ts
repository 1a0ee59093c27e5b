import { afterEach, describe, expect, it, vi } from "vitest";
import { createHubMetrics } from "../../../hub/ops/metrics.ts";

const metrics = () => createHubMetrics({ openDays: async () => [], databaseUp: async () => true });

afterEach(() => {
  vi.useRealTimers();
});

describe("the hub's Warsaw offset gauge (the alert rules' clock)", () => {
  it("says 3600 in winter and 7200 in summer, switching at the last Sunday of March 01:00 UTC", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const at = async (iso: string) => {
      vi.setSystemTime(new Date(iso));
      const text = await metrics().registry.metrics();
      return /^oplatomat_hub_timezone_offset_seconds (\d+)$/m.exec(text)?.[1];
    };
    expect(await at("2026-01-15T12:00:00Z")).toBe("3600");
    expect(await at("2026-03-29T00:59:59Z")).toBe("3600");
    expect(await at("2026-03-29T01:00:00Z")).toBe("7200");
    expect(await at("2026-07-01T21:30:00Z")).toBe("7200");
    expect(await at("2026-10-25T01:00:00Z")).toBe("3600");
  });
});
