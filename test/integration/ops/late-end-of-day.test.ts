/**
 * The daemon closes a past business day the terminal's batch still holds as soon as it starts: a kiosk
 * that was off (or restarting) when that day's `endOfDay.time` came closes it late, once, as that day's,
 * instead of leaving it to the next day's closing (which would hold two days in one batch, and leave
 * the day open on the hub). docs/operations.md, "The office's day".
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { businessDay, isoWithOffset, zonedParts } from "../../../kiosk/domain/time.ts";
import { LogTail } from "../../../kiosk/ops/logger.ts";
import { lateEndOfDay } from "../../../kiosk/service/backends.ts";
import { type CliDaemon, payDemoSlip, startCliDaemon, until, writeConfig } from "../../helpers/cli-daemon.ts";
import { makeHarness } from "../../helpers/kiosk-harness.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";

const keys = testKeys();
let dir = "";
let dataDir = "";
let configFile = "";
let running: CliDaemon | undefined;

/** An end-of-day time twelve hours away: the schedule's own time does not come during the test. */
function farTime(): string {
  const z = zonedParts(new Date(Date.now() + 12 * 3_600_000));
  return `${String(z.hour).padStart(2, "0")}:${String(z.minute).padStart(2, "0")}`;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-late-eod-"));
  dataDir = path.join(dir, "data");
  fs.mkdirSync(dataDir);
  configFile = writeConfig(dir, {
    ...testConfig(keys, {}),
    storage: { path: "oplatomat.db" },
    endOfDay: { time: farTime() },
  });
});

afterAll(async () => {
  await running?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const closings = (): Array<{ business_day: string }> => {
  const db = new Database(path.join(dataDir, "oplatomat.db"), { readonly: true });
  try {
    return db.prepare("SELECT business_day FROM terminal_days ORDER BY id").all() as Array<{
      business_day: string;
    }>;
  } finally {
    db.close();
  }
};

describe("a past day left open when the daemon starts", () => {
  it("is closed at start, as that day's", async () => {
    running = await startCliDaemon(configFile, dataDir);
    const paid = await payDemoSlip(running.url, issueSlip(keys));
    await running.stop();
    running = undefined;
    expect(closings()).toEqual([]);

    // The payment was yesterday's and the kiosk was off at yesterday's end-of-day time.
    const yesterday = new Date(Date.now() - 24 * 3_600_000);
    const db = new Database(path.join(dataDir, "oplatomat.db"));
    db.prepare("UPDATE sessions SET paid_at = ?, business_day = ? WHERE id = ?").run(
      isoWithOffset(yesterday),
      businessDay(yesterday),
      paid,
    );
    db.close();

    running = await startCliDaemon(configFile, dataDir);
    const closed = await until(() => {
      const rows = closings();
      return rows.length > 0 ? rows : undefined;
    }, "the late closing");
    expect(closed).toEqual([{ business_day: businessDay(yesterday) }]);
  }, 90_000);
});

describe("the late closing and a visitor at the screen", () => {
  it("waits while a visit is on screen, and runs once it has ended", async () => {
    const h = await makeHarness({ logName: "late-end-of-day" });
    try {
      const { kiosk } = h;
      const ctx = { ...kiosk, logTail: new LogTail(), now: () => new Date() };
      const scan = await kiosk.app.inject({
        method: "POST",
        url: "/api/scan",
        payload: { payload: issueSlip(h.keys) },
      });
      expect(scan.statusCode).toBe(200);
      await expect(lateEndOfDay(ctx, "scheduler")).rejects.toMatchObject({ code: "CONFLICT" });
      expect(kiosk.flow.view().state).toBe("summary");
      expect(kiosk.db.prepare("SELECT COUNT(*) AS n FROM terminal_days").get()).toEqual({ n: 0 });
      expect((await kiosk.app.inject({ method: "POST", url: "/api/session/cancel" })).statusCode).toBe(200);
      await lateEndOfDay(ctx, "scheduler");
      expect(kiosk.db.prepare("SELECT COUNT(*) AS n FROM terminal_days").get()).toEqual({ n: 1 });
    } finally {
      await h.close();
    }
  }, 30_000);
});
