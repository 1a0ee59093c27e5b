#!/usr/bin/env node
/**
 * The kiosk screen's watchdog. Runs the browser command given after `--` and watches the visitor
 * page's heartbeat (the page posts one every 5 s, the daemon tells its age at
 * GET /api/screen/heartbeat). When the daemon answers that the page has been silent for longer than
 * --stale seconds (after --grace seconds from the start, for the page to load), the renderer has
 * crashed or hangs: the browser is stopped and the watchdog exits 1, and systemd (Restart=always in
 * systemd/oplatomat-kiosk.service) starts it again on a fresh page. A daemon that does not answer is
 * not the page's fault: the page shows "out of order" and reconnects by itself, so nothing is done.
 *
 *   node bin/screen-watchdog.mjs [--url URL] [--stale S] [--grace S] [--every S] -- COMMAND ARGS...
 */
import { spawn } from "node:child_process";

function options(argv) {
  const split = argv.indexOf("--");
  if (split < 0 || split === argv.length - 1) {
    process.stderr.write(
      "usage: screen-watchdog.mjs [--url URL] [--stale S] [--grace S] [--every S] -- COMMAND ARGS...\n",
    );
    process.exit(2);
  }
  const flags = argv.slice(0, split);
  const get = (name, fallback) => {
    const at = flags.indexOf(`--${name}`);
    return at >= 0 && flags[at + 1] !== undefined ? flags[at + 1] : fallback;
  };
  const seconds = (name, fallback) => {
    const value = Number(get(name, String(fallback)));
    if (!Number.isFinite(value) || value <= 0) {
      process.stderr.write(`--${name} must be a positive number of seconds\n`);
      process.exit(2);
    }
    return value;
  };
  return {
    url: new URL("api/screen/heartbeat", get("url", process.env.OPLATOMAT_URL ?? "http://127.0.0.1:8080/")),
    stale: seconds("stale", 30),
    grace: seconds("grace", 90),
    every: seconds("every", 5),
    command: argv.slice(split + 1),
  };
}

/**
 * The page's silence in seconds; null when the daemon has had no heartbeat since it started (it may
 * have just restarted); undefined when the daemon cannot say (not up, or no answer).
 */
async function silence(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    if (!response.ok) return undefined;
    const body = await response.json();
    const age = body?.lastBeatAgeSeconds;
    return typeof age === "number" || age === null ? age : undefined;
  } catch {
    return undefined;
  }
}

const opts = options(process.argv.slice(2));
const started = Date.now();
const browser = spawn(opts.command[0], opts.command.slice(1), { stdio: "inherit" });
let stopping = false;
/** Since when the daemon has known of no heartbeat at all. */
let unheardSince = null;

function stop(reason) {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`screen-watchdog: ${reason}; restarting the browser\n`);
  browser.kill("SIGTERM");
  setTimeout(() => browser.kill("SIGKILL"), 5_000).unref();
}

browser.on("exit", (code, signal) => {
  clearInterval(timer);
  process.exit(stopping ? 1 : (code ?? (signal ? 1 : 0)));
});
browser.on("error", (error) => {
  process.stderr.write(`screen-watchdog: cannot start ${opts.command[0]}: ${error.message}\n`);
  process.exit(1);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    stopping = true;
    browser.kill(signal);
  });
}

const timer = setInterval(async () => {
  if (stopping || Date.now() - started < opts.grace * 1000) return;
  const age = await silence(opts.url);
  if (age === null) {
    // A daemon that restarted knows of no heartbeat until the page's next one (within 5 s).
    unheardSince ??= Date.now();
    if (Date.now() - unheardSince > opts.stale * 1000) stop("the page has not said it is alive");
    return;
  }
  unheardSince = null;
  if (age !== undefined && age > opts.stale) stop(`the page has been silent for ${Math.round(age)} s`);
}, opts.every * 1000);
