/** Builds a whole kiosk in-process over fake devices and a temp data directory. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FakePrinter } from "../../devices/sim/fake-printer.ts";
import { FakeTerminal } from "../../devices/sim/fake-terminal.ts";
import type { KioskConfig } from "../../kiosk/config/types.ts";
import { createKiosk, type Kiosk } from "../../kiosk/main.ts";
import { createLogger } from "../../kiosk/ops/logger.ts";
import { StandInIo, StandInScanner } from "./stand-ins.ts";
import { testLogFile } from "./test-logs.ts";
import { type TestKeys, testConfig, testKeys } from "./test-config.ts";

export interface Harness {
  kiosk: Kiosk;
  terminal: FakeTerminal;
  printer: FakePrinter;
  scanner: StandInScanner;
  gpio: StandInIo;
  keys: TestKeys;
  dataDir: string;
  close(): Promise<void>;
}

export { testLogFile } from "./test-logs.ts";

export async function makeHarness(
  options: {
    config?: (c: KioskConfig) => KioskConfig;
    start?: boolean;
    logName?: string;
    /** A restart: the data directory (and the keys) of an earlier harness, left in place by `close`. */
    restartOf?: Harness;
    /** The kiosk's clock (createKiosk's `now`), for a test that sets the office's time. */
    now?: () => Date;
  } = {},
): Promise<Harness> {
  const keys = options.restartOf?.keys ?? testKeys();
  const base = testConfig(keys);
  const config = options.config ? options.config(base) : base;
  const dataDir = options.restartOf?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "opl-test-"));
  const terminal = new FakeTerminal();
  const printer = new FakePrinter();
  const scanner = new StandInScanner();
  const gpio = new StandInIo();
  const kiosk = await createKiosk({
    config,
    dataDir,
    devices: { terminal, printer, scanner, gpio },
    logger: createLogger({ level: "debug", destination: testLogFile(options.logName ?? "harness") }),
    uiDir: path.join(dataDir, "no-ui"),
    ...(options.now ? { now: options.now } : {}),
  });
  if (options.start !== false) await kiosk.start({ port: 0 });
  return {
    kiosk,
    terminal,
    printer,
    scanner,
    gpio,
    keys,
    dataDir,
    async close() {
      await kiosk.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves once the flow's session reaches one of the states (or throws after a while). */
export async function waitForState(kiosk: Kiosk, states: string[], timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!states.includes(kiosk.flow.view().state)) {
    if (Date.now() > deadline)
      throw new Error(`state is ${kiosk.flow.view().state}, waited for ${states.join("|")}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A POST to the harness's kiosk through its HTTP stack (fastify inject), with an optional JSON body. */
export function postTo(h: Harness, url: string, body?: unknown) {
  return h.kiosk.app.inject({
    method: "POST",
    url,
    ...(body === undefined ? {} : { payload: body as object }),
  });
}
