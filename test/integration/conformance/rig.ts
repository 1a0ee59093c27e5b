/**
 * One conformance kiosk: a configuration file in a fresh directory and `oplatomat start` on it in a
 * child process, as an office installs it. `close` stops the daemon and removes the directory.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type CliDaemon, startCliDaemon, writeConfig } from "../../helpers/cli-daemon.ts";

export interface ConformanceKiosk {
  daemon: CliDaemon;
  url: string;
  dir: string;
  configFile: string;
  dataDir: string;
  close(): Promise<void>;
}

/** `management`: the configuration names `server.management`; wait for that listener too. */
export async function startConformanceKiosk(
  name: string,
  config: object,
  options: { management?: boolean } = {},
): Promise<ConformanceKiosk> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `opl-conf-${name}-`));
  const dataDir = path.join(dir, "data");
  fs.mkdirSync(dataDir);
  const configFile = writeConfig(dir, config);
  const daemon = await startCliDaemon(configFile, dataDir, options.management === true);
  return {
    daemon,
    url: daemon.url,
    dir,
    configFile,
    dataDir,
    async close() {
      await daemon.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
