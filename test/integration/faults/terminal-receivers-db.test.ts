/**
 * Faults around the money, through the whole kiosk with its real drivers: the terminal's socket
 * dropped mid-payment, the receivers hanging, the database full. In each case nobody is charged
 * without a record, the kiosk says clearly that it cannot serve, and it serves again by itself
 * once the fault is gone.
 */
import { afterEach, describe, expect, it } from "vitest";
import { seededRandom } from "../../../kiosk/integrations/fake-server.ts";
import { checkInvariants, issueSlip, payOnce, type Rig, startRig } from "../../crash/rig.ts";
import { eventually, type FaultKiosk, getJson, ready, sessionState, startFaultKiosk } from "./fault-kiosk.ts";

let rig: Rig | undefined;
let k: FaultKiosk | undefined;

afterEach(async () => {
  await k?.close();
  await rig?.close();
  k = undefined;
  rig = undefined;
});

function charged(r: Rig): number {
  return r.terminal.turnover().filter((t) => t.state === "charged").length;
}

describe("terminal link dropped mid-payment", () => {
  it("the visitor is not charged, and the next payment goes through", async () => {
    rig = await startRig();
    k = await startFaultKiosk(rig, { logName: "fault-terminal-drop" });
    const random = seededRandom(3);
    await eventually("ready", async () => (await ready(k!.url)) === 200);
    // A terminal in service has a last transaction; after the drop it repeats that older one, which
    // proves this payment never happened (a terminal repeating nothing would leave it to staff).
    expect(await payOnce(k.url, issueSlip(rig, random, 0))).toBe("paid");
    rig.terminal.setNextOutcome("dropMidPayment");
    const slip = issueSlip(rig, random, 0);
    // The driver reconnects and the flow asks the terminal what happened; today that takes ~35 s.
    expect(await payOnce(k.url, slip, 80_000)).toBe("not_charged");
    await eventually(
      "the payment resolved with the terminal",
      async () => ["cancelled", "idle"].includes(await sessionState(k!.url)),
      60_000,
    );
    expect(charged(rig)).toBe(1);
    // The same slip, paid properly this time, exactly once.
    expect(await payOnce(k.url, slip)).toBe("paid");
    expect(charged(rig)).toBe(2);
    expect(await payOnce(k.url, slip)).toBe("already_paid");
  }, 120_000);
});

describe("receivers hanging", () => {
  it("payments go on; messages wait and are delivered once each when the receivers answer again", async () => {
    rig = await startRig({ faults: { errorRate: 0, hangRate: 1, seed: 4 }, deliveryTimeoutMs: 150 });
    k = await startFaultKiosk(rig, { logName: "fault-receivers-hang" });
    const random = seededRandom(4);
    for (let i = 0; i < 3; i++) expect(await payOnce(k.url, issueSlip(rig, random, 0))).toBe("paid");
    const backlog = await getJson(`${k.url}/ready`);
    const checks = backlog.body["checks"] as Record<string, Array<{ observedValue?: number }>>;
    const pending = (checks["outbox:backlog"] ?? []).reduce((a, c) => a + (c.observedValue ?? 0), 0);
    expect(pending).toBeGreaterThan(0);

    rig.setDeliveryFaults({ errorRate: 0, hangRate: 0, seed: 5 });
    await eventually(
      "outbox drained",
      () =>
        (
          k!.kiosk.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'").get() as {
            n: number;
          }
        ).n === 0,
      30_000,
    );
    await k.close();
    k = undefined;
    const verdict = checkInvariants(rig);
    expect(verdict.problems).toEqual([]);
    expect(verdict.approved).toBe(3);
  });
});

describe("database full", () => {
  it("goes out of order cleanly instead of failing visitors, and recovers when space is back", async () => {
    rig = await startRig();
    k = await startFaultKiosk(rig, { logName: "fault-db-full" });
    const { kiosk, url } = k;
    const random = seededRandom(5);
    await eventually("ready", async () => (await ready(url)) === 200);
    expect(await payOnce(url, issueSlip(rig, random, 0))).toBe("paid");

    // Fill it: no page may be added any more (what max_page_count does on a full disk's behalf).
    const pages = kiosk.db.pragma("page_count", { simple: true }) as number;
    kiosk.db.pragma(`max_page_count = ${pages}`);
    let refusals = 0;
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${url}/api/scan`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ payload: issueSlip(rig, random, 0) }),
      });
      if (res.status === 200) {
        // It still fitted: finish this visit the way a visitor would.
        await fetch(`${url}/api/session/cancel`, { method: "POST" });
        continue;
      }
      expect(res.status).toBe(503);
      expect(((await res.json()) as { code: string }).code).toBe("DEVICE_UNAVAILABLE");
      refusals += 1;
      break;
    }
    expect(refusals).toBe(1);
    expect(await sessionState(url)).toBe("out_of_order");
    expect(await ready(url)).toBe(503);
    expect(charged(rig)).toBe(1);

    kiosk.db.pragma("max_page_count = 1073741823");
    await eventually("in service again", async () => (await sessionState(url)) === "idle", 15_000);
    expect(await payOnce(url, issueSlip(rig, random, 0))).toBe("paid");
    expect(charged(rig)).toBe(2);
  });
});
