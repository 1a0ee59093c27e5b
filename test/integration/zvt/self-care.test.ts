/**
 * A terminal that asks for initialisation (terminal status 51, registration status byte 01) or diagnosis
 * (C2, byte 02) refuses payments until the kiosk sends 06 93 / 06 70 (wirelane/ecrterm issue #7: a blocked
 * terminal answered 51 and payments 27 DF). The driver sends it itself, bounded, and leaves it to a
 * technician when the terminal keeps asking. Before this change the driver only recorded
 * `terminal_needs_service` and every payment was refused.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { TerminalNeed } from "../../../devices/device.ts";
import { CMD } from "../../../devices/terminal/zvt/commands.ts";
import { type Rig, rig, until, type Wire } from "./harness.ts";

let r: Rig | undefined;
afterEach(async () => {
  await r?.close();
  r = undefined;
});

const sent = (rg: Rig, control: number): number => rg.sim.received.filter((c) => c === control).length;

describe.each<Wire>(["tcp", "serial"])("self-care over %s", (wire) => {
  it("terminal asks for initialisation → the driver sends 06 93 → ready → a payment is approved", async () => {
    r = await rig(wire, { profile: "needs-initialisation" });
    const needs: Array<TerminalNeed | null> = [];
    r.driver.on("need", (n) => needs.push(n));
    await r.driver.open();
    const rg = r;
    await until(
      () => rg.driver.state === "idle" && rg.driver.need === undefined && rg.sim.needs === undefined,
    );
    expect(sent(r, CMD.initialisation)).toBe(1);
    expect(needs[0]).toMatchObject({ action: "initialisation", by: "driver", code: 0x01 });
    expect(needs.at(-1)).toBeNull();
    const stats = r.driver.statistics();
    expect(stats.self_care_initialisations).toBe(1);
    expect(stats.self_care_recovered).toBe(1);
    expect(r.driver.lastError?.code).not.toBe("terminal_needs_service");
    const tx = await r.driver.authorize({ amount: 1234, persist: () => {} });
    expect(tx.outcome).toBe("approved");
    expect(r.sim.turnover().map((t) => t.amount)).toEqual([1234]);
  });
});

describe("self-care, bounded", () => {
  it("a terminal that keeps answering 51 gets N initialisations, then is a technician's: no loop", async () => {
    r = await rig(
      "tcp",
      { profile: "needs-initialisation", failingInitialisations: Number.POSITIVE_INFINITY },
      { pollIntervalMs: 20, selfCareBackoffMs: 0 },
    );
    await r.driver.open();
    const rg = r;
    await until(() => rg.driver.need?.by === "technician");
    expect(sent(r, CMD.initialisation)).toBe(3);
    expect(r.driver.lastError?.code).toBe("terminal_needs_service");
    expect(r.driver.lastError?.message).toMatch(/initialisation \(06 93\) 3 time\(s\).*06 1E 9B.*technician/);
    expect(r.driver.statistics().self_care_failures).toBe(1);
    // Many more idle polls: the terminal still says 51, the driver sends nothing more.
    const polls = r.driver.statistics().status_enquiries ?? 0;
    await until(() => (rg.driver.statistics().status_enquiries ?? 0) >= polls + 5);
    expect(sent(r, CMD.initialisation)).toBe(3);
    expect(r.driver.need).toMatchObject({ action: "initialisation", by: "technician" });
    const health = await r.driver.checkHealth();
    expect(health.details?.need).toMatch(/^initialisation \(technician\)/);
  });

  it("terminal asks for diagnosis (status byte 02, status C2) → 06 70 → ready", async () => {
    r = await rig("tcp", { profile: "needs-diagnosis" });
    await r.driver.open();
    const rg = r;
    await until(
      () => rg.driver.state === "idle" && rg.driver.need === undefined && rg.sim.needs === undefined,
    );
    expect(sent(r, CMD.diagnosis)).toBe(1);
    expect(sent(r, CMD.initialisation)).toBe(0);
    expect(r.driver.statistics().self_care_diagnoses).toBe(1);
    const tx = await r.driver.authorize({ amount: 500, persist: () => {} });
    expect(tx.outcome).toBe("approved");
  });

  it("an end-of-day request is reported, never run by the driver", async () => {
    r = await rig("tcp", { profile: "needs-end-of-day" }, { pollIntervalMs: 20 });
    const requests: TerminalNeed[] = [];
    r.driver.on("need", (n) => {
      if (n) requests.push(n);
    });
    await r.driver.open();
    const rg = r;
    await until(() => requests.length >= 3);
    expect(requests.every((n) => n.action === "end_of_day" && n.by === "flow" && n.code === 0xf0)).toBe(true);
    // One request, repeated at each poll (so a flow that put it off looks again).
    expect(new Set(requests.map((n) => n.request)).size).toBe(1);
    expect(sent(rg, CMD.endOfDay)).toBe(0);
    expect(r.driver.statistics().end_of_day_requests).toBe(1);
    // The terminal refuses payments with its own answer meanwhile.
    const tx = await r.driver.authorize({ amount: 700, persist: () => {} });
    expect(tx.outcome).toBe("declined");
    expect(tx.resultCode).toBe(0x6a);
  });
});
