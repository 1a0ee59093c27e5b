/**
 * SPEC §4: the service API's refusals are problem+json whose status belongs to their code, as on the
 * visitor's side (kiosk/http/errors.ts), not one status for every flow refusal. A technician's
 * reprint while the printer has no paper is the printer's 503, not a 409 conflict nor a 500.
 * The demo daemon: the ESC/POS simulator over TCP, the real service routes and backends.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Demo, startDemo } from "../../../kiosk/demo.ts";
import { payDemoSlip } from "../../helpers/cli-daemon.ts";
import { testLogFile } from "../../helpers/kiosk-harness.ts";

const DEMO_PIN = "246810";
let demo: Demo | undefined;
let dataDir = "";
afterEach(async () => {
  await demo?.close();
  demo = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("service API refusals keep their catalogue status", () => {
  it("a reprint with the paper out answers 503 PRINTER_UNAVAILABLE, an unknown payment 404", async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-svc-refusal-"));
    demo = await startDemo({
      port: 0,
      dataDir,
      quiet: true,
      terminalDelayMs: 0,
      logFile: testLogFile("service-refusals"),
    });
    const d = demo;
    const paymentId = await payDemoSlip(d.url, d.sampleSlips[0]?.payload as string);

    const login = await fetch(`${d.url}/api/service/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pin: DEMO_PIN }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const reprint = (id: string) =>
      fetch(`${d.url}/api/service/payments/${id}/reprint`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });

    d.sims.printer.set({ paper: "out" });
    const refused = await reprint(paymentId);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ status: 503, code: "PRINTER_UNAVAILABLE" });

    d.sims.printer.set({ paper: "ok" });
    expect((await reprint(paymentId)).status).toBeLessThan(300);
    const missing = await reprint("no-such-payment");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "NOT_FOUND" });
  });
});
