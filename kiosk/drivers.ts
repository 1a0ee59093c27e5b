/**
 * The configured device drivers (SPEC §3 `devices`): ZVT or the in-memory fake terminal, ESC/POS or
 * the fake printer, the configured QR reader and GPIO. Constructed only here for the composition
 * roots (kiosk/daemon.ts, the fault tests); everything else receives them.
 */
import type { KioskDevices } from "../devices/device.ts";
import { createKioskIo } from "../devices/gpio/index.ts";
import { createEscPosPrinter } from "../devices/printer/index.ts";
import { createScanner } from "../devices/scanner/index.ts";
import { FakePrinter } from "../devices/sim/fake-printer.ts";
import { FakeTerminal } from "../devices/sim/fake-terminal.ts";
import { createZvtTerminal } from "../devices/terminal/zvt/driver.ts";
import type { KioskConfig } from "./config/types.ts";
import type { Logger } from "./ops/logger.ts";
import { terminalTimeoutsFromEnv } from "./ops/terminal-timeouts.ts";

/** Builds the configured drivers (the `fake` protocols are in-memory and say so in their health). */
export async function createDevices(config: KioskConfig, log: Logger): Promise<KioskDevices> {
  const d = config.devices;
  const terminal =
    d.terminal.protocol === "zvt"
      ? createZvtTerminal(
          // The terminal lays out its receipt lines (printed on the kiosk's receipt) for this width.
          { ...d.terminal, ...(d.printer.protocol === "escpos" ? { printerWidth: d.printer.columns } : {}) },
          log.child({ device: "terminal" }),
          terminalTimeoutsFromEnv(),
        )
      : new FakeTerminal();
  const printer =
    d.printer.protocol === "escpos"
      ? createEscPosPrinter(
          {
            transport: d.printer.transport,
            columns: d.printer.columns,
            ...(d.printer.codePage ? { codePage: d.printer.codePage } : {}),
          },
          log.child({ device: "printer" }),
          // A receipt prints in seconds; a visitor should not wait a minute to hear it failed.
          { jobTimeoutMs: 20_000 },
        )
      : new FakePrinter();
  const scanner = createScanner(d.scanner, log.child({ device: "scanner" }));
  const gpio = createKioskIo(d.gpio, log.child({ device: "gpio" }));
  return { terminal, printer, scanner, gpio };
}
