/**
 * The serial (CDC) QR reader through the real serialport binding over a socat pty pair: codes with
 * their terminator, arming for exactly one code, and unplug/replug at the same stable link name.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { CodeScanner, DeviceState } from "../../../devices/device.ts";
import { createScanner } from "../../../devices/scanner/index.ts";
import { createPtyPair, type PtyPair } from "../../../devices/sim/pty-pair.ts";
import { SerialScannerSim } from "../../../devices/sim/scanner.ts";

function next<T>(scanner: CodeScanner, event: "data" | "stray"): Promise<T> {
  return new Promise((resolve) => {
    const l = (v: T) => {
      scanner.off(event, l as (c: string) => void);
      resolve(v);
    };
    scanner.on(event, l as (c: string) => void);
  });
}

function stateBecomes(scanner: CodeScanner, wanted: DeviceState): Promise<void> {
  return new Promise((resolve) => {
    if (scanner.state === wanted) return resolve();
    const l = (s: DeviceState) => {
      if (s === wanted) {
        scanner.off("state", l);
        resolve();
      }
    };
    scanner.on("state", l);
  });
}

describe("serial QR reader over a pty", () => {
  let pty: PtyPair | undefined;
  let sim: SerialScannerSim | undefined;
  let scanner: CodeScanner | undefined;

  afterEach(async () => {
    await scanner?.close();
    await sim?.close();
    await pty?.close();
  });

  it("delivers exactly one code when armed and counts the rest as strays", async () => {
    pty = await createPtyPair({ nameA: "usb-Honeywell_3320g-if00", nameB: "scanner-sim" });
    sim = new SerialScannerSim(pty.pathB);
    await sim.open();
    scanner = createScanner({ type: "serial", path: pty.pathA, baudRate: 9600 });
    await scanner.open();
    expect(scanner.state).toBe("idle");

    const stray = next<string>(scanner, "stray");
    await sim.scan("BEFORE-ARMING");
    expect(await stray).toBe("BEFORE-ARMING");

    scanner.arm();
    const data = next<string>(scanner, "data");
    await sim.scan("OPL1|PZ1465|S/2026/000123|Łódź", 3);
    expect(await data).toBe("OPL1|PZ1465|S/2026/000123|Łódź");
    expect(scanner.armed).toBe(false);

    const second = next<string>(scanner, "stray");
    await sim.scan("SECOND");
    expect(await second).toBe("SECOND");
    expect(scanner.statistics()["stray_codes"]).toBe(2);
    expect(scanner.statistics()["codes_delivered"]).toBe(1);
  });

  it("goes offline when unplugged and reads again after a replug at the same name", async () => {
    pty = await createPtyPair();
    sim = new SerialScannerSim(pty.pathB);
    await sim.open();
    scanner = createScanner({ type: "serial", path: pty.pathA, baudRate: 9600 }, undefined, {
      initialDelayMs: 20,
      maxDelayMs: 100,
    });
    await scanner.open();

    const offline = stateBecomes(scanner, "offline");
    await sim.close();
    await pty.unplug();
    await offline;
    expect((await scanner.checkHealth()).ok).toBe(false);

    const idle = stateBecomes(scanner, "idle");
    await pty.replug();
    await idle;
    sim = new SerialScannerSim(pty.pathB);
    await sim.open();
    scanner.arm();
    const data = next<string>(scanner, "data");
    await sim.scan("AFTER-REPLUG");
    expect(await data).toBe("AFTER-REPLUG");
    expect(scanner.statistics()["disconnects"]).toBe(1);
  });
});
