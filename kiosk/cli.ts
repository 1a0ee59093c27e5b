/** The `oplatomat` command (SPEC §5), started by bin/oplatomat.mjs. */
import { runCli } from "./commands/index.ts";
import { useSystemZoneinfo } from "./zoneinfo.ts";

// Wall-clock time from the system's tzdata rather than ICU's formatter (kiosk/zoneinfo.ts).
useSystemZoneinfo();

try {
  // Not process.exit(): long-running commands (start, demo, sim) keep the process alive by their handles.
  process.exitCode = await runCli(process.argv.slice(2));
} catch (error) {
  process.stderr.write(
    `oplatomat: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 70;
}
