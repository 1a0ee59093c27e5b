/**
 * Issue 12 defect 6 through the real daemon: a terminal that sends both copies as 06 D1 lines with a
 * trailing TLV (profile print-lines-tlv, Portalum's recorded receipts) — the visitor's receipt carries the
 * customer copy only, without TLV bytes; before the fix the merchant copy (and the TLV as text) was
 * printed for the visitor.
 */
import { afterEach, describe, expect, it } from "vitest";
import { seededRandom } from "../../../kiosk/integrations/fake-server.ts";
import { issueSlip, payOnce, type Rig, startRig } from "../../crash/rig.ts";
import { eventually, type FaultKiosk, ready, startFaultKiosk } from "../faults/fault-kiosk.ts";

let rig: Rig | undefined;
let k: FaultKiosk | undefined;
afterEach(async () => {
  await k?.close();
  await rig?.close();
  k = undefined;
  rig = undefined;
});

describe("terminal receipt copies through the daemon", () => {
  it.each([
    ["print-lines-tlv", "lines-tlv"],
    ["text-block-charset", "auto"],
  ] as const)("%s: only the customer copy reaches the visitor's receipt", async (_profile, printWith) => {
    rig = await startRig();
    rig.terminal.options.printWith = printWith;
    rig.terminal.options.receiptCopies = "both";
    if (printWith === "auto") rig.terminal.options.blockCharset = "own";
    k = await startFaultKiosk(rig, { logName: `receipt-copy-${printWith}` });
    const url = k.url;
    await eventually("ready", async () => (await ready(url)) === 200);
    expect(await payOnce(url, issueSlip(rig, seededRandom(3), 0))).toBe("paid");
    await eventually("receipt printed", () => (rig?.printer.receipts.length ?? 0) > 0);
    const text = rig.printer.receipts.map((r) => r.lines.join("\n")).join("\n");
    expect(text).toContain("POTWIERDZENIE DLA KLIENTA");
    expect(text).not.toContain("KOPIA DLA SPRZEDAWCY");
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\x00-\x08]/);
  });
});
