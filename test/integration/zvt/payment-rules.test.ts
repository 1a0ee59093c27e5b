/**
 * Issue 12 defect 5, driver part: each case failed on the driver before the fix. A quick second
 * payment after a decline, a cancel queued behind a status enquiry, an abort refused with 84 83, a 04 0F
 * without result code, and a 04 0F for another amount or currency than asked.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { TerminalTransaction } from "../../../devices/device.ts";
import { type Rig, rig, until, type Wire } from "./harness.ts";

const rigs: Rig[] = [];
afterEach(async () => {
  while (rigs.length) await rigs.pop()?.close();
});

async function ready(wire: Wire, ...rest: Parameters<typeof rig> extends [Wire, ...infer R] ? R : never) {
  const r = await rig(wire, ...rest);
  rigs.push(r);
  await r.driver.open();
  await until(() => r.driver.state === "idle");
  return r;
}

describe.each<Wire>(["tcp", "serial"])("payment rules over %s", (wire) => {
  it("a second payment asked for as soon as a decline is on record waits for the terminal, is not refused, counts once", async () => {
    const r = await ready(wire);
    r.sim.setNextOutcome({ kind: "decline", resultCode: 0x05 });
    let second: Promise<TerminalTransaction> | undefined;
    const first = await r.driver.authorize({
      amount: 1000,
      persist: (tx) => {
        // The visitor sees the decline and presses "pay" again before the terminal sent its 06 1E.
        if (tx.outcome !== "declined") return;
        setImmediate(() => {
          second = r.driver.authorize({ amount: 1000, persist: () => {} });
        });
      },
    });
    expect(first.outcome).toBe("declined");
    expect(second).toBeDefined();
    await expect(second).resolves.toMatchObject({ outcome: "approved", amount: 1000 });
    const stats = r.driver.statistics();
    expect(stats.authorizations).toBe(2);
    expect(stats.transactions_declined).toBe(1);
    expect(stats.transactions_approved).toBe(1);
    expect(r.sim.turnover().map((t) => t.amount)).toEqual([1000]);
  });

  it("a cancel queued behind a status enquiry is not lost: the payment is never sent", async () => {
    const r = await ready(wire);
    // A status enquiry (health check) holds the terminal; the payment queues; the visitor cancels.
    const health = r.driver.checkHealth();
    const payment = r.driver.authorize({ amount: 700, persist: () => {} });
    expect(await r.driver.abort()).toBe("accepted");
    await health;
    await expect(payment).resolves.toMatchObject({ outcome: "aborted", amount: 700 });
    expect(r.sim.received).not.toContain(0x0601);
    expect(r.sim.turnover()).toEqual([]);
  });

  it("a 04 0F without result code is not an approval: answered negatively, the terminal reverses", async () => {
    const r = await ready(wire);
    r.sim.setNextOutcome({ kind: "noResultCode" });
    const rows: TerminalTransaction[] = [];
    const tx = await r.driver.authorize({ amount: 1500, persist: (t) => void rows.push(t) });
    expect(rows[0]?.outcome).toBe("declined");
    expect(rows[0]?.extra?.missingResultCode).toBe(1);
    expect(tx.outcome).not.toBe("approved");
    expect(r.sim.turnover()).toEqual([]);
    expect(r.driver.lastError?.code).toBe("status_information_without_result");
  });

  it.each([
    ["another amount", { amount: 150 }],
    ["another currency (EUR 978)", { currency: 978 }],
  ])("a 04 0F approving %s than asked is not booked: answered negatively, reported", async (_n, other) => {
    const r = await ready(wire);
    r.sim.setNextOutcome({ kind: "approveOther", ...other });
    const rows: TerminalTransaction[] = [];
    const tx = await r.driver.authorize({ amount: 15000, persist: (t) => void rows.push(t) });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.outcome).toBe("declined");
    expect(String(rows[0]?.extra?.mismatch)).toMatch(/asked were 15000 in 985/);
    expect(tx.outcome).not.toBe("approved");
    expect(r.sim.turnover()).toEqual([]);
    expect(r.driver.lastError?.code).toBe("amount_mismatch");
  });
});

describe("an abort the terminal refuses with 84 83", () => {
  it("on T4 expiry: the payment goes on, the driver waits for its result under T4 again", async () => {
    const r = await ready("tcp", {}, { t3Ms: 200, t4Ms: 1000 });
    r.sim.setNextOutcome({ kind: "hostSilence", ms: 1600 });
    const tx = await r.driver.authorize({ amount: 2600, persist: () => {} });
    expect(r.sim.received).toContain(0x06b0);
    expect(tx).toMatchObject({ outcome: "approved", amount: 2600 });
    expect(r.sim.turnover().map((t) => t.amount)).toEqual([2600]);
  });
});
