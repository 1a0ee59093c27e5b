/**
 * Kiosk I/O on Linux through kernel drivers, no native addon: lights are LED-class devices, the door
 * switch and the service key are gpio-keys inputs read as `struct input_event` records. The input
 * device is opened non-blocking and polled (a blocking read would hold a libuv worker thread for
 * good) and reopened with backoff when it disappears.
 *
 * Limitation: without the EVIOCGSW/EVIOCGKEY ioctls (no native code here) the state before the first
 * event is unknown; it is taken as door closed and key not turned until the switch moves.
 */
import fs from "node:fs";
import type { HealthResult, LightMode, LightName } from "../device.ts";
import type { DeviceLogger } from "../transport/transport.ts";
import { silentLogger } from "../transport/transport.ts";
import { EV_KEY, EV_SW, InputEventReader, inputEventSize } from "./input-event.ts";
import { KioskIoBase } from "./kiosk-io-base.ts";
import { LedClassLight } from "./leds.ts";

export interface LinuxKioskIoOptions {
  /** LED-class names per light, e.g. { status: "kiosk:green:status" } (systemd/70-oplatomat.rules gives the daemon write access to kiosk:* lights only). */
  lights?: Partial<Record<LightName, string>>;
  /** The gpio-keys input device, e.g. /dev/input/by-path/platform-gpio-keys-event. */
  inputDevice?: string;
  /** EV_SW or EV_KEY code of the door switch; value 1 = open. */
  doorKeyCode?: number;
  /** EV_KEY or EV_SW code of the service key; value 1 = turned. */
  serviceKeyCode?: number;
  /**
   * EV_SW code of the headphone jack's insert switch, where the board wires it to this input device
   * (the kernel's SW_HEADPHONE_INSERT is 0x02); value 1 = plugged in.
   */
  headphoneSwitchCode?: number;
  /** `/sys` normally; tests give a temp dir. */
  sysfsRoot?: string;
  /** input_event record size (default: this process's). */
  eventSize?: 16 | 24;
  pollIntervalMs?: number;
  reopenDelayMs?: number;
}

const RETRY = new Set(["EAGAIN", "EWOULDBLOCK", "EINTR"]);

export class LinuxKioskIo extends KioskIoBase {
  private readonly leds = new Map<LightName, LedClassLight>();
  private readonly reader: InputEventReader;
  private fd: fs.promises.FileHandle | undefined;
  private timer: NodeJS.Timeout | undefined;
  private wanted = false;
  private readonly pollMs: number;
  private readonly reopenMs: number;

  constructor(
    private readonly options: LinuxKioskIoOptions,
    private readonly log: DeviceLogger = silentLogger,
    name = "gpio",
  ) {
    super(name);
    const root = options.sysfsRoot ?? "/sys";
    for (const [light, led] of Object.entries(options.lights ?? {}) as Array<[LightName, string]>) {
      this.leds.set(light, new LedClassLight(root, led));
    }
    this.reader = new InputEventReader(options.eventSize ?? inputEventSize());
    this.pollMs = options.pollIntervalMs ?? 20;
    this.reopenMs = options.reopenDelayMs ?? 1000;
  }

  async open(): Promise<void> {
    this.wanted = true;
    if (!this.options.inputDevice) {
      this.setState("idle");
      return;
    }
    await this.openInput();
  }

  async close(): Promise<void> {
    this.wanted = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const fd = this.fd;
    this.fd = undefined;
    await fd?.close().catch(() => {});
    this.setState("closed");
  }

  async checkHealth(): Promise<HealthResult> {
    const missing = [...this.leds.values()].filter((l) => !l.exists()).map((l) => l.ledName);
    const inputOk = !this.options.inputDevice || this.fd !== undefined;
    const ok = inputOk && missing.length === 0;
    return {
      ok,
      state: this.state,
      message: ok
        ? "kiosk I/O ready"
        : [
            inputOk ? "" : "input device missing",
            missing.length ? `lights missing: ${missing.join(", ")}` : "",
          ]
            .filter(Boolean)
            .join("; "),
      details: { doorOpen: this.doorOpen, serviceKeyTurned: this.serviceKeyTurned },
    };
  }

  setLight(light: LightName, mode: LightMode): void {
    this.lights.set(light, mode);
    const led = this.leds.get(light);
    if (!led) return;
    try {
      led.set(mode);
    } catch (error) {
      // A light that cannot be set is worth a count and a log line, never a crash.
      this.recordError("light", `${led.ledName}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async openInput(): Promise<void> {
    const path = this.options.inputDevice!;
    try {
      this.fd = await fs.promises.open(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      this.reader.reset();
      this.setState("idle");
      this.poll();
    } catch (error) {
      this.recordError(
        "offline",
        `input device ${path}: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.setState("offline");
      this.later(() => void this.openInput(), this.reopenMs);
    }
  }

  private later(fn: () => void, ms: number): void {
    if (!this.wanted) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.wanted) fn();
    }, ms);
    this.timer.unref?.();
  }

  private poll(): void {
    const fd = this.fd;
    if (!fd || !this.wanted) return;
    const buffer = Buffer.alloc(24 * 64);
    fd.read(buffer, 0, buffer.length, null).then(
      ({ bytesRead }) => {
        if (this.fd !== fd) return;
        if (bytesRead > 0) this.onBytes(buffer.subarray(0, bytesRead));
        this.later(() => this.poll(), bytesRead > 0 ? 0 : this.pollMs);
      },
      (error: unknown) => {
        if (this.fd !== fd) return;
        const code = typeof error === "object" && error && "code" in error ? String(error.code) : "";
        if (RETRY.has(code)) {
          this.later(() => this.poll(), this.pollMs);
          return;
        }
        this.fd = undefined;
        fd.close().catch(() => {});
        this.count("disconnects");
        this.recordError("offline", `input device lost: ${error instanceof Error ? error.message : code}`);
        this.log.warn({ device: this.options.inputDevice }, "gpio input device lost");
        this.setState("offline");
        this.later(() => void this.openInput(), this.reopenMs);
      },
    );
  }

  private onBytes(chunk: Buffer): void {
    for (const e of this.reader.push(chunk)) {
      if (e.type !== EV_SW && e.type !== EV_KEY) continue;
      // Key autorepeat (value 2) means "still held": the same as pressed.
      if (e.code === this.options.doorKeyCode) this.changeDoor(e.value !== 0);
      else if (e.code === this.options.serviceKeyCode) this.changeServiceKey(e.value !== 0);
      else if (e.type === EV_SW && e.code === this.options.headphoneSwitchCode)
        this.changeHeadphones(e.value !== 0);
    }
  }
}
