/**
 * A printer that answers DLE EOT (and maybe GS a) but ignores GS r 1, like simple printers and the
 * printer stand-ins built from the reference's recipe (docs: shared reference device-layer §5, "DLE EOT
 * n → status byte; GS a n → ASB"). The driver used to count a job as printed only on the GS r reply,
 * so every receipt on such a printer ended after the job timeout as not printed. Now it asks once
 * whether the printer answers GS r; one that does keeps that proof of each job, one that does not
 * ends a job on a ready real-time status after its bytes were sent, and a fault still fails it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createEscPosPrinter, type EscPosPrinter } from "../../../devices/printer/index.ts";
import { EscPosPrinterSim } from "../../../devices/sim/escpos-printer.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function printerOn(sim: EscPosPrinterSim): Promise<EscPosPrinter> {
  const port = await sim.listenTcp(0);
  // A job timeout far beyond the test's own: a job that waits for a GS r reply never ends in time.
  const printer = createEscPosPrinter(
    { transport: { type: "tcp", host: "127.0.0.1", port }, columns: 42 },
    undefined,
    { statusTimeoutMs: 300, jobTimeoutMs: 120_000 },
  );
  cleanups.push(async () => {
    await printer.close();
    await sim.close();
  });
  await printer.open();
  expect(printer.state).toBe("idle");
  return printer;
}

const job = (id: string) => ({ id, document: `Potwierdzenie ${id}\n-\n` });

describe("a printer that does not answer GS r 1", () => {
  for (const statusBack of [true, false]) {
    it(`prints receipt after receipt (${statusBack ? "with" : "without"} automatic status back)`, async () => {
      const sim = new EscPosPrinterSim({ confirmsJobs: false, statusBack });
      const printer = await printerOn(sim);
      await printer.print(job("A-1"));
      await printer.print(job("A-2"));
      expect(sim.receipts).toHaveLength(2);
      expect(printer.state).toBe("idle");
    }, 15_000);
  }

  it("still fails a job the printer cannot print", async () => {
    const sim = new EscPosPrinterSim({ confirmsJobs: false, statusBack: false });
    const printer = await printerOn(sim);
    await printer.print(job("B-1"));
    sim.set({ paper: "out" });
    await expect(printer.print(job("B-2"))).rejects.toMatchObject({ code: "paper_out" });
  }, 15_000);
});

describe("a printer that answers GS r 1", () => {
  it("ends each job on its reply, as before", async () => {
    const sim = new EscPosPrinterSim();
    const printer = await printerOn(sim);
    await printer.print(job("C-1"));
    expect(sim.receipts).toHaveLength(1);
    expect(sim.received.includes(Buffer.from([0x1d, 0x72, 0x31]))).toBe(true); // GS r 1, as receiptline ends a job
  }, 15_000);
});
