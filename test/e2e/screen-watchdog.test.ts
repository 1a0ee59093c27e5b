/**
 * The screen watchdog (bin/screen-watchdog.mjs, run by systemd/oplatomat-kiosk.service around cage and
 * Chromium): the visitor page in Chromium posts its heartbeat to the daemon; while it does, the
 * watchdog leaves the browser alone; when the page's renderer hangs, the heartbeat stops and the
 * watchdog stops the browser and exits 1, for systemd to start a fresh one. The browser the watchdog
 * runs here is a stand-in process; the page whose silence it notices is real.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DemoKiosk,
  getJson,
  type KioskBrowser,
  launchKioskBrowser,
  openKiosk,
  ROOT,
  startDemoKiosk,
} from "./helpers.ts";

interface Beat {
  lastBeatAgeSeconds: number | null;
}

describe("the screen watchdog", () => {
  let demo: DemoKiosk;
  let browser: KioskBrowser;
  let watchdog: ChildProcess | null = null;

  beforeAll(async () => {
    demo = await startDemoKiosk({ name: "watchdog" });
    browser = await launchKioskBrowser();
  });

  afterAll(async () => {
    watchdog?.kill("SIGKILL");
    await browser?.context.close().catch(() => undefined);
    await demo?.close();
  });

  it("leaves a beating page alone and restarts the browser once its renderer hangs", {
    timeout: 90_000,
  }, async () => {
    const page = await openKiosk(browser, demo.url);
    await expect
      .poll(async () => (await getJson<Beat>(demo.url, "/api/screen/heartbeat")).lastBeatAgeSeconds)
      .not.toBeNull();

    // A stand-in browser that would run for ever; its process id tells whether it was stopped.
    watchdog = spawn(
      process.execPath,
      [
        path.join(ROOT, "bin/screen-watchdog.mjs"),
        ...["--url", demo.url, "--grace", "0.1", "--stale", "12", "--every", "0.5"],
        "--",
        process.execPath,
        "-e",
        "setInterval(() => {}, 1000)",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    watchdog.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => watchdog?.on("exit", (code) => resolve(code)));
    let done = false;
    void exited.then(() => {
      done = true;
    });

    // The page beats every 5 s: over two of its beats (and 20-odd polls), the watchdog does nothing.
    const firstBeat = (await getJson<Beat>(demo.url, "/api/screen/heartbeat")).lastBeatAgeSeconds ?? 0;
    await expect
      .poll(async () => (await getJson<Beat>(demo.url, "/api/screen/heartbeat")).lastBeatAgeSeconds ?? 99, {
        timeout: 15_000,
      })
      .toBeLessThan(firstBeat);
    expect(done).toBe(false);

    // The renderer hangs: its event loop never comes back, so neither do the heartbeats.
    void page
      .evaluate(() => {
        for (;;) {
          // busy for ever, as a renderer stuck in a script
        }
      })
      .catch(() => undefined);
    expect(await exited).toBe(1);
    expect(stderr).toMatch(/silent for \d+ s; restarting the browser/);
  });
});
