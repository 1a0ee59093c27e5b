/**
 * The hub's logger: the log line the kiosk writes too (contracts/logging.ts: pino JSON with ISO times,
 * request ids, one line per request, redaction of credentials by field name and a last-resort mask of
 * card numbers and tokens in every line), as `service: "oplatomat-hub"`, so an operator reading a
 * journal both daemons write to tells them apart (docs/operations.md, "Logs").
 */
import { createLogger, type Logger, type LoggerOptions } from "../../contracts/logging.ts";

export type { Logger };

/** The `service` of the hub's lines (the kiosk's and the cash desk's are `oplatomat`). */
export const HUB_SERVICE = "oplatomat-hub";

export function createHubLogger(options: Omit<LoggerOptions, "service"> = {}): Logger {
  return createLogger({ ...options, service: HUB_SERVICE });
}
