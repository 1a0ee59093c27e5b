/**
 * systemd notifications (READY, WATCHDOG, STATUS, STOPPING) for `Type=notify` with `WatchdogSec=`.
 *
 * Node has no AF_UNIX datagram sockets, so messages go through `systemd-notify`, which every
 * systemd machine has. A helper process is only accepted with `NotifyAccess=all` (set in
 * systemd/oplatomat.service), and since systemd 246 `systemd-notify` waits on a barrier until the
 * manager has processed its message, so the message is attributed to our unit even though the
 * helper exits at once. Without `NOTIFY_SOCKET` everything here is a no-op.
 *
 * The watchdog is not a blind timer: a ping is sent only when the supplied health predicate holds
 * (the device supervisor and the payment flow are ticking) and the event loop has not stalled since
 * the previous ping. If either fails, systemd stops hearing from us and restarts the daemon.
 */
import { execFile } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";

export interface NotifyTransport {
  /** Sends `KEY=VALUE` assignments in one message. */
  send(assignments: string[]): Promise<void>;
}

/** Runs `systemd-notify KEY=VALUE…` with the given environment (NOTIFY_SOCKET). */
export function systemdNotifyTransport(
  env: NodeJS.ProcessEnv = process.env,
  command = "systemd-notify",
  timeoutMs = 10_000,
): NotifyTransport {
  return {
    send(assignments) {
      return new Promise((resolve, reject) => {
        execFile(command, assignments, { env, timeout: timeoutMs }, (error, _stdout, stderr) => {
          if (error) reject(new Error(`${command} failed: ${stderr.trim() || error.message}`));
          else resolve();
        });
      });
    },
  };
}

export interface SystemdNotifierOptions {
  /** True while the device supervisor and the payment flow are alive (ticked recently). */
  healthy: () => boolean;
  env?: NodeJS.ProcessEnv;
  transport?: NotifyTransport;
  /** A stall longer than this since the previous ping withholds the next one (default 5 s). */
  maxLoopStallMs?: number;
  /** Longest event-loop delay since the last call, in ms (injected by tests). */
  loopStallMs?: () => number;
  /** Where a failed notification is reported (never thrown: notifications must not crash the daemon). */
  onError?: (error: Error) => void;
}

export interface WatchdogTickResult {
  pinged: boolean;
  reason?: "unhealthy" | "event_loop_stalled" | "disabled";
}

export class SystemdNotifier {
  /** False when not started by systemd with a notify socket. */
  readonly enabled: boolean;
  /** The watchdog period systemd asked for, in ms; undefined when no watchdog is configured. */
  readonly watchdogMs: number | undefined;
  private readonly transport: NotifyTransport;
  private readonly loopStallMs: () => number;
  private readonly stopLoopMonitor: () => void;
  private timer: NodeJS.Timeout | undefined;
  private isReady = false;

  constructor(private readonly options: SystemdNotifierOptions) {
    const env = options.env ?? process.env;
    this.enabled = Boolean(env["NOTIFY_SOCKET"]);
    this.transport = options.transport ?? systemdNotifyTransport(env);
    const usec = Number(env["WATCHDOG_USEC"]);
    const forUs = env["WATCHDOG_PID"] === undefined || Number(env["WATCHDOG_PID"]) === process.pid;
    this.watchdogMs = this.enabled && forUs && Number.isFinite(usec) && usec > 0 ? usec / 1000 : undefined;
    if (options.loopStallMs) {
      this.loopStallMs = options.loopStallMs;
      this.stopLoopMonitor = () => {};
    } else {
      const histogram = monitorEventLoopDelay({ resolution: 20 });
      histogram.enable();
      this.loopStallMs = () => {
        const max = histogram.max / 1e6;
        histogram.reset();
        return max;
      };
      this.stopLoopMonitor = () => histogram.disable();
    }
  }

  private async send(assignments: string[]): Promise<boolean> {
    if (!this.enabled) return false;
    try {
      await this.transport.send(assignments);
      return true;
    } catch (error) {
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
  }

  /**
   * Tells systemd start-up is complete, once healthy: checks every `pollMs` until the predicate
   * holds, then sends READY=1 and starts the watchdog. Resolves when READY was sent (or at once
   * when disabled).
   */
  async ready(status = "ready", pollMs = 500): Promise<void> {
    this.loopStallMs();
    while (!this.options.healthy()) {
      if (!this.enabled) return;
      await new Promise((resolve) => setTimeout(resolve, pollMs).unref());
    }
    if (this.isReady) return;
    this.isReady = true;
    await this.send(["READY=1", `STATUS=${status}`]);
    this.startWatchdog();
  }

  async status(text: string): Promise<void> {
    await this.send([`STATUS=${text.replace(/[\r\n]+/g, " ").slice(0, 200)}`]);
  }

  async stopping(): Promise<void> {
    this.stop();
    await this.send(["STOPPING=1"]);
  }

  /** One watchdog decision; the timer calls this every half period. Exposed for tests. */
  async tick(): Promise<WatchdogTickResult> {
    if (!this.enabled) return { pinged: false, reason: "disabled" };
    const stall = this.loopStallMs();
    if (stall > (this.options.maxLoopStallMs ?? 5_000))
      return { pinged: false, reason: "event_loop_stalled" };
    if (!this.options.healthy()) return { pinged: false, reason: "unhealthy" };
    return { pinged: await this.send(["WATCHDOG=1"]) };
  }

  private startWatchdog(): void {
    if (this.watchdogMs === undefined || this.timer) return;
    this.timer = setInterval(() => void this.tick(), Math.max(100, this.watchdogMs / 2));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopLoopMonitor();
  }
}
