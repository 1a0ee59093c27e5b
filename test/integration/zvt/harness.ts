/** Driver ↔ simulator wiring for the ZVT integration tests: TCP on an ephemeral port, or serial over socat. */
import { SerialTransport } from "../../../devices/transport/serial.ts";
import { TcpTransport } from "../../../devices/transport/tcp.ts";
import type { DeviceLogger } from "../../../devices/transport/transport.ts";
import { createPtyPair, type PtyPair } from "../../../devices/sim/pty-pair.ts";
import { ZvtTerminalSimulator, type ZvtSimulatorOptions } from "../../../devices/sim/zvt-terminal.ts";
import { type ZvtTimeouts, ZvtTerminal } from "../../../devices/terminal/zvt/driver.ts";

export type Wire = "tcp" | "serial";

/** A logger that keeps every line, to prove what never reaches the logs. */
export function capturingLogger(): DeviceLogger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (obj: object, msg?: string) => {
    lines.push(`${level} ${msg ?? ""} ${JSON.stringify(obj)}`);
  };
  return { lines, debug: push("debug"), info: push("info"), warn: push("warn"), error: push("error") };
}

export interface Rig {
  wire: Wire;
  sim: ZvtTerminalSimulator;
  driver: ZvtTerminal;
  log: ReturnType<typeof capturingLogger>;
  pair?: PtyPair;
  /** Take the terminal away (TCP: stop listening and drop; serial: kill socat). */
  unplug(): Promise<void>;
  /** Bring it back on the same address. */
  replug(): Promise<void>;
  close(): Promise<void>;
}

export const FAST: ZvtTimeouts = {
  t3Ms: 1000,
  t4Ms: 3000,
  t2Ms: 300,
  pollIntervalMs: 60_000,
  registerRetryMs: 100,
  vendingHoldMs: 50,
};

export async function rig(
  wire: Wire,
  simOptions: ZvtSimulatorOptions = {},
  timeouts: ZvtTimeouts = {},
): Promise<Rig> {
  const log = capturingLogger();
  const options: ZvtSimulatorOptions = { answerTimeoutMs: 1000, vendingRepeatMs: 20, ...simOptions };
  const sim = new ZvtTerminalSimulator(options);
  if (wire === "tcp") {
    const port = await sim.listenTcp(0);
    const transport = new TcpTransport({ host: "127.0.0.1", port, initialDelayMs: 20, maxDelayMs: 100 }, log);
    const driver = new ZvtTerminal({
      transport,
      password: "000000",
      log,
      timeouts: { ...FAST, ...timeouts },
    });
    const r: Rig = {
      wire,
      sim,
      driver,
      log,
      unplug: () => sim.unplug(),
      replug: () => sim.replug(),
      close: async () => {
        await driver.close();
        await r.sim.stop();
      },
    };
    return r;
  }
  const pair = await createPtyPair();
  await sim.attachSerial(pair.pathB);
  const transport = new SerialTransport(
    {
      path: pair.pathA,
      baudRate: 9600,
      stopBits: 2,
      initialDelayMs: 20,
      maxDelayMs: 100,
      presenceCheckMs: 50,
    },
    log,
  );
  const driver = new ZvtTerminal({ transport, password: "000000", log, timeouts: { ...FAST, ...timeouts } });
  return {
    wire,
    sim,
    driver,
    log,
    pair,
    unplug: () => pair.unplug(),
    replug: () => pair.replug(),
    close: async () => {
      await driver.close();
      await sim.stop();
      await pair.close();
    },
  };
}

/** Waits for `check`; on time-out the error carries `explain()` (e.g. the driver's last log lines). */
export async function until(check: () => boolean, ms = 5000, explain?: () => string): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) {
      throw new Error(`condition not met in ${ms} ms${explain ? `\n${explain()}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}
