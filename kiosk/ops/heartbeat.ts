/**
 * Optional heartbeat to a central fleet service (`integrations.heartbeat`): every interval, a POST
 * of the kiosk's identity and device inventory (states, last errors, counters) to the configured
 * URL, with its bearer token or client certificate. Best effort: a failure is logged and the next
 * beat tried as usual; payments never wait for it. Besides the devices it says what waits in the
 * outbox and when the last payment was taken (a time, no payment data), for the hub's fleet table.
 * Each beat carries its own Idempotency-Key, which the hub's ingest requires of every message.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { HeartbeatPayload } from "../../contracts/heartbeat.ts";
import { heartbeatUrlWarning } from "../config/warnings.ts";
import { httpsModule } from "../integrations/http-client.ts";

/** The body is the contract the hub validates (contracts/heartbeat.ts). */
export type { HeartbeatBacklog, HeartbeatDevice, HeartbeatPayload } from "../../contracts/heartbeat.ts";

export interface HeartbeatTarget {
  url: string;
  token?: string;
  tls?: { cert?: string; key?: string; ca?: string };
  timeoutMs?: number;
}

export interface HeartbeatLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** What a refusal's answer keeps for the log: enough for a problem's title, code and errors. */
const ANSWER_LOGGED = 1000;

/** A beat's own id: its Idempotency-Key and X-Request-Id. */
function newBeatId(): string {
  return `heartbeat-${randomUUID()}`;
}

/** One POST; resolves with the HTTP status, rejects on network errors and timeouts. */
export async function sendHeartbeat(target: HeartbeatTarget, payload: HeartbeatPayload): Promise<number> {
  return (await postHeartbeat(target, payload)).status;
}

/** One POST; resolves with the HTTP status and, for a status other than 2xx, the start of the answer. */
function postHeartbeat(
  target: HeartbeatTarget,
  payload: HeartbeatPayload,
  reqId: string = newBeatId(),
): Promise<{ status: number; answer: string }> {
  const url = new URL(target.url);
  const body = Buffer.from(JSON.stringify(payload));
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "content-length": String(body.length),
    // The beat's key is its X-Request-Id too, as an outbox message's is: the hub logs it as `reqId`,
    // and so does the kiosk's line of the beat, so a refused beat's two lines are found together.
    "idempotency-key": reqId,
    "x-request-id": reqId,
  };
  if (target.token) headers["authorization"] = `Bearer ${target.token}`;
  const client = url.protocol === "https:" ? httpsModule() : http;
  const tls =
    url.protocol === "https:" && target.tls
      ? { cert: target.tls.cert, key: target.tls.key, ca: target.tls.ca }
      : {};
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      { method: "POST", headers, timeout: target.timeoutMs ?? 10_000, ...tls },
      (response) => {
        const status = response.statusCode ?? 0;
        let answer = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          if (status >= 300 && answer.length < ANSWER_LOGGED) answer += chunk;
        });
        response.on("end", () => resolve({ status, answer: answer.slice(0, ANSWER_LOGGED) }));
      },
    );
    request.on("timeout", () => request.destroy(new Error("heartbeat timed out")));
    request.on("error", reject);
    request.end(body);
  });
}

export interface HeartbeatOptions {
  target: HeartbeatTarget;
  intervalMs: number;
  /** Builds the current payload (called at every beat). */
  payload: () => HeartbeatPayload;
  logger?: HeartbeatLogger;
  /** Each beat's outcome (2xx or not), for the heartbeat's metrics. */
  onOutcome?: (outcome: { ok: boolean; at: Date }) => void;
}

export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  lastStatus: number | undefined;

  constructor(private readonly options: HeartbeatOptions) {}

  start(): void {
    if (this.timer) return;
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.options.intervalMs);
    this.timer.unref();
  }

  /** One beat; never throws. Returns whether the receiver answered 2xx. */
  async beat(): Promise<boolean> {
    const ok = await this.send();
    this.options.onOutcome?.({ ok, at: new Date() });
    return ok;
  }

  private async send(): Promise<boolean> {
    const reqId = newBeatId();
    try {
      const { status, answer } = await postHeartbeat(this.options.target, this.options.payload(), reqId);
      this.lastStatus = status;
      const ok = status >= 200 && status < 300;
      if (ok) this.options.logger?.debug({ reqId, status }, "heartbeat sent");
      else
        this.options.logger?.warn(
          { reqId, ...refusal(this.options.target.url, status, answer) },
          "heartbeat refused",
        );
      return ok;
    } catch (error) {
      this.lastStatus = undefined;
      this.options.logger?.warn({ reqId, err: error }, "heartbeat failed");
      return false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * What the technician needs to read in a refused beat's log line: where it went (without any user
 * part of the URL), the receiver's answer (the hub's problem names the field or the device), and for
 * a 404 the usual cause, a base address where the heartbeat's full address belongs.
 */
function refusal(target: string, status: number, answer: string): object {
  const url = new URL(target);
  const out: Record<string, unknown> = { status, url: `${url.origin}${url.pathname}` };
  if (answer !== "") out["answer"] = answer;
  if (status === 404)
    out["hint"] =
      "integrations.heartbeat.url is the heartbeat's full address (the hub's is https://HOST:PORT/fleet/heartbeat), not a base address as for settlement";
  return out;
}

/** Starts the configured heartbeat (`integrations.heartbeat`, every 60 s unless set), or returns undefined. */
export function startHeartbeat(
  config: { integrations: { heartbeat?: HeartbeatTarget & { intervalSeconds?: number } } },
  payload: () => HeartbeatPayload,
  logger: HeartbeatLogger & { child(bindings: object): HeartbeatLogger },
  onOutcome?: HeartbeatOptions["onOutcome"],
): Heartbeat | undefined {
  const target = config.integrations.heartbeat;
  if (!target) return undefined;
  const log = logger.child({ component: "heartbeat" });
  // At start, once, as `config check` warns: the refusals that follow say 404 only.
  const hint = heartbeatUrlWarning(target.url);
  if (hint)
    log.warn(
      { url: new URL(target.url).origin, hint: `integrations.heartbeat.url ${hint}` },
      "heartbeat url",
    );
  const heartbeat = new Heartbeat({
    target,
    intervalMs: (target.intervalSeconds ?? 60) * 1000,
    payload,
    logger: log,
    ...(onOutcome ? { onOutcome } : {}),
  });
  heartbeat.start();
  return heartbeat;
}
