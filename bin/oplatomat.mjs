#!/usr/bin/env node
// The `oplatomat` command. A release (the `npm pack` tarball) carries only the JavaScript compiled by
// `npm run build` in dist/ and runs it with no TypeScript loader. A development checkout runs the
// sources through tsx, so a stale dist/ can never stand in for the code being edited; set
// OPLATOMAT_RUNTIME=dist there to run the build instead (the benchmark does). Without tsx (an install
// with --omit=dev) the build runs.
// `oplatomat hub …` goes to the settlement hub's own CLI: hub/ and kiosk/ never import each other.
import { existsSync } from "node:fs";

const wanted = process.env.OPLATOMAT_RUNTIME;
const has = (relative) => existsSync(new URL(relative, import.meta.url));
// The sources need tsx, a development dependency: an install made with --omit=dev runs the build.
const runsSources = has("../kiosk/cli.ts") && has("../node_modules/tsx/package.json");
const fromDist = wanted === "dist" || (wanted !== "source" && !runsSources);
if (fromDist && !has("../dist/kiosk/cli.js")) {
  process.stderr.write(
    "oplatomat: no build in dist/ (run `npm run build`, or install the npm pack tarball)\n",
  );
  process.exit(2);
}
if (!fromDist) {
  const { register } = await import("tsx/esm/api");
  register();
} else {
  await keepCompiledCode();
}
const entry = (name) => new URL(fromDist ? `../dist/${name}.js` : `../${name}.ts`, import.meta.url).href;

/**
 * Node 22.1 and later keep the bytecode V8 compiled for each module on disk and reuse it at the next
 * start (module.enableCompileCache); issue 17 measured what that saves in docs/benchmarks.md. The cache
 * lives in the daemon's data directory (`--data`, writable under the systemd sandbox and kept across
 * restarts), else where Node puts it by default. Node 20 has no such cache: nothing happens there.
 */
async function keepCompiledCode() {
  const { enableCompileCache } = await import("node:module");
  if (typeof enableCompileCache !== "function" || process.env.NODE_COMPILE_CACHE !== undefined) return;
  const data = process.argv.indexOf("--data");
  const dir = data > 0 ? process.argv[data + 1] : undefined;
  const { join, resolve } = await import("node:path");
  enableCompileCache(dir ? join(resolve(dir), "compile-cache") : undefined);
}

if (process.argv[2] === "hub") {
  const { runHubCli } = await import(entry("hub/cli"));
  try {
    const code = await runHubCli(process.argv.slice(3));
    // A refused command ends now: the database driver can leave a socket open after a failure on the
    // client's side (no password to send), which would keep the process alive until the server's
    // authentication timeout (a minute). What it had to say is written (stderr to a pipe or file is
    // synchronous on Linux).
    if (code !== 0) process.exit(code);
  } catch (error) {
    process.stderr.write(
      `oplatomat hub: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 70;
  }
} else {
  await import(entry("kiosk/cli"));
}
