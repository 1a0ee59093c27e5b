/**
 * A stand-in for the daemon, run as a child process so a test can SIGKILL it mid-payment:
 * argv = tcp PORT | serial PATH, then AMOUNT. Prints `INTERMEDIATE` on the first 04 FF and `PERSIST`
 * when the 04 0F arrives (and then never acknowledges it, as if killed right there).
 */
import { ZvtTerminal } from "../../../devices/terminal/zvt/driver.ts";
import { SerialTransport } from "../../../devices/transport/serial.ts";
import { TcpTransport } from "../../../devices/transport/tcp.ts";

const [wire, address, amountText] = process.argv.slice(2);
const transport =
  wire === "tcp"
    ? new TcpTransport({ host: "127.0.0.1", port: Number(address) })
    : new SerialTransport({ path: String(address), baudRate: 9600, stopBits: 2 });
const driver = new ZvtTerminal({ transport, password: "000000", timeouts: { t3Ms: 1000, t2Ms: 300 } });
await driver.open();
while (driver.state !== "idle") await new Promise((r) => setTimeout(r, 5));
let said = false;
driver.on("intermediate", () => {
  if (!said) process.stdout.write("INTERMEDIATE\n");
  said = true;
});
process.stdout.write("READY\n");
await driver.authorize({
  amount: Number(amountText),
  persist: () => {
    process.stdout.write("PERSIST\n");
    return new Promise<void>(() => {});
  },
});
