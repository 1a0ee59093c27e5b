import { describe, expect, it } from "vitest";
import { createKioskIo } from "../../../devices/gpio/index.ts";
import {
  createScanner,
  HidPosScanner,
  KeyboardWedgeScanner,
  SerialScanner,
} from "../../../devices/scanner/index.ts";
import type { KioskConfig } from "../../../kiosk/config/types.ts";

describe("device factories take the configuration as SPEC §3 writes it", () => {
  it("builds each reader type, and the keyboard wedge is a ready no-op that only counts strays", async () => {
    const configs: Array<KioskConfig["devices"]["scanner"]> = [
      { type: "keyboard" },
      { type: "hid", vendorId: 0x0c2e, productId: 0x0b61, serialNumber: "X1" },
      { type: "serial", path: "/dev/serial/by-id/usb-Honeywell-if00", baudRate: 115200 },
    ];
    const [keyboard, hid, serial] = configs.map((c) => createScanner(c));
    expect(keyboard).toBeInstanceOf(KeyboardWedgeScanner);
    expect(hid).toBeInstanceOf(HidPosScanner);
    expect(serial).toBeInstanceOf(SerialScanner);
    await keyboard!.open();
    expect(keyboard!.state).toBe("idle");
    expect((await keyboard!.checkHealth()).ok).toBe(true);

    const gpio: KioskConfig["devices"]["gpio"] = { backend: "sim" };
    expect(createKioskIo(gpio).kind).toBe("gpio");
  });

  it("warns when a serial reader is configured by a name that changes with plug order", () => {
    const warnings: string[] = [];
    const log = {
      debug() {},
      info() {},
      error() {},
      warn: (_o: object, m?: string) => warnings.push(m ?? ""),
    };
    createScanner({ type: "serial", path: "/dev/ttyUSB0", baudRate: 9600 }, log);
    expect(warnings.join()).toContain("/dev/serial/by-id");
  });
});
