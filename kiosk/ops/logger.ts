/**
 * The daemon's logger: the log line both daemons share (contracts/logging.ts: pino JSON to stdout
 * with ISO times, redaction by field name and a last-resort mask of card numbers and tokens in every
 * line), written as `service: "oplatomat"`, the kiosk's and the cash desk's name in a shared journal.
 */
import {
  createLogger as createServiceLogger,
  type Logger,
  type LoggerOptions as ServiceLoggerOptions,
} from "../../contracts/logging.ts";

export { type Logger, LogTail, requestIdOptions } from "../../contracts/logging.ts";

/** The `service` of the kiosk's lines (the hub's are `oplatomat-hub`). */
export const KIOSK_SERVICE = "oplatomat";

export function createLogger(options: Omit<ServiceLoggerOptions, "service"> = {}): Logger {
  return createServiceLogger({ ...options, service: KIOSK_SERVICE });
}
