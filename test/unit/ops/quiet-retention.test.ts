/**
 * The outbox's retention at quiet moments (kiosk/ops/quiet-retention.ts): a run deletes the expired
 * delivered messages in batches, one transaction each, and stops as soon as a visit is under way;
 * what a run left is taken up at the next quiet look; a complete run is not repeated before a day;
 * one info line with the count, never a body.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TypedEmitter } from "../../../devices/device.ts";
import type { ScreenChange } from "../../../kiosk/flow/ports.ts";
import { pruneOutboxWhenQuiet, type QuietRetention } from "../../../kiosk/ops/quiet-retention.ts";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import { insertOutboxMessage, markOutboxDelivered } from "../../../kiosk/store/outbox.ts";

const DAY = 86_400_000;

class Screen extends TypedEmitter<{ screen: [change: ScreenChange] }> {
  row: { state: string } | undefined;
  current(): { state: string } | undefined {
    return this.row;
  }
}

let db: Db;
let screen: Screen;
let clock: Date;
let retention: QuietRetention | undefined;
let lines: Array<{ obj: object; msg: string | undefined }>;
const log = {
  info: (obj: object, msg?: string) => lines.push({ obj, msg }),
  warn: (obj: object, msg?: string) => lines.push({ obj, msg }),
};

/** `n` settlement messages delivered `days` before the clock, with a body naming a card field. */
function delivered(n: number, days: number): void {
  const at = new Date(clock.getTime() - days * DAY);
  for (let i = 0; i < n; i++) {
    const id = `d${days}-${i}-${Math.random()}`;
    insertOutboxMessage(
      db,
      {
        id,
        destination: "settlement",
        kind: "transaction",
        path: "/t",
        sessionId: null,
        body: { pan: "SECRET" },
      },
      at,
    );
    markOutboxDelivered(db, id, { attempts: 1, status: 200, error: null, at });
  }
}

const count = () => (db.prepare("SELECT COUNT(*) AS n FROM outbox").get() as { n: number }).n;

function start(options: { batchRows?: number; maxBatches?: number; checkMs?: number } = {}): QuietRetention {
  retention = pruneOutboxWhenQuiet(db, screen, { log, now: () => clock, ...options });
  return retention;
}

beforeEach(() => {
  db = openDatabase(":memory:");
  screen = new Screen();
  clock = new Date("2026-12-06T12:00:00.000Z");
  lines = [];
});
afterEach(() => {
  retention?.stop();
  retention = undefined;
  db.close();
});

describe("outbox retention at quiet moments", () => {
  it("deletes the expired messages in batches and logs one line with the count, no body", async () => {
    delivered(23, 200);
    delivered(4, 5);
    const r = start({ batchRows: 5 });
    expect(await r.runNow()).toBe(23);
    expect(count()).toBe(4);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toMatch(/deleted/);
    expect(lines[0]?.obj).toMatchObject({ deleted: 23, complete: true });
    expect(JSON.stringify(lines)).not.toContain("SECRET");
  });

  it("does nothing while a visit is under way, and stops between batches when one starts", async () => {
    delivered(12, 200);
    const r = start({ batchRows: 5 });
    screen.row = { state: "summary" };
    expect(await r.runNow()).toBeNull();
    expect(count()).toBe(12);
    screen.row = { state: "done" };
    const running = r.runNow();
    // The first batch runs at once; the visitor scans before the next turn of the event loop.
    screen.row = { state: "authorizing" };
    expect(await running).toBe(5);
    expect(count()).toBe(7);
    screen.row = undefined;
    expect(await r.runNow()).toBe(7);
    expect(count()).toBe(0);
  });

  it("bounds a run to maxBatches; what is left is taken up at the next quiet look, not the next day", async () => {
    delivered(12, 200);
    const r = start({ batchRows: 5, maxBatches: 2, checkMs: 10 });
    expect(await r.runNow()).toBe(10);
    expect(count()).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(count()).toBe(0);
    expect(lines.map((l) => l.obj)).toEqual([
      expect.objectContaining({ deleted: 10, complete: false }),
      expect.objectContaining({ deleted: 2, complete: true }),
    ]);
  });

  it("after a complete run, looks again only a day later", async () => {
    delivered(3, 200);
    start({ checkMs: 10 });
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(count()).toBe(0);
    // Messages expire meanwhile (here: appear expired); the next run waits for the day to pass.
    delivered(2, 200);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(count()).toBe(2);
    clock = new Date(clock.getTime() + DAY);
    delivered(0, 0);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(count()).toBe(0);
    expect(lines.map((l) => (l.obj as { deleted: number }).deleted)).toEqual([3, 2]);
  });

  it("logs nothing when nothing expired; a failed run is logged and retried at the next look", async () => {
    delivered(2, 5);
    const r = start();
    expect(await r.runNow()).toBe(0);
    expect(lines).toEqual([]);

    delivered(3, 200);
    const broken = pruneOutboxWhenQuiet(db, screen, { log, now: () => clock });
    db.exec("ALTER TABLE outbox RENAME TO outbox_away");
    expect(await broken.runNow()).toBe(0);
    expect(lines[0]?.msg).toMatch(/retention failed/);
    db.exec("ALTER TABLE outbox_away RENAME TO outbox");
    expect(await broken.runNow()).toBe(3);
    broken.stop();
  });
});
