/**
 * One HTTP client per external destination (PiK, settlement). Each request has its own deadline;
 * authentication is a bearer token or a mutual-TLS client certificate, and the server's certificate
 * is always verified (never `rejectUnauthorized: false`). Failures that say nothing about whether
 * the server acted — a deadline passed, a connection refused or dropped — are thrown as
 * `HttpTransportError`, so callers can tell them from an HTTP answer and retry.
 */
import http from "node:http";
import { isIP } from "node:net";
import type { IntegrationTarget } from "../config/types.ts";

/**
 * Node's https (and with it TLS) is loaded for the first https destination, not at start: a kiosk
 * whose destinations are http (a local bridge, the simulators) never loads it, which on Node 24 is
 * ~3 MB of the daemon's memory (docs/benchmarks.md, "Memory and start-up, fourth pass").
 */
export const httpsModule = (): typeof import("node:https") => process.getBuiltinModule("node:https");

export interface HttpRequest {
  method: "GET" | "POST";
  /** A path below the destination's base URL, already percent-encoded, starting with `/`. */
  path: string;
  headers?: Record<string, string>;
  /** JSON text; sent with `content-type: application/json`. */
  body?: string;
  /** Overrides the destination's default deadline for this request. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  body: string;
}

export class HttpTransportError extends Error {
  override readonly name = "HttpTransportError";
  constructor(
    message: string,
    readonly kind: "timeout" | "connection",
  ) {
    super(message);
  }
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
  close(): void;
}

/** Answers are small JSON documents; anything larger is cut off rather than buffered without limit. */
const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

export function createHttpClient(target: IntegrationTarget): HttpClient {
  const base = new URL(target.url);
  // The URL parser keeps an IPv6 literal's brackets (`[::1]`); a socket wants the bare address, and
  // TLS names only DNS names as the server name (an address is checked against the certificate as is).
  const host = base.hostname.replace(/^\[(.*)\]$/, "$1");
  const basePath = base.pathname.replace(/\/+$/, "");
  const secure = base.protocol === "https:";
  if (!secure && base.protocol !== "http:") throw new Error(`unsupported URL scheme in ${target.url}`);
  if (target.tls && !secure) throw new Error(`TLS settings need an https URL: ${target.url}`);
  const agent = secure
    ? new (httpsModule().Agent)({
        keepAlive: true,
        maxSockets: 4,
        rejectUnauthorized: true,
        ...(target.tls?.cert ? { cert: target.tls.cert, key: target.tls.key } : {}),
        ...(target.tls?.ca ? { ca: target.tls.ca } : {}),
      })
    : new http.Agent({ keepAlive: true, maxSockets: 4 });
  const defaultTimeout = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  function request(req: HttpRequest): Promise<HttpResponse> {
    const timeoutMs = req.timeoutMs ?? defaultTimeout;
    const headers: Record<string, string> = { accept: "application/json", ...req.headers };
    if (target.token) headers.authorization = `Bearer ${target.token}`;
    let payload: Buffer | undefined;
    if (req.body !== undefined) {
      payload = Buffer.from(req.body, "utf8");
      headers["content-type"] = "application/json";
      headers["content-length"] = String(payload.length);
    }
    const options: http.RequestOptions = {
      method: req.method,
      host,
      port: base.port || (secure ? 443 : 80),
      path: basePath + req.path,
      headers,
      agent,
      ...(secure && isIP(host) === 0 ? { servername: host } : {}),
    };
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const finish = (err: Error | null, res?: HttpResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(res!);
      };
      const r = (secure ? httpsModule() : http).request(options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size <= MAX_BODY_BYTES) chunks.push(c);
        });
        res.on("end", () =>
          finish(null, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", (e) => finish(new HttpTransportError(e.message, "connection")));
        res.on("aborted", () => finish(new HttpTransportError("response aborted", "connection")));
      });
      // The deadline covers the whole exchange, not only idle time, so a slow drip cannot hold a slot.
      const timer = setTimeout(() => {
        finish(new HttpTransportError(`no answer within ${timeoutMs} ms`, "timeout"));
        r.destroy();
      }, timeoutMs);
      r.on("error", (e) => finish(new HttpTransportError(e.message, "connection")));
      if (payload) r.write(payload);
      r.end();
    });
  }

  return {
    request,
    close: () => agent.destroy(),
  };
}
