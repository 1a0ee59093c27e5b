/** The `oplatomat` command (SPEC §5), started by bin/oplatomat.mjs. */
import { runCli } from "./commands/index.ts";
import { useSystemZoneinfo } from "./zoneinfo.ts";

// Wall-clock time from the system's tzdata rather than ICU's formatter (kiosk/zoneinfo.ts).
useSystemZoneinfo();

// A reader that stops early (`oplatomat export payments … | head`) closes the pipe: the command ends
// quietly with the status of a Unix tool stopped by SIGPIPE (128 + 13), not with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(141);
});

try {
  // Not process.exit(): long-running commands (start, demo, sim) keep the process alive by their handles.
  process.exitCode = await runCli(process.argv.slice(2));
} catch (error) {
  process.stderr.write(
    `oplatomat: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 70;
}
