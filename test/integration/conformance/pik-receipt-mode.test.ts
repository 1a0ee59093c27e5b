/**
 * SPEC §3/§6 `integrations.pik.reporting: receipt`: the visitor shows the receipt to the clerk, so
 * PiK gets no `POST /payments`; it is still asked about each slip before payment (SPEC §1), and
 * settlement still gets the transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { payDemoSlip, ScriptedReceiver, until } from "../../helpers/cli-daemon.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";
import { type ConformanceKiosk, startConformanceKiosk } from "./rig.ts";

const keys = testKeys();
const pik = new ScriptedReceiver();
const settlement = new ScriptedReceiver();
let kiosk: ConformanceKiosk | undefined;

beforeAll(async () => {
  await pik.start();
  await settlement.start();
  kiosk = await startConformanceKiosk(
    "receipt",
    testConfig(keys, {
      integrations: { pik: { url: pik.url, reporting: "receipt" }, settlement: { url: settlement.url } },
    }),
  );
}, 60_000);
afterAll(async () => {
  await kiosk?.close();
  await pik.close();
  await settlement.close();
});

describe("PiK reporting: receipt", () => {
  it("asks PiK about the slip, sends it no payment, and sends settlement the transaction", async () => {
    const id = await payDemoSlip(kiosk?.url as string, issueSlip(keys, { slip: "R/1" }));
    expect(pik.slipChecks).toEqual(["/slips/PZ1465/R%2F1"]);
    const tx = await until(() => settlement.calls.find((c) => c.path === "/transactions"), "settlement");
    expect(tx.body).toMatchObject({ transactionId: id, slip: "R/1" });
    await new Promise((r) => setTimeout(r, 500));
    expect(pik.calls).toEqual([]);
  });
});
