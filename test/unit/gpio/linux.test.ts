/**
 * The Linux kiosk I/O backend over a temp directory laid out like /sys/class/leds and a FIFO carrying
 * real `struct input_event` records, as gpio-keys writes them to /dev/input/event*.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createKioskIo,
  EV_KEY,
  EV_SW,
  encodeInputEvent,
  InputEventReader,
  type LinuxKioskIo,
} from "../../../devices/gpio/index.ts";

const SW_DOOR = 0x0f; // any switch code the overlay is configured with
const KEY_SERVICE = 0x100;

const SW_HEADPHONE_INSERT = 0x02;

function next(io: LinuxKioskIo, event: "door" | "serviceKey" | "headphones"): Promise<boolean> {
  return new Promise((resolve) => io.once(event, (v: boolean) => resolve(v)));
}

describe("Linux kiosk I/O", () => {
  let dir: string;
  let fifo: string;
  let writer: number | undefined;
  let io: LinuxKioskIo | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "oplatomat-gpio-"));
    for (const led of ["kiosk:green:status", "kiosk:red:printer"]) {
      const d = path.join(dir, "class", "leds", led);
      fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(path.join(d, "brightness"), "0");
      fs.writeFileSync(path.join(d, "max_brightness"), "255");
      fs.writeFileSync(path.join(d, "trigger"), "[none] timer heartbeat");
    }
    fifo = path.join(dir, "gpio-keys-event");
    execFileSync("mkfifo", [fifo]);
  });

  afterEach(async () => {
    await io?.close();
    if (writer !== undefined) fs.closeSync(writer);
    writer = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function send(...events: Array<{ type: number; code: number; value: number }>): void {
    writer ??= fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    const bytes = Buffer.concat([...events, { type: 0, code: 0, value: 0 }].map((e) => encodeInputEvent(e)));
    fs.writeSync(writer, bytes);
  }

  it("turns the door switch and the service key into events", async () => {
    io = createKioskIo(
      { backend: "linux", inputDevice: fifo, doorKeyCode: SW_DOOR, serviceKeyCode: KEY_SERVICE },
      undefined,
      { sysfsRoot: dir, pollIntervalMs: 5 },
    ) as LinuxKioskIo;
    await io.open();
    expect(io.state).toBe("idle");
    expect(io.doorOpen).toBe(false);

    const opened = next(io, "door");
    send({ type: EV_SW, code: SW_DOOR, value: 1 });
    expect(await opened).toBe(true);
    expect(io.doorOpen).toBe(true);

    const turned = next(io, "serviceKey");
    send({ type: EV_KEY, code: 0x1e, value: 1 }, { type: EV_KEY, code: KEY_SERVICE, value: 1 });
    expect(await turned).toBe(true);

    const closed = next(io, "door");
    send({ type: EV_SW, code: SW_DOOR, value: 0 });
    expect(await closed).toBe(false);
    expect(io.serviceKeyTurned).toBe(true);
    expect(io.statistics()["door_openings"]).toBe(1);
  });

  it("reports headphones plugged into the jack from its insert switch (audio mode, issue 18)", async () => {
    io = createKioskIo(
      { backend: "linux", inputDevice: fifo, headphoneSwitchCode: SW_HEADPHONE_INSERT },
      undefined,
      { sysfsRoot: dir, pollIntervalMs: 5 },
    ) as LinuxKioskIo;
    await io.open();
    expect(io.headphonesPlugged).toBe(false);
    const plugged = next(io, "headphones");
    // A key with the same code is not the jack: only the switch event counts.
    send(
      { type: EV_KEY, code: SW_HEADPHONE_INSERT, value: 1 },
      { type: EV_SW, code: SW_HEADPHONE_INSERT, value: 1 },
    );
    expect(await plugged).toBe(true);
    expect(io.headphonesPlugged).toBe(true);
    const out = next(io, "headphones");
    send({ type: EV_SW, code: SW_HEADPHONE_INSERT, value: 0 });
    expect(await out).toBe(false);
    expect(io.statistics()["headphone_insertions"]).toBe(1);
  });

  it("drives LED-class lights: on at max brightness, off, blink by the kernel timer", async () => {
    io = createKioskIo(
      { backend: "linux", lights: { status: "kiosk:green:status", printer: "kiosk:red:printer" } },
      undefined,
      { sysfsRoot: dir },
    ) as LinuxKioskIo;
    await io.open();
    const led = (name: string, file: string) =>
      fs.readFileSync(path.join(dir, "class", "leds", name, file), "utf8");
    io.setLight("status", "on");
    expect(led("kiosk:green:status", "brightness")).toBe("255");
    io.setLight("printer", "blink");
    expect(led("kiosk:red:printer", "trigger")).toBe("timer");
    io.setLight("printer", "off");
    expect(led("kiosk:red:printer", "trigger")).toBe("none");
    expect(led("kiosk:red:printer", "brightness")).toBe("0");
    expect((await io.checkHealth()).ok).toBe(true);
  });

  it("reads input_event records split across reads, in both record sizes", () => {
    for (const size of [16, 24] as const) {
      const bytes = Buffer.concat([
        encodeInputEvent({ type: EV_SW, code: 3, value: 1 }, size, 1_700_000_000),
        encodeInputEvent({ type: EV_KEY, code: 0x100, value: -1 }, size),
      ]);
      const reader = new InputEventReader(size);
      const events = [...reader.push(bytes.subarray(0, 5)), ...reader.push(bytes.subarray(5))];
      expect(events).toEqual([
        { type: EV_SW, code: 3, value: 1 },
        { type: EV_KEY, code: 0x100, value: -1 },
      ]);
    }
  });

  it("reports a missing input device as offline", async () => {
    io = createKioskIo({ backend: "linux", inputDevice: path.join(dir, "absent") }, undefined, {
      sysfsRoot: dir,
      reopenDelayMs: 10_000,
    }) as LinuxKioskIo;
    await io.open();
    expect(io.state).toBe("offline");
    expect((await io.checkHealth()).ok).toBe(false);
  });
});
