/**
 * Issue 12 defect 5, printer part: a printer without automatic status back says nothing when its paper
 * runs out between receipts. Before the fix the driver asked it only while it was not ready, so the
 * paper-out was noticed after the next card had been charged. Now the driver polls it while idle, and
 * the flow can ask it on demand (`readiness()`) before a payment starts.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { PrinterStatus } from "../../../devices/device.ts";
import { createEscPosPrinter, type EscPosPrinter } from "../../../devices/printer/index.ts";
import { EscPosPrinterSim } from "../../../devices/sim/escpos-printer.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function withoutStatusBack(
  idlePollIntervalMs: number,
): Promise<{ sim: EscPosPrinterSim; printer: EscPosPrinter }> {
  const sim = new EscPosPrinterSim({ statusBack: false });
  const port = await sim.listenTcp(0);
  const printer = createEscPosPrinter(
    { transport: { type: "tcp", host: "127.0.0.1", port }, columns: 48 },
    undefined,
    { statusTimeoutMs: 200, pollIntervalMs: 50, idlePollIntervalMs },
  );
  cleanups.push(async () => {
    await printer.close();
    await sim.close();
  });
  await printer.open();
  expect(printer.state).toBe("idle");
  return { sim, printer };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

function paperOut(printer: EscPosPrinter): Promise<PrinterStatus> {
  return new Promise((resolve) => {
    printer.on("status", (s) => {
      if (s.paper === "out") resolve(s);
    });
  });
}

describe("a printer without automatic status back, idle", () => {
  it("running out of paper while idle is noticed by the idle poll, without any job", async () => {
    const { sim, printer } = await withoutStatusBack(100);
    const noticed = paperOut(printer);
    const queriesBefore = sim.statusQueries;
    sim.set({ paper: "out" });
    await noticed;
    expect(sim.statusQueries).toBeGreaterThan(queriesBefore);
    await until(() => printer.state === "error");
    expect(printer.lastStatus.paper).toBe("out");
    // And it is noticed back when the paper is refilled.
    sim.set({ paper: "ok" });
    await new Promise<void>((resolve) => printer.on("state", (s) => s === "idle" && resolve()));
  });

  it("readiness() asks the printer now: paper out before a payment starts, whatever the poll interval", async () => {
    const { sim, printer } = await withoutStatusBack(60_000);
    expect(await printer.readiness()).toEqual({ ready: true, paper: "ok" });
    sim.set({ paper: "out" });
    expect(await printer.readiness()).toEqual({ ready: false, reason: "paper_out" });
    sim.set({ paper: "ok", coverOpen: true });
    expect(await printer.readiness()).toEqual({ ready: false, reason: "cover_open" });
    sim.set({ coverOpen: false, offline: true });
    expect(await printer.readiness()).toEqual({ ready: false, reason: "offline" });
  });

  it("a fault readiness() finds is watched closely: the printer back is noticed in a fast poll, not the idle one", async () => {
    // The desk's pay found the printer switched off while the slow idle poll was pending; before the
    // fix its return waited for that poll (30 s by default) and the desk stayed out of order.
    const { sim, printer } = await withoutStatusBack(60_000);
    sim.set({ offline: true });
    expect(await printer.readiness()).toEqual({ ready: false, reason: "offline" });
    expect(printer.state).toBe("offline");
    sim.set({ offline: false });
    await until(() => printer.state === "idle");

    sim.set({ coverOpen: true });
    expect(await printer.readiness()).toEqual({ ready: false, reason: "cover_open" });
    await until(() => printer.state === "error");
    sim.set({ coverOpen: false });
    await until(() => printer.state === "idle");
  });
});
