/** Kiosk I/O (lights, door switch, service key) as the composition root builds it. */
import type { DeviceLogger } from "../transport/transport.ts";
import { LinuxKioskIo, type LinuxKioskIoOptions } from "./linux.ts";
import { SimKioskIo } from "./sim.ts";

export { EV_KEY, EV_SW, encodeInputEvent, InputEventReader, inputEventSize } from "./input-event.ts";
export { KioskIoBase } from "./kiosk-io-base.ts";
export { LedClassLight } from "./leds.ts";
export { LinuxKioskIo, type LinuxKioskIoOptions } from "./linux.ts";
export { SimKioskIo } from "./sim.ts";

export type GpioConfig =
  | { backend: "sim" }
  | {
      backend: "linux";
      lights?: Partial<Record<"status" | "printer" | "terminal" | "scanner", string>>;
      inputDevice?: string;
      doorKeyCode?: number;
      serviceKeyCode?: number;
      headphoneSwitchCode?: number;
    };

export function createKioskIo(
  config: GpioConfig,
  log?: DeviceLogger,
  tuning: Pick<LinuxKioskIoOptions, "sysfsRoot" | "eventSize" | "pollIntervalMs" | "reopenDelayMs"> = {},
): SimKioskIo | LinuxKioskIo {
  if (config.backend === "sim") return new SimKioskIo("gpio");
  return new LinuxKioskIo(
    {
      ...(config.lights ? { lights: config.lights } : {}),
      ...(config.inputDevice ? { inputDevice: config.inputDevice } : {}),
      ...(config.doorKeyCode !== undefined ? { doorKeyCode: config.doorKeyCode } : {}),
      ...(config.serviceKeyCode !== undefined ? { serviceKeyCode: config.serviceKeyCode } : {}),
      ...(config.headphoneSwitchCode !== undefined
        ? { headphoneSwitchCode: config.headphoneSwitchCode }
        : {}),
      ...tuning,
    },
    log,
  );
}
