/**
 * The flow driven by real device drivers: the serial QR reader through the real serialport binding
 * over a socat pty pair, and the kiosk I/O's door switch.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SimKioskIo } from "../../../devices/gpio/index.ts";
import { createScanner } from "../../../devices/scanner/index.ts";
import { FakePrinter } from "../../../devices/sim/fake-printer.ts";
import { FakeTerminal } from "../../../devices/sim/fake-terminal.ts";
import { createPtyPair, type PtyPair } from "../../../devices/sim/pty-pair.ts";
import { SerialScannerSim } from "../../../devices/sim/scanner.ts";
import { createKiosk, type Kiosk } from "../../../kiosk/main.ts";
import { createLogger } from "../../../kiosk/ops/logger.ts";
import { testLogFile, waitForState } from "../../helpers/kiosk-harness.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups.length = 0;
});

async function kioskWith(devices: {
  scanner?: ReturnType<typeof createScanner>;
  terminal?: FakeTerminal;
  gpio?: SimKioskIo;
}) {
  const keys = testKeys();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-devflow-"));
  const terminal = devices.terminal ?? new FakeTerminal();
  const gpio = devices.gpio ?? new SimKioskIo("gpio");
  const kiosk: Kiosk = await createKiosk({
    config: testConfig(keys),
    dataDir,
    devices: {
      terminal,
      printer: new FakePrinter(),
      scanner: devices.scanner ?? createScanner({ type: "keyboard" }),
      gpio,
    },
    logger: createLogger({ level: "debug", destination: testLogFile("devices-flow") }),
  });
  await kiosk.start({ port: 0 });
  cleanups.push(async () => {
    await kiosk.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return { kiosk, keys, terminal, gpio };
}

async function serialScanner(): Promise<{
  pty: PtyPair;
  sim: SerialScannerSim;
  scanner: ReturnType<typeof createScanner>;
}> {
  const pty = await createPtyPair({ nameA: "usb-Test_QR_Reader-if00", nameB: "reader-sim" });
  const sim = new SerialScannerSim(pty.pathB);
  await sim.open();
  cleanups.push(async () => {
    await sim.close();
    await pty.close();
  });
  return { pty, sim, scanner: createScanner({ type: "serial", path: pty.pathA, baudRate: 9600 }) };
}

describe("flow with the serial QR reader", () => {
  it("a code read through the pty reaches the summary", async () => {
    const { sim, scanner } = await serialScanner();
    const { kiosk, keys } = await kioskWith({ scanner });
    expect(scanner.armed).toBe(true);
    await sim.scan(issueSlip(keys), 3);
    await waitForState(kiosk, ["summary"]);
    expect(kiosk.flow.view().total).toBe(16000);
  });

  it("a stray code during authorizing is ignored and counted", async () => {
    const { sim, scanner } = await serialScanner();
    const terminal = new FakeTerminal();
    terminal.behaviour = "never";
    const { kiosk, keys } = await kioskWith({ scanner, terminal });
    await sim.scan(issueSlip(keys));
    await waitForState(kiosk, ["summary"]);
    const id = kiosk.flow.view().id;
    await kiosk.flow.pay();
    await waitForState(kiosk, ["authorizing"]);
    expect(scanner.armed).toBe(false);
    const stray = new Promise<string>((resolve) => scanner.on("stray", resolve));
    await sim.scan(issueSlip(keys));
    expect(await stray).toMatch(/^OPL1\|/);
    expect(kiosk.flow.view()).toMatchObject({ id, state: "authorizing" });
    expect(scanner.statistics()["stray_codes"]).toBe(1);
    expect((kiosk.db.prepare("SELECT COUNT(*) AS n FROM sessions").get() as { n: number }).n).toBe(1);
  });
});

describe("flow with the kiosk I/O", () => {
  it("an open service door puts the kiosk out of order and /ready fails; closing it restores service", async () => {
    const { kiosk, gpio, keys } = await kioskWith({});
    expect((await kiosk.app.inject({ url: "/ready" })).statusCode).toBe(200);
    gpio.setDoor(true);
    expect(kiosk.flow.view().state).toBe("out_of_order");
    const ready = await kiosk.app.inject({ url: "/ready" });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks["gpio:door"][0].status).toBe("fail");
    const refused = await kiosk.app.inject({
      method: "POST",
      url: "/api/scan",
      payload: { payload: issueSlip(keys) },
    });
    expect(refused.statusCode).toBe(503);
    gpio.setDoor(false);
    expect(kiosk.flow.view().state).toBe("idle");
    expect((await kiosk.app.inject({ url: "/ready" })).statusCode).toBe(200);
  });
});
