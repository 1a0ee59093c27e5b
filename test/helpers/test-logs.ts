import fs from "node:fs";
import path from "node:path";

/**
 * Where test daemons, kiosks and hubs, write their logs, so the suite can scan every line for card
 * data and tokens (scripts/test.sh runs scripts/scan-logs.ts over test-results/logs).
 */
export function testLogFile(name: string): string {
  const dir = path.resolve("test-results", "logs");
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name.replace(/[^a-z0-9-]+/gi, "_")}-${process.pid}.log`);
}
