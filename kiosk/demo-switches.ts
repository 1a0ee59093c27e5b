/**
 * The demo's simulated switches (issue 19.8): the service key, the cabinet door and the headphone jack of the simulated
 * kiosk I/O, flipped by typing a letter and Enter in the demo's terminal, so the service-key login
 * and the door alarm can be tried without hardware. Demo only: `oplatomat start` never reads stdin.
 */
import readline from "node:readline";
import type { SimKioskIo } from "../devices/gpio/sim.ts";

export const DEMO_SWITCHES_HELP =
  "Simulated switches: type k + Enter to turn the service key (the screen offers the key login),\n" +
  "d + Enter to open or close the cabinet door, h + Enter to plug headphones in or out (audio mode).\n";

export function attachDemoSwitches(
  input: NodeJS.ReadableStream,
  gpio: SimKioskIo,
  say: (text: string) => void,
): () => void {
  const lines = readline.createInterface({ input, terminal: false });
  lines.on("line", (line) => {
    const key = line.trim().toLowerCase();
    if (key === "k") {
      gpio.setServiceKey(!gpio.serviceKeyTurned);
      say(`service key ${gpio.serviceKeyTurned ? "turned" : "back"}\n`);
    } else if (key === "h") {
      gpio.setHeadphones(!gpio.headphonesPlugged);
      say(`headphones ${gpio.headphonesPlugged ? "plugged in" : "out"}\n`);
    } else if (key === "d") {
      gpio.setDoor(!gpio.doorOpen);
      say(`door ${gpio.doorOpen ? "open" : "closed"}\n`);
    } else if (key) say(DEMO_SWITCHES_HELP);
  });
  return () => lines.close();
}
