#!/usr/bin/env node
// The `oplatomat` command. A release (the `npm pack` tarball) carries only the JavaScript compiled by
// `npm run build` in dist/ and runs it with no TypeScript loader. A development checkout runs the
// sources through tsx, so a stale dist/ can never stand in for the code being edited; set
// OPLATOMAT_RUNTIME=dist there to run the build instead (the benchmark does).
// `oplatomat hub …` goes to the settlement hub's own CLI: hub/ and kiosk/ never import each other.
import { existsSync } from "node:fs";

const wanted = process.env.OPLATOMAT_RUNTIME;
const fromDist =
  wanted === "dist" || (wanted !== "source" && !existsSync(new URL("../kiosk/cli.ts", import.meta.url)));
if (!fromDist) {
  const { register } = await import("tsx/esm/api");
  register();
}
const entry = (name) => new URL(fromDist ? `../dist/${name}.js` : `../${name}.ts`, import.meta.url).href;

if (process.argv[2] === "hub") {
  const { runHubCli } = await import(entry("hub/cli"));
  try {
    process.exitCode = await runHubCli(process.argv.slice(3));
  } catch (error) {
    process.stderr.write(
      `oplatomat hub: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 70;
  }
} else {
  await import(entry("kiosk/cli"));
}
