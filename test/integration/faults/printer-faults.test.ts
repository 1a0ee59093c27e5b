/**
 * Printer faults through the whole kiosk: paper out and cover open put it out of order (no new
 * visitor can start, /ready fails) and it comes back by itself once the fault is gone. (Paper running
 * out during a receipt is test/integration/flow/printer-faults-flow.test.ts.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { seededRandom } from "../../../kiosk/integrations/fake-server.ts";
import { issueSlip, payOnce, type Rig, startRig } from "../../crash/rig.ts";
import { eventually, type FaultKiosk, ready, sessionState, startFaultKiosk } from "./fault-kiosk.ts";

let rig: Rig | undefined;
let k: FaultKiosk | undefined;

afterEach(async () => {
  await k?.close();
  await rig?.close();
  k = undefined;
  rig = undefined;
});

describe("printer faults", () => {
  for (const fault of [
    { name: "paper out", set: { paper: "out" as const }, clear: { paper: "ok" as const } },
    { name: "cover open", set: { coverOpen: true }, clear: { coverOpen: false } },
  ]) {
    it(`${fault.name}: out of order while it lasts, in service again after`, async () => {
      rig = await startRig();
      k = await startFaultKiosk(rig, { logName: `fault-printer-${fault.name}` });
      const url = k.url;
      const random = seededRandom(1);
      await eventually("ready", async () => (await ready(url)) === 200);
      expect(await payOnce(url, issueSlip(rig, random, 0))).toBe("paid");

      rig.printer.set(fault.set);
      await eventually("out of order", async () => (await sessionState(url)) === "out_of_order");
      expect(await ready(url)).toBe(503);
      const refused = await fetch(`${url}/api/scan`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ payload: issueSlip(rig, random, 0) }),
      });
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { code: string }).code).toBe("DEVICE_UNAVAILABLE");

      rig.printer.set(fault.clear);
      await eventually("back in service", async () => (await sessionState(url)) === "idle");
      await eventually("ready again", async () => (await ready(url)) === 200);
      expect(await payOnce(url, issueSlip(rig, random, 0))).toBe("paid");
      expect(rig.printer.receipts.length).toBe(2);
      expect(rig.terminal.turnover().filter((t) => t.state === "charged")).toHaveLength(2);
    });
  }
});
