/**
 * Lights through the kernel's LED class (/sys/class/leds/<name>/): `brightness` for on and off, the
 * `timer` trigger for blinking, so the kernel blinks them and a busy event loop cannot stutter.
 */
import fs from "node:fs";
import path from "node:path";
import type { LightMode } from "../device.ts";

export class LedClassLight {
  private readonly dir: string;

  constructor(
    sysfsRoot: string,
    readonly ledName: string,
  ) {
    this.dir = path.join(sysfsRoot, "class", "leds", ledName);
  }

  exists(): boolean {
    return fs.existsSync(path.join(this.dir, "brightness"));
  }

  set(mode: LightMode): void {
    if (mode === "blink") {
      this.write("trigger", "timer");
      // The timer trigger creates delay_on/delay_off once selected, owned by root: udev never saw
      // them, so they may be read-only for the daemon. Unset, the kernel blinks at 1 Hz anyway.
      this.writeIfWritable("delay_on", "500");
      this.writeIfWritable("delay_off", "500");
      return;
    }
    this.writeIfPresent("trigger", "none");
    this.write("brightness", mode === "on" ? String(this.maxBrightness()) : "0");
  }

  private maxBrightness(): number {
    try {
      const n = Number.parseInt(fs.readFileSync(path.join(this.dir, "max_brightness"), "utf8").trim(), 10);
      return Number.isFinite(n) && n > 0 ? n : 1;
    } catch {
      return 1;
    }
  }

  private write(file: string, value: string): void {
    fs.writeFileSync(path.join(this.dir, file), value);
  }

  private writeIfWritable(file: string, value: string): void {
    const p = path.join(this.dir, file);
    try {
      fs.accessSync(p, fs.constants.W_OK);
    } catch {
      return;
    }
    fs.writeFileSync(p, value);
  }

  private writeIfPresent(file: string, value: string): void {
    const p = path.join(this.dir, file);
    if (fs.existsSync(p)) fs.writeFileSync(p, value);
  }
}
