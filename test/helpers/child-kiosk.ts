/**
 * A kiosk daemon in a child process over in-memory fake devices, for restart tests: the parent
 * SIGKILLs it and starts another over the same data directory. Reads a JSON spec from argv[2] and
 * prints `READY <url>` once listening.
 */
import fs from "node:fs";
import type { TerminalTransaction } from "../../devices/device.ts";
import { FakePrinter } from "../../devices/sim/fake-printer.ts";
import { type FakeBehaviour, FakeTerminal } from "../../devices/sim/fake-terminal.ts";
import type { KioskConfig } from "../../kiosk/config/types.ts";
import { createKiosk } from "../../kiosk/main.ts";
import { createLogger } from "../../kiosk/ops/logger.ts";
import { testLogFile } from "./kiosk-harness.ts";
import { StandInIo, StandInScanner } from "./stand-ins.ts";

export interface ChildSpec {
  config: KioskConfig;
  dataDir: string;
  behaviour: FakeBehaviour;
  last?: TerminalTransaction | null;
  logName: string;
}

const spec = JSON.parse(fs.readFileSync(process.argv[2] as string, "utf8")) as ChildSpec;
const terminal = new FakeTerminal();
terminal.behaviour = spec.behaviour;
if (spec.last !== undefined) terminal.presetLast(spec.last);
const kiosk = await createKiosk({
  config: spec.config,
  dataDir: spec.dataDir,
  devices: { terminal, printer: new FakePrinter(), scanner: new StandInScanner(), gpio: new StandInIo() },
  logger: createLogger({ level: "debug", destination: testLogFile(spec.logName) }),
});
const url = await kiosk.start({ port: 0 });
process.stdout.write(`READY ${url}\n`);
