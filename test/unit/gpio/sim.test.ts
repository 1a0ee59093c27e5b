import { describe, expect, it } from "vitest";
import { createKioskIo, SimKioskIo } from "../../../devices/gpio/index.ts";

describe("simulated kiosk I/O", () => {
  it("emits door and service key changes once per change and remembers lights", async () => {
    const io = createKioskIo({ backend: "sim" });
    expect(io).toBeInstanceOf(SimKioskIo);
    const sim = io as SimKioskIo;
    await sim.open();
    const doors: boolean[] = [];
    sim.on("door", (open) => doors.push(open));
    sim.setDoor(true);
    sim.setDoor(true);
    sim.setDoor(false);
    expect(doors).toEqual([true, false]);
    sim.setServiceKey(true);
    expect(sim.serviceKeyTurned).toBe(true);
    sim.setLight("status", "blink");
    expect(sim.lightModes()).toEqual({ status: "blink" });
  });
});
