/**
 * The outbox's retention on a whole kiosk: real visits through the visitor API, their reports
 * delivered by the kiosk's own outbox worker to a fake settlement platform, then the daemon's quiet
 * retention (kiosk/ops/quiet-retention.ts, as kiosk/daemon.ts starts it) on the kiosk's database and
 * flow, with the real clock. A delivered message past its period goes; a recently delivered one, an
 * old pending one and an old parked one stay; nothing deleted is ever sent again, nor enqueued again
 * by a restart's recovery; the next visit reports as before.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { KioskConfig } from "../../../kiosk/config/types.ts";
import { FakeSettlement } from "../../../kiosk/integrations/fake-settlement.ts";
import { pruneOutboxWhenQuiet, type QuietRetention } from "../../../kiosk/ops/quiet-retention.ts";
import { insertOutboxMessage, markOutboxParked, markOutboxRetry } from "../../../kiosk/store/outbox.ts";
import { OUTBOX_RETENTION_DAYS } from "../../../kiosk/store/outbox-retention.ts";
import { type Harness, makeHarness, postTo, waitForState } from "../../helpers/kiosk-harness.ts";
import { issueSlip } from "../../helpers/test-config.ts";
import { waitFor } from "./harness.ts";

const DAY = 86_400_000;

let h: Harness | undefined;
let settlement: FakeSettlement | undefined;
let retention: QuietRetention | undefined;
afterEach(async () => {
  retention?.stop();
  await h?.close();
  await settlement?.close();
  h = undefined;
  settlement = undefined;
  retention = undefined;
});

interface Row {
  id: string;
  session_id: string | null;
  status: string;
}

async function visit(k: Harness): Promise<string> {
  const scanned = await postTo(k, "/api/scan", { payload: issueSlip(k.keys) });
  expect(scanned.statusCode).toBe(200);
  const id = (scanned.json() as { id: string }).id;
  expect((await postTo(k, "/api/session/pay")).statusCode).toBe(202);
  await waitForState(k.kiosk, ["done"]);
  return id;
}

describe("outbox retention on a running kiosk", () => {
  it("deletes a delivered message past its period; keeps a recent one, an old pending and an old parked one", async () => {
    settlement = await FakeSettlement.start();
    const url = settlement.url;
    const withSettlement = (c: KioskConfig): KioskConfig => ({
      ...c,
      integrations: { settlement: { url, timeoutMs: 2_000 } },
    });
    h = await makeHarness({ logName: "outbox-retention", config: withSettlement });
    const k = h;
    const db = k.kiosk.db;
    const rows = () => db.prepare("SELECT id, session_id, status FROM outbox ORDER BY seq").all() as Row[];

    const old = await visit(k);
    const recent = await visit(k);
    await waitFor(() => rows().length === 2 && rows().every((r) => r.status === "delivered"), "deliveries");
    expect(settlement.transactions()).toHaveLength(2);

    // The first payment's report was delivered a period and a day ago (its row says so).
    const longAgo = new Date(Date.now() - (OUTBOX_RETENTION_DAYS + 1) * DAY);
    db.prepare("UPDATE outbox SET delivered_at = ? WHERE session_id = ?").run(longAgo.toISOString(), old);
    // An old message still pending (its next attempt far ahead) and an old parked one.
    const outcome = { attempts: 9, status: 503, error: "unavailable", at: longAgo };
    for (const id of ["old-pending", "old-parked"]) {
      insertOutboxMessage(
        db,
        { id, destination: "archive", kind: "test", path: "/x", sessionId: null, body: { n: 1 } },
        longAgo,
      );
    }
    markOutboxRetry(db, "old-pending", outcome, new Date(Date.now() + 365 * DAY));
    markOutboxParked(db, "old-parked", { ...outcome, status: 422 });

    const lines: object[] = [];
    const log = { info: (obj: object) => lines.push(obj), warn: (obj: object) => lines.push(obj) };
    retention = pruneOutboxWhenQuiet(db, k.kiosk.flow, { log, checkMs: 20 });
    await waitFor(() => rows().length === 3, "the retention's first look");

    expect(rows().map((r) => [r.session_id ?? r.id, r.status])).toEqual([
      [recent, "delivered"],
      ["old-pending", "pending"],
      ["old-parked", "failed"],
    ]);
    expect(lines).toEqual([expect.objectContaining({ deleted: 1, complete: true })]);

    // Nothing deleted is sent again, and the next visit is reported as before.
    k.kiosk.outbox.kick();
    const next = await visit(k);
    await waitFor(
      () => rows().some((r) => r.session_id === next && r.status === "delivered"),
      "next delivery",
    );
    const sent = settlement.countByKey();
    expect([...sent.values()].every((n) => n === 1)).toBe(true);
    expect(settlement.transactions()).toHaveLength(3);

    // A restart (start-up recovery runs) re-enqueues nothing of the pruned payment: its session is
    // done, and only the commit of an approved payment enqueues its reports.
    retention.stop();
    await k.kiosk.close();
    h = await makeHarness({ logName: "outbox-retention-restart", restartOf: k, config: withSettlement });
    const again = h.kiosk.db;
    const restarted = () =>
      again.prepare("SELECT id, session_id, status FROM outbox ORDER BY seq").all() as Row[];
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(restarted().some((r) => r.session_id === old)).toBe(false);
    expect(restarted().map((r) => r.status)).toEqual(["delivered", "pending", "failed", "delivered"]);
    expect(settlement.transactions()).toHaveLength(3);
    expect([...settlement.countByKey().values()].every((n) => n === 1)).toBe(true);
  });
});
