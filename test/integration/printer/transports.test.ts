/**
 * The printer over its other links: a serial line and a device file (as /dev/usb/lp0 would be), both
 * played by a socat pty pair with the simulator on the far end.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createEscPosPrinter, type EscPosPrinter } from "../../../devices/printer/index.ts";
import { EscPosPrinterSim } from "../../../devices/sim/escpos-printer.ts";
import { createPtyPair, type PtyPair } from "../../../devices/sim/pty-pair.ts";
import type { TransportConfig } from "../../../devices/transport/transport.ts";
import { receiptDocument } from "../../../kiosk/receipt/document.ts";
import { fixedReceipt } from "../../fixtures/receipt/model.ts";

describe("printer transports", () => {
  let pty: PtyPair | undefined;
  let sim: EscPosPrinterSim | undefined;
  let printer: EscPosPrinter | undefined;

  afterEach(async () => {
    await printer?.close();
    await sim?.close();
    await pty?.close();
  });

  const cases: Array<[string, (path: string) => TransportConfig]> = [
    ["serial line", (path) => ({ type: "serial", path, baudRate: 9600 })],
    ["device file", (path) => ({ type: "device", path })],
  ];

  for (const [name, transport] of cases) {
    it(`prints a receipt over a ${name} and reads its status back`, async () => {
      pty = await createPtyPair();
      sim = new EscPosPrinterSim();
      await sim.attachPty(pty.pathB);
      printer = createEscPosPrinter({ transport: transport(pty.pathA), columns: 48, codePage: "cp852" });
      await printer.open();
      sim.set({ paper: "near_end" });
      expect((await printer.status()).paper).toBe("near_end");
      await printer.print({ id: name, document: receiptDocument(fixedReceipt, 48) });
      expect(sim.receipts).toHaveLength(1);
      expect(sim.receipts[0]!.lines).toContain("RAZEM / TOTAL                          162,00 zł");
    });
  }
});
