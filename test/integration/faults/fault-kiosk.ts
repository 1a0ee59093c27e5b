/**
 * A kiosk in this process over the rig's simulators and fake receivers, built from a validated
 * YAML configuration with the real drivers (`createDevices`), so a test can pull a cable, empty the
 * paper, hang a receiver or fill the database, and watch the kiosk through its HTTP API.
 */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { loadConfig } from "../../../kiosk/config/load.ts";
import type { KioskConfig } from "../../../kiosk/config/types.ts";
import { createDevices } from "../../../kiosk/drivers.ts";
import { createKiosk, type Kiosk } from "../../../kiosk/main.ts";
import { createLogger } from "../../../kiosk/ops/logger.ts";
import type { Rig } from "../../crash/rig.ts";
import { testLogFile } from "../../helpers/kiosk-harness.ts";

export interface FaultKiosk {
  kiosk: Kiosk;
  url: string;
  close(): Promise<void>;
}

/** The rig's configuration, optionally patched (e.g. a serial terminal), as the loader validates it. */
export function rigConfig(rig: Rig, patch: (raw: Record<string, unknown>) => void = () => {}): KioskConfig {
  const raw = YAML.parse(fs.readFileSync(rig.configFile, "utf8")) as Record<string, unknown>;
  patch(raw);
  const file = path.join(rig.dir, `kiosk-${Date.now()}-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(file, YAML.stringify(raw));
  return loadConfig(file);
}

export async function startFaultKiosk(
  rig: Rig,
  options: { config?: KioskConfig; maxPageCount?: number; logName: string },
): Promise<FaultKiosk> {
  const config = options.config ?? rigConfig(rig);
  const logger = createLogger({ level: "debug", destination: testLogFile(options.logName) });
  const devices = await createDevices(config, logger);
  const kiosk = await createKiosk({
    config,
    dataDir: rig.dataDir,
    devices,
    logger,
    uiDir: path.join(rig.dir, "no-ui"),
    ...(options.maxPageCount ? { maxPageCount: options.maxPageCount } : {}),
  });
  const url = await kiosk.start({ port: 0 });
  return { kiosk, url, close: () => kiosk.close() };
}

export async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Polls until `probe` holds (the kiosk reacts to devices asynchronously), or fails with `what`. */
export async function eventually(
  what: string,
  probe: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function sessionState(url: string): Promise<string> {
  return String((await getJson(`${url}/api/session`)).body["state"]);
}

export async function ready(url: string): Promise<number> {
  return (await fetch(`${url}/ready`)).status;
}
