import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SystemdNotifier } from "../../../kiosk/ops/sd-notify.ts";

/**
 * Stands in for PID 1's notify socket (the one mock here: no systemd manager runs in the test).
 * Perl is Essential in Debian and, unlike socat, closes the descriptor systemd-notify passes for
 * its barrier, as systemd does — so the real `systemd-notify` runs unchanged.
 */
const RECEIVER = `
use strict; use Socket; $| = 1;
my $path = shift;
socket(my $s, PF_UNIX, SOCK_DGRAM, 0) or die "socket: $!";
bind($s, pack_sockaddr_un($path)) or die "bind: $!";
print "LISTENING\\n";
while (1) { my $b; defined(recv($s, $b, 65536, 0)) or die; $b =~ s/\\n/|/g; print "$b\\n"; }
`;

let dir = "";
let receiver: ChildProcess | undefined;
let notifier: SystemdNotifier | undefined;
let received: string[] = [];

afterEach(() => {
  notifier?.stop();
  receiver?.kill();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  notifier = undefined;
  receiver = undefined;
  dir = "";
  received = [];
});

async function notifySocket(): Promise<string> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-notify-"));
  const socket = path.join(dir, "notify.sock");
  const child = spawn("perl", ["-e", RECEIVER, socket], { stdio: ["ignore", "pipe", "inherit"] });
  receiver = child;
  await new Promise<void>((resolve, reject) => {
    let buffer = "";
    child.once("error", reject);
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        if (line === "LISTENING") resolve();
        else received.push(line);
      }
    });
  });
  return socket;
}

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
}

const messages = () => received.filter((m) => !m.startsWith("BARRIER="));

describe("systemd notifications", () => {
  it("is a no-op without NOTIFY_SOCKET", async () => {
    notifier = new SystemdNotifier({ healthy: () => true, env: {}, loopStallMs: () => 0 });
    expect(notifier.enabled).toBe(false);
    await notifier.ready();
    expect(await notifier.tick()).toEqual({ pinged: false, reason: "disabled" });
  });

  it("sends READY only once healthy, then pings the watchdog only while healthy and the loop runs", async () => {
    const socket = await notifySocket();
    let healthy = false;
    let stall = 0;
    notifier = new SystemdNotifier({
      healthy: () => healthy,
      env: { ...process.env, NOTIFY_SOCKET: socket, WATCHDOG_USEC: "600000000" },
      loopStallMs: () => stall,
    });
    expect(notifier.watchdogMs).toBe(600_000);
    const ready = notifier.ready("devices open", 5);
    await new Promise((r) => setTimeout(r, 50));
    expect(messages()).toEqual([]);
    healthy = true;
    await ready;
    await until(() => messages().length >= 1);
    expect(messages()).toEqual(["READY=1|STATUS=devices open"]);

    expect(await notifier.tick()).toEqual({ pinged: true });
    healthy = false;
    expect(await notifier.tick()).toEqual({ pinged: false, reason: "unhealthy" });
    healthy = true;
    stall = 8_000;
    expect(await notifier.tick()).toEqual({ pinged: false, reason: "event_loop_stalled" });
    stall = 3;
    expect(await notifier.tick()).toEqual({ pinged: true });
    await notifier.status("printer\nout of paper");
    await notifier.stopping();
    await until(() => messages().length >= 5);
    expect(messages()).toEqual([
      "READY=1|STATUS=devices open",
      "WATCHDOG=1",
      "WATCHDOG=1",
      "STATUS=printer out of paper",
      "STOPPING=1",
    ]);
  });

  it("ignores a watchdog meant for another process", () => {
    notifier = new SystemdNotifier({
      healthy: () => true,
      env: {
        NOTIFY_SOCKET: "/nonexistent",
        WATCHDOG_USEC: "20000000",
        WATCHDOG_PID: String(process.pid + 1),
      },
      loopStallMs: () => 0,
    });
    expect(notifier.watchdogMs).toBeUndefined();
  });

  it("reports a failed notification instead of throwing", async () => {
    const errors: Error[] = [];
    notifier = new SystemdNotifier({
      healthy: () => true,
      env: { ...process.env, NOTIFY_SOCKET: path.join(os.tmpdir(), "opl-no-such-socket") },
      loopStallMs: () => 0,
      onError: (e) => errors.push(e),
    });
    expect(await notifier.tick()).toEqual({ pinged: false });
    expect(errors).toHaveLength(1);
  });
});
