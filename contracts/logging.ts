/**
 * The log line both daemons write, the kiosk (kiosk/ops/logger.ts) and the hub (hub/ops/logger.ts):
 * pino JSON to stdout, which journald keeps, in one shape an operator reads and filters the same way
 * whichever daemon wrote it — `time` in ISO 8601 (UTC), `service` naming the daemon, `level` as pino's
 * number, `reqId` on every line of a request, and one `request` line per request when it is answered
 * (method, path without its query, status, ms). Shared here because kiosk/ and hub/ never import each
 * other (ARCHITECTURE.md); it is the contract with journald, the operators' filters (docs/operations.md)
 * and the suite's log scan (scripts/scan-logs.ts).
 *
 * Card data, credentials and keys are redacted by field name, and, as a last resort, every finished
 * line is scanned: a Luhn-valid card-number-like digit run or a token that slipped through under an
 * unexpected key or inside a message is masked before the line leaves the process. A small ring buffer
 * can keep the last lines for the kiosk technician's "log tail" screen.
 */
import { randomFillSync } from "node:crypto";
import { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import pino, { type DestinationStream, type Logger } from "pino";
import { maskJsonLine } from "../kiosk/domain/sensitive-text.ts";

export type { Logger };

export interface LoggerOptions {
  /** Which daemon writes the line: `oplatomat` (kiosk, cash desk) or `oplatomat-hub`. */
  service: string;
  level?: string;
  /**
   * A file descriptor or path to write to instead of stdout (1): tests write under test-results/logs,
   * `oplatomat hub demo` to stderr (2), its standard output being the address it announces.
   */
  destination?: string | number;
  /** Keeps the most recent lines (already masked) for the service screen's log tail. */
  tail?: LogTail;
}

/**
 * Keys whose values are never logged, wherever they appear (top level and two levels down, so
 * `req.headers.authorization` too). Card data: PAN, tracks, and the ZVT bitmaps carrying them (BMP 22
 * PAN, 23 track 2, 24 track 3). Credentials: PINs and passwords and their hashes, tokens, the headers
 * carrying them (authorization, cookie and set-cookie, the hub page's CSRF token), keys.
 */
const SENSITIVE_KEYS = [
  "pan",
  "PAN",
  "cardNumber",
  "card_number",
  "track1",
  "track2",
  "track3",
  "bmp22",
  "bmp23",
  "bmp24",
  "BMP22",
  "BMP23",
  "BMP24",
  "cvv",
  "cvc",
  "expiry",
  "pin",
  "PIN",
  "pinHash",
  "password",
  "passwordHash",
  "token",
  "accessToken",
  "adminToken",
  "csrfToken",
  "authorization",
  "Authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "x-csrf-token",
  "secret",
  "privateKey",
  "signingKey",
  "key",
];

function redactPaths(keys: readonly string[]): string[] {
  const paths: string[] = [];
  for (const key of keys) {
    const quoted = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : `["${key}"]`;
    const join = (prefix: string): string =>
      quoted.startsWith("[") ? prefix + quoted : `${prefix}.${quoted}`;
    paths.push(quoted.startsWith("[") ? quoted : key, join("*"), join("*.*"));
  }
  return paths;
}

export const REDACT_PATHS: readonly string[] = redactPaths(SENSITIVE_KEYS);

/** The last `capacity` log lines, oldest first. */
export class LogTail {
  private readonly lines: string[] = [];

  constructor(private readonly capacity = 500) {}

  push(line: string): void {
    this.lines.push(line.endsWith("\n") ? line.slice(0, -1) : line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
  }

  /** The newest `n` lines (at most the capacity), oldest first. */
  last(n: number): string[] {
    const count = Math.max(0, Math.min(Math.floor(n), this.lines.length));
    return count === 0 ? [] : this.lines.slice(-count);
  }
}

/** Wraps a destination so every line is masked (and remembered) before it is written. */
function maskingStream(target: DestinationStream, tail: LogTail | undefined): DestinationStream {
  return {
    write(line: string): void {
      const masked = maskJsonLine(line);
      tail?.push(masked);
      target.write(masked);
    },
  };
}

export function createLogger(options: LoggerOptions): Logger {
  const destination = pino.destination({ dest: options.destination ?? 1, sync: true, mkdir: true });
  return pino(
    {
      level: options.level ?? "info",
      redact: { paths: [...REDACT_PATHS], censor: "[redacted]" },
      // Replaces pino's pid and hostname: journald records both, the service is what tells lines apart.
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    maskingStream(destination, options.tail),
  );
}

/** Random bytes for 128 request ids, drawn from the system in one call and used 8 at a time. */
const REQUEST_ID_BYTES = 8;
const requestIdPool = Buffer.alloc(REQUEST_ID_BYTES * 128);
let requestIdNext = requestIdPool.length;

/**
 * Fastify options for request ids: an incoming `X-Request-Id` (a proxy's) is kept when it looks
 * sane, otherwise a random id is used; pino logs it as `reqId` on every request line. Generated
 * ids are 16 hex characters: a UUID's dash-separated digit groups can look like a card number to
 * the log masking and come out mangled. The bytes come from a pool refilled 128 ids at a time:
 * `randomBytes(8)` for each request asked the system for randomness every time (8 µs a call on the
 * AMD machine, ~20 requests a visit on the bench; docs/benchmarks.md, "The AMD machine's start and
 * payment"). Ids only tell requests apart in the logs; nothing relies on their being unguessable.
 */
export function newRequestId(): string {
  if (requestIdNext === requestIdPool.length) {
    randomFillSync(requestIdPool);
    requestIdNext = 0;
  }
  const id = requestIdPool.toString("hex", requestIdNext, requestIdNext + REQUEST_ID_BYTES);
  requestIdNext += REQUEST_ID_BYTES;
  return id;
}

/**
 * An incoming request id is kept when it is 1–200 letters, digits, `.`, `_`, `-`: 200 is the longest
 * `Idempotency-Key` the hub takes (hub/ingest/routes.ts), and the kiosk's outbox sends each message's
 * key as its `X-Request-Id`, so every key of a kiosk's message is also the hub's `reqId` of it. The
 * longest the kiosk makes is about 80 (`settlement.transaction_reversal.<payment id>` and
 * `settlement.day.<office>_<kiosk>_<date>_<closing>` with SPEC §3's 16-character office and kiosk
 * ids); the 64 before replaced those of a kiosk id over 13 characters with a random id.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,200}$/;

export const requestIdOptions = {
  requestIdHeader: false as const,
  requestIdLogLabel: "reqId",
  genReqId(req: { headers: Record<string, string | string[] | undefined> }): string {
    const given = req.headers["x-request-id"];
    return typeof given === "string" && SANE_REQUEST_ID.test(given) ? given : newRequestId();
  },
};

/**
 * The fastify server options that make an application log in this style through `logger`: its
 * request ids, and none of fastify's own "incoming request"/"request completed" pairs (their `url`
 * carries the query, where a careless client puts a password or a token); `logEachRequest` writes
 * the one line instead.
 */
export function fastifyLogging(logger: Logger) {
  return {
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdOptions.genReqId,
  };
}

/**
 * One `request` line per answered request, with the path but not its query. `quiet` names requests
 * not worth a line (the kiosk's event stream and the screen's heartbeat, every few seconds).
 */
export function logEachRequest(app: FastifyInstance, quiet: (url: string) => boolean = () => false): void {
  app.addHook("onResponse", (request, reply, done) => {
    if (!quiet(request.url)) {
      request.log.info(
        {
          method: request.method,
          url: request.url.split("?")[0],
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        "request",
      );
    }
    done();
  });
}
