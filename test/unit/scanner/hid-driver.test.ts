/**
 * The HID-POS driver with replayed reports. Stand-in: virtual HID (uhid) is not available on these
 * machines, so a small backend plays node-hid's part (device list, open, `data`, unplug as `error`);
 * everything above it — identity lookup, reassembly, arming, reconnect — is the driver's own code.
 */
import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import {
  type HidBackend,
  type HidHandle,
  HidPosScanner,
  hidPosReports,
} from "../../../devices/scanner/index.ts";

class ReplayHandle extends EventEmitter implements HidHandle {
  closed = false;
  async close(): Promise<void> {
    this.closed = true;
  }
}

class ReplayBackend implements HidBackend {
  plugged = true;
  handles: ReplayHandle[] = [];
  async devices() {
    return this.plugged
      ? [{ path: "/dev/hidraw3", vendorId: 0x05e0, productId: 0x1200, serialNumber: "S1", usagePage: 0x8c }]
      : [];
  }
  async open(): Promise<HidHandle> {
    const h = new ReplayHandle();
    this.handles.push(h);
    return h;
  }
  get current(): ReplayHandle {
    return this.handles.at(-1)!;
  }
}

function next(scanner: HidPosScanner, event: "data" | "stray" | "state"): Promise<string> {
  return new Promise((resolve) => {
    if (event === "state") scanner.once("state", (state) => resolve(state));
    else scanner.once(event, (code) => resolve(code));
  });
}

describe("HID-POS scanner driver (replayed reports)", () => {
  let scanner: HidPosScanner | undefined;
  afterEach(async () => {
    await scanner?.close();
  });

  it("delivers one code while armed, counts a stray one, and comes back after an unplug", async () => {
    const backend = new ReplayBackend();
    scanner = new HidPosScanner(
      {
        identity: { vendorId: 0x05e0, productId: 0x1200, serialNumber: "S1" },
        initialDelayMs: 5,
        maxDelayMs: 20,
      },
      async () => backend,
    );
    await scanner.open();
    expect(scanner.state).toBe("idle");

    const long = `OPL1|${"Z".repeat(150)}`;
    scanner.arm();
    const data = next(scanner, "data");
    for (const r of hidPosReports(long)) backend.current.emit("data", r);
    expect(await data).toBe(long);
    expect(scanner.armed).toBe(false);

    const stray = next(scanner, "stray");
    for (const r of hidPosReports("EXTRA")) backend.current.emit("data", r);
    expect(await stray).toBe("EXTRA");
    expect(scanner.statistics()["stray_codes"]).toBe(1);

    backend.plugged = false;
    const offline = next(scanner, "state");
    backend.current.emit("error", new Error("could not read from HID device"));
    expect(await offline).toBe("offline");
    const back = next(scanner, "state");
    backend.plugged = true;
    expect(await back).toBe("idle");
    scanner.arm();
    const again = next(scanner, "data");
    for (const r of hidPosReports("AFTER-REPLUG")) backend.current.emit("data", r);
    expect(await again).toBe("AFTER-REPLUG");
  });
});
