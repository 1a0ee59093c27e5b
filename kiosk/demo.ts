/**
 * `oplatomat demo`: the demo office (config/demo.yaml) with every device simulated on loopback —
 * a ZVT terminal simulator and an ESC/POS printer simulator speaking their real wire protocols —
 * plus a fake office system, and a few valid sample slips with their QR codes. Settlement goes to the
 * real hub (`oplatomat hub demo` beside it, kiosk/demo-hub.ts) when `hub` is set — `oplatomat demo`
 * does — and to a fake settlement server otherwise (the tests).
 */
import { SimKioskIo } from "../devices/gpio/sim.ts";
import { attachDemoSwitches, DEMO_SWITCHES_HELP } from "./demo-switches.ts";
import { createPrivateKey } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import QRCode from "qrcode";
import { EscPosPrinterSim } from "../devices/sim/escpos-printer.ts";
import { ZvtTerminalSimulator, type ZvtSimulatorOptions } from "../devices/sim/zvt-terminal.ts";
import { ConfigError, loadConfig } from "./config/load.ts";
import {
  DEFAULT_SCREEN_LAYOUT,
  type KioskConfig,
  type KioskScreenLayout,
  type ManagementListener,
} from "./config/types.ts";
import { type DemoHub, startDemoHub } from "./demo-hub.ts";
import { FakePik } from "./integrations/fake-pik.ts";
import { FakeSettlement } from "./integrations/fake-settlement.ts";
import { hashPin } from "./auth/pin-hash.ts";
import { type RunningDaemon, startDaemon, stopOnSignals } from "./daemon.ts";
import { ROOT } from "../contracts/install-layout.ts";
import { createLogger, LogTail } from "./ops/logger.ts";

export interface DemoOptions {
  port?: number;
  host?: string;
  /** Port of the management listener (admin API, docs); with `port` given and this not, any free one. */
  managementPort?: number;
  dataDir?: string;
  quiet?: boolean;
  /** Pause before each of the terminal's intermediate messages (insert card, PIN …). */
  terminalDelayMs?: number;
  idleTimeoutSeconds?: number;
  /** Log file instead of stdout. */
  logFile?: string;
  /** Extra terminal-simulator settings (tests: e.g. send a full test PAN once). */
  terminal?: Partial<ZvtSimulatorOptions>;
  /** Run the settlement hub beside the kiosk and send settlement and heartbeat to it. */
  hub?: boolean;
  /** An attended cash desk (SPEC §10) with the sample cashiers instead of a self-service kiosk. */
  attended?: boolean;
  /** Where the panel's card terminal, printer and reader are (`kiosk.layout`), when not the defaults. */
  layout?: Partial<KioskScreenLayout>;
  /**
   * What the fake office system answers for a slip it did not print (FakePik's `unknownSlips`). The
   * tests keep `not-found` (the default), which they use for an office system that cannot confirm a
   * slip; `oplatomat demo` takes such slips as open, so slips its users sign with the demo key pay.
   */
  unknownSlips?: "not-found" | "open";
}

/** The demo cash desk's cashiers; their PINs are printed by `oplatomat demo --attended`. */
export const DEMO_CASHIERS = [
  { id: "ANNA", name: "Anna Nowak", pin: "135790" },
  { id: "PIOTR", name: "Piotr Zieliński", pin: "246813" },
] as const;

export interface SampleSlip {
  payload: string;
  description: string;
  png: string;
}

export interface Demo {
  url: string;
  /** The management listener: admin API, API docs, operations. */
  managementUrl: string | undefined;
  daemon: RunningDaemon;
  config: KioskConfig;
  sampleSlips: SampleSlip[];
  sims: { terminal: ZvtTerminalSimulator; printer: EscPosPrinterSim };
  /** The fake settlement server; null when the real hub receives the settlement messages. */
  fakes: { pik: FakePik; settlement: FakeSettlement | null };
  hub: DemoHub | null;
  close(): Promise<void>;
}

export const DEMO_CONFIG = path.join(ROOT, "config", "demo.yaml");
const DEMO_PIK_KEY = path.join(ROOT, "config", "demo-keys", "pik-demo.pem");

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const dataDir = path.resolve(options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "oplatomat-demo-")));
  fs.mkdirSync(dataDir, { recursive: true });
  const base = loadConfig(DEMO_CONFIG);
  // First, so a hub that cannot start leaves nothing else running.
  const hub = options.hub
    ? await startDemoHub({
        dataDir: path.join(dataDir, "hub"),
        kind: options.attended ? "desk" : "kiosk",
        ...(options.logFile ? { logFile: `${options.logFile}.hub` } : {}),
      })
    : null;
  const sims = await startSimulators(base, options, hub !== null);
  const { terminal, printer, pik, settlement } = sims;
  const config = await demoConfig(base, options, dataDir, sims, hub);
  const logTail = new LogTail(500);
  const logger = createLogger({
    level: config.logging?.level ?? "info",
    tail: logTail,
    ...(options.logFile ? { destination: options.logFile } : {}),
  });
  const daemon = await startDaemon(config, {
    dataDir,
    port: config.server.port,
    host: config.server.host,
    logger,
    logTail,
  });
  const sampleSlips = await writeSampleSlips(dataDir, config, pik);
  return {
    url: daemon.url,
    managementUrl: daemon.managementUrl,
    daemon,
    config,
    sampleSlips,
    sims: { terminal, printer },
    fakes: { pik, settlement },
    hub,
    async close() {
      await daemon.stop();
      await Promise.allSettled([
        terminal.stop(),
        printer.close(),
        pik.close(),
        settlement?.close(),
        hub?.close(),
      ]);
    },
  };
}

interface DemoSimulators {
  terminal: ZvtTerminalSimulator;
  printer: EscPosPrinterSim;
  pik: FakePik;
  /** Null when the real hub takes settlement. */
  settlement: FakeSettlement | null;
  terminalPort: number;
  printerPort: number;
}

/** The terminal and printer simulators on loopback TCP, the fake office system and settlement server. */
async function startSimulators(
  base: KioskConfig,
  options: DemoOptions,
  withHub: boolean,
): Promise<DemoSimulators> {
  const terminal = new ZvtTerminalSimulator({
    intermediateDelayMs: options.terminalDelayMs ?? 600,
    ...(base.devices.terminal.protocol === "zvt" ? { password: base.devices.terminal.password } : {}),
    ...options.terminal,
  });
  const printer = new EscPosPrinterSim();
  const trusted = base.slips.trustedKeys[0];
  const pik = await FakePik.start({
    office: base.office.id,
    ...(trusted ? { kid: trusted.kid } : {}),
    privateKey: createPrivateKey(fs.readFileSync(DEMO_PIK_KEY, "utf8")),
    unknownSlips: options.unknownSlips ?? "not-found",
  });
  const settlement = withHub ? null : await FakeSettlement.start();
  const terminalPort = await terminal.listenTcp(0);
  const printerPort = await printer.listenTcp(0);
  return { terminal, printer, pik, settlement, terminalPort, printerPort };
}

/** config/demo.yaml pointed at the simulators, the fakes (or the hub) and the demo's data directory. */
async function demoConfig(
  base: KioskConfig,
  options: DemoOptions,
  dataDir: string,
  sims: DemoSimulators,
  hub: DemoHub | null,
): Promise<KioskConfig> {
  const { pik, settlement, terminalPort, printerPort } = sims;
  return {
    ...base,
    kiosk: {
      ...base.kiosk,
      ...(options.idleTimeoutSeconds ? { idleTimeoutSeconds: options.idleTimeoutSeconds } : {}),
      ...(options.attended ? { mode: "attended" as const } : {}),
      ...(options.layout
        ? { layout: { ...DEFAULT_SCREEN_LAYOUT, ...base.kiosk.layout, ...options.layout } }
        : {}),
    },
    ...(options.attended
      ? {
          cashiers: await Promise.all(
            DEMO_CASHIERS.map(async (c) => ({ id: c.id, name: c.name, pinHash: await hashPin(c.pin) })),
          ),
        }
      : {}),
    devices: {
      ...base.devices,
      terminal:
        base.devices.terminal.protocol === "zvt"
          ? { ...base.devices.terminal, transport: { type: "tcp", host: "127.0.0.1", port: terminalPort } }
          : base.devices.terminal,
      printer:
        base.devices.printer.protocol === "escpos"
          ? { ...base.devices.printer, transport: { type: "tcp", host: "127.0.0.1", port: printerPort } }
          : base.devices.printer,
      scanner: { type: "keyboard" },
      gpio: { backend: "sim" },
    },
    integrations: {
      ...base.integrations,
      pik: { ...(base.integrations.pik ?? { reporting: "direct" }), url: pik.url },
      ...(hub
        ? {
            settlement: { url: hub.url, token: hub.deviceToken },
            // Often, so the back office's fleet table follows the demo closely.
            heartbeat: { url: `${hub.url}/fleet/heartbeat`, token: hub.deviceToken, intervalSeconds: 5 },
          }
        : { settlement: { ...(base.integrations.settlement ?? {}), url: settlement!.url } }),
    },
    storage: { ...base.storage, path: path.join(dataDir, "oplatomat.db") },
    server: {
      host: options.host ?? "127.0.0.1",
      port: options.port ?? base.server.port,
      ...(base.server.management ? { management: demoManagement(base.server.management, options) } : {}),
    },
  };
}

/** How to sign a slip of one's own that the demo's office system accepts. */
function issueHint(config: KioskConfig, kid: string): string {
  const code = Object.keys(config.components)[0] ?? "CODE";
  return (
    "Your own slips: sign them with the demo office's key, and the demo's office system takes them as open:\n" +
    `  oplatomat slip issue --key ${path.relative(process.cwd(), DEMO_PIK_KEY) || DEMO_PIK_KEY} --kid ${kid} ` +
    `--office ${config.office.id} --slip S/2026/900001 --line ${code}:5400 --png my-slip.png\n`
  );
}

/** A few valid slips of the demo office, signed by the fake office system, with their QR codes as PNG. */
async function writeSampleSlips(dataDir: string, config: KioskConfig, pik: FakePik): Promise<SampleSlip[]> {
  const slipsDir = path.join(dataDir, "slips");
  fs.mkdirSync(slipsDir, { recursive: true });
  const stamp = Date.now().toString(36).toUpperCase().slice(-6);
  const samples: Array<{
    slip: string;
    caseRef: string;
    lines: Array<{ code: string; amount: number }>;
    description: string;
  }> = [
    {
      slip: `S/2026/${stamp}-1`,
      caseRef: "KOM/123/2026",
      lines: [
        { code: "DR", amount: 5400 },
        { code: "TAB", amount: 8000 },
        { code: "NAL", amount: 1250 },
        { code: "PC", amount: 1350 },
      ],
      description: "rejestracja samochodu: dowód, tablice, nalepki, pozwolenie czasowe (160,00 zł)",
    },
    {
      slip: `S/2026/${stamp}-2`,
      caseRef: "KIE/45/2026",
      lines: [{ code: "PJ", amount: 10000 }],
      description: "prawo jazdy (100,00 zł)",
    },
    {
      slip: `S/2026/${stamp}-3`,
      caseRef: "KOM/77/2026",
      lines: [
        { code: "DR", amount: 5400 },
        { code: "PEL", amount: 1700 },
      ],
      description: "dowód rejestracyjny i pełnomocnictwo — opłata skarbowa dla gminy (71,00 zł)",
    },
  ].filter((s) => s.lines.every((l) => config.components[l.code]));
  const sampleSlips: SampleSlip[] = [];
  for (const [i, s] of samples.entries()) {
    const payload = pik.issueSlip({ slip: s.slip, caseRef: s.caseRef, lines: s.lines });
    const png = path.join(slipsDir, `slip-${i + 1}.png`);
    await QRCode.toFile(png, payload, { errorCorrectionLevel: "M", margin: 2, width: 480 });
    sampleSlips.push({ payload, description: s.description, png });
  }
  return sampleSlips;
}

/** The demo's management listener: as configured, or on a free port when the caller chose the UI's port. */
function demoManagement(configured: ManagementListener, options: DemoOptions): ManagementListener {
  const port = options.managementPort ?? (options.port === undefined ? configured.port : 0);
  return { ...configured, port };
}

/**
 * The shell commands the demo suggests for a first scan. A cash desk's scan needs the shift's bearer
 * token (SPEC §10), so there the first command opens a shift for the first demo cashier.
 */
export function demoTryHint(url: string, attended: boolean): string {
  const scan = (auth: string) =>
    `curl -s -X POST ${url}/api/scan${auth} -H 'content-type: application/json' -d '{"payload":"<payload>"}'\n`;
  if (!attended) return `Try: ${scan("")}`;
  const cashier = DEMO_CASHIERS[0];
  return (
    `Try: TOKEN=$(curl -s -X POST ${url}/api/shift/open -H 'content-type: application/json' ` +
    `-d '{"cashier":"${cashier.id}","pin":"${cashier.pin}"}' | sed -E 's/.*"token":"([^"]+)".*/\\1/')\n` +
    `     ${scan(` -H "authorization: Bearer $TOKEN"`)}`
  );
}

/** `oplatomat demo [--port N] [--data DIR]`. */
export async function runDemo(opts: { port?: number; data?: string; attended?: boolean }): Promise<void> {
  let demo: Demo | undefined;
  // From the start, not once started: a signal while the hub or the kiosk starts exits too, and the
  // exit stops the hub child (kiosk/demo-hub.ts). Without a handler the signal killed this process
  // alone and left `oplatomat hub demo` running.
  stopOnSignals(async () => {
    await demo?.close();
  });
  const options: DemoOptions = {
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.attended ? { attended: true } : {}),
    ...(opts.data ? { dataDir: opts.data } : {}),
    logFile: path.resolve(opts.data ?? "var", "oplatomat-demo.log"),
    // Slips signed with the demo office's key by `oplatomat slip issue` are payable too.
    unknownSlips: "open",
  };
  try {
    demo = await startDemo({ ...options, hub: true }).catch((error: unknown) => {
      if (error instanceof ConfigError) throw error;
      // The kiosk demo is still worth running without its back office.
      process.stderr.write(
        `the settlement hub did not start, using a fake settlement server: ${String(error)}\n`,
      );
      return startDemo(options);
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) process.stderr.write(`${p.path}: ${p.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const out = process.stdout;
  out.write(`\noplatomat demo — ${demo.config.office.name}, kiosk ${demo.config.kiosk.id}\n`);
  out.write(`  UI:        ${demo.url}/\n`);
  const ops = demo.managementUrl ?? demo.url;
  if (demo.managementUrl) out.write(`  API docs:  ${demo.managementUrl}/api/docs (management listener)\n`);
  out.write(`  readiness: ${ops}/ready   metrics: ${ops}/metrics\n`);
  out.write(`  service PIN (demo only): 246810\n`);
  if (demo.config.kiosk.mode === "attended") {
    out.write("  cash desk: open a shift with a cashier id and PIN (demo only):\n");
    for (const c of DEMO_CASHIERS) out.write(`    ${c.id.padEnd(6)} ${c.pin}  ${c.name}\n`);
  }
  if (demo.hub) {
    out.write(`  back office (settlement hub): ${demo.hub.url}/\n`);
    out.write(`  back-office login (demo only): ${demo.hub.login} / ${demo.hub.password}\n`);
  }
  out.write(`  log:       ${path.resolve(opts.data ?? "var", "oplatomat-demo.log")}\n\n`);
  out.write(
    "Sample slips (scan the PNG, type the payload as a keyboard-wedge burst, or POST it to /api/scan):\n",
  );
  for (const s of demo.sampleSlips) {
    out.write(`\n  ${s.description}\n  QR: ${s.png}\n  ${s.payload}\n`);
  }
  out.write(`\n${issueHint(demo.config, demo.fakes.pik.kid)}`);
  out.write(
    `\n${demoTryHint(demo.url, demo.config.kiosk.mode === "attended")}` +
      "The simulated terminal declines amounts ending in 51 grosze and aborts those ending in 52.\n\n",
  );
  const gpio = demo.daemon.kiosk.devices.gpio;
  if (gpio instanceof SimKioskIo) {
    out.write(DEMO_SWITCHES_HELP);
    attachDemoSwitches(process.stdin, gpio, (t) => out.write(t));
  }
}
