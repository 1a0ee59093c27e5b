/**
 * The settings `oplatomat report` and `oplatomat export` give their process and connection
 * (kiosk/reports/report-process.ts, issue 17). That the commands apply them is tested on the real
 * command in test/integration/cli/oplatomat.test.ts (the compiler tier a probe reaches); the tiers are
 * not set here, since they would hold for the rest of this test process.
 */
import { describe, expect, it } from "vitest";
import { REPORT_CACHE_KIB, tierForReport, useReportCache } from "../../../kiosk/reports/report-process.ts";
import { openDatabase } from "../../../kiosk/store/db.ts";

describe("a report's process", () => {
  it("reads with a 512 KiB page cache instead of the kiosk's 2 000 KiB", () => {
    const db = openDatabase(":memory:");
    try {
      expect(db.pragma("cache_size", { simple: true })).toBe(-2000);
      useReportCache(db);
      expect(REPORT_CACHE_KIB).toBe(512);
      expect(db.pragma("cache_size", { simple: true })).toBe(-512);
    } finally {
      db.close();
    }
  });

  it("leaves Node 20's compiler tiers alone (its Maglev is not production-ready)", () => {
    expect(tierForReport("20.20.2")).toBe(false);
  });
});
