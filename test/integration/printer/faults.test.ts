/**
 * Printer faults at the driver level, against the simulator over TCP: each failed job rejects with
 * the right PrintError, the driver notices the printer is ready again by itself, and the retried job
 * is the only receipt printed.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEscPosPrinter, type EscPosPrinter } from "../../../devices/printer/index.ts";
import { EscPosPrinterSim } from "../../../devices/sim/escpos-printer.ts";
import { PrintError, type PrinterStatus } from "../../../devices/device.ts";
import { receiptDocument } from "../../../kiosk/receipt/document.ts";
import { fixedReceipt } from "../../fixtures/receipt/model.ts";

const document = receiptDocument(fixedReceipt, 48);

function readyAgain(printer: EscPosPrinter): Promise<PrinterStatus> {
  return new Promise((resolve) => {
    const onStatus = (s: PrinterStatus) => {
      if (s.online && s.paper !== "out" && !s.coverOpen && !s.failure) {
        printer.off("status", onStatus);
        resolve(s);
      }
    };
    printer.on("status", onStatus);
  });
}

function linesPrinted(sim: EscPosPrinterSim, n: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (sim.currentPage.length >= n) {
        sim.off("item", check);
        resolve();
      }
    };
    sim.on("item", check);
  });
}

async function rejection(p: Promise<unknown>): Promise<PrintError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof PrintError) return error;
    throw error;
  }
  throw new Error("the job did not fail");
}

describe("printer faults", () => {
  let sim: EscPosPrinterSim;
  let printer: EscPosPrinter;

  beforeEach(async () => {
    sim = new EscPosPrinterSim();
    const port = await sim.listenTcp(0);
    printer = createEscPosPrinter(
      { transport: { type: "tcp", host: "127.0.0.1", port }, columns: 48 },
      undefined,
      { statusTimeoutMs: 200, jobTimeoutMs: 400, pollIntervalMs: 50 },
    );
    await printer.open();
    await printer.status();
  });

  afterEach(async () => {
    await printer.close();
    await sim.close();
  });

  it("refuses a job when the paper is out, and prints it once the paper is back", async () => {
    sim.set({ paper: "out" });
    const error = await rejection(printer.print({ id: "a/1", document }));
    expect(error.code).toBe("paper_out");
    expect(sim.receipts).toHaveLength(0);
    expect(sim.fragments).toHaveLength(0);
    expect(printer.state).toBe("error");

    const ready = readyAgain(printer);
    sim.set({ paper: "ok" });
    await ready;
    await printer.print({ id: "a/2", document });
    expect(sim.receipts).toHaveLength(1);
    expect(printer.state).toBe("idle");
    expect(printer.statistics()["jobs_failed_paper_out"]).toBe(1);
  });

  it("reports a cover opened mid-job, and the retry is the only receipt", async () => {
    sim.setSlow(2);
    const job = printer.print({ id: "b/1", document });
    await linesPrinted(sim, 5);
    const cleared = new Promise((resolve) => sim.once("cleared", resolve));
    sim.set({ coverOpen: true });
    const error = await rejection(job);
    expect(error.code).toBe("cover_open");
    expect(printer.lastStatus.coverOpen).toBe(true);
    // The driver asks the printer to drop the rest of the interrupted job (DLE ENQ 2).
    await cleared;

    // Closing the cover would let a real printer go on with what it still holds; the driver cleared it.
    sim.setSlow(0);
    const ready = readyAgain(printer);
    sim.set({ coverOpen: false });
    await ready;
    expect(sim.receipts).toHaveLength(0);
    await printer.print({ id: "b/2", document });
    expect(sim.receipts).toHaveLength(1);
    expect(sim.receipts[0]!.qr).toEqual([fixedReceipt.verificationCode]);
  });

  it("reports a printer that went silent mid-job as offline, and prints the retry once", async () => {
    sim.setSlow(2);
    const job = printer.print({ id: "c/1", document });
    await linesPrinted(sim, 5);
    sim.set({ offline: true });
    const error = await rejection(job);
    expect(error.code).toBe("offline");
    expect(printer.state).toBe("offline");

    sim.setSlow(0);
    const ready = readyAgain(printer);
    sim.set({ offline: false });
    await ready;
    await printer.print({ id: "c/2", document });
    expect(sim.receipts).toHaveLength(1);
  });

  it("reports a dropped connection mid-job as offline; after reconnecting the retry prints once", async () => {
    sim.setSlow(2);
    const job = printer.print({ id: "d/1", document });
    await linesPrinted(sim, 5);
    sim.dropConnections();
    const error = await rejection(job);
    expect(error.code).toBe("offline");

    const ready = readyAgain(printer);
    await ready;
    sim.setSlow(0);
    await printer.print({ id: "d/2", document });
    expect(sim.receipts).toHaveLength(1);
    expect(printer.statistics()["disconnects"]).toBe(1);
  });

  it("reports paper near end but keeps printing", async () => {
    sim.set({ paper: "near_end" });
    await printer.print({ id: "e/1", document });
    expect(sim.receipts).toHaveLength(1);
    expect(printer.lastStatus.paper).toBe("near_end");
    const health = await printer.checkHealth();
    expect(health.ok).toBe(true);
    expect(health.message).toContain("near end");
  });
});

describe("printer presence", () => {
  it("opens offline when the printer is absent and becomes ready once it appears", async () => {
    const probe = new EscPosPrinterSim();
    const port = await probe.listenTcp(0);
    await probe.close();

    const printer = createEscPosPrinter(
      { transport: { type: "tcp", host: "127.0.0.1", port }, columns: 48 },
      undefined,
      { statusTimeoutMs: 200, pollIntervalMs: 50, initialDelayMs: 20, maxDelayMs: 50 },
    );
    const sim = new EscPosPrinterSim();
    try {
      await printer.open();
      expect(printer.state).toBe("offline");
      expect((await printer.checkHealth()).ok).toBe(false);
      await expect(printer.print({ id: "absent", document })).rejects.toMatchObject({ code: "offline" });

      const idle = new Promise<void>((resolve) =>
        printer.on("state", (s) => {
          if (s === "idle") resolve();
        }),
      );
      await sim.listenTcp(port);
      await idle;
      await printer.print({ id: "present", document });
      expect(sim.receipts).toHaveLength(1);
    } finally {
      await printer.close();
      await sim.close();
    }
  });
});
