#!/usr/bin/env node
// Runs the TypeScript sources through tsx so the kiosk needs no separate build step.
// `oplatomat hub …` goes to the settlement hub's own CLI: hub/ and kiosk/ never import each other.
import { register } from "tsx/esm/api";

register();
if (process.argv[2] === "hub") {
  const { runHubCli } = await import("../hub/cli.ts");
  try {
    process.exitCode = await runHubCli(process.argv.slice(3));
  } catch (error) {
    process.stderr.write(
      `oplatomat hub: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 70;
  }
} else {
  await import("../kiosk/cli.ts");
}
