/**
 * The daemon's logger: pino JSON to stdout (journald reads it). Card data, tokens and keys are
 * redacted by path, and any Luhn-valid card-number-like digit run is masked as a last resort.
 */
import pino, { type Logger } from "pino";

export type { Logger };

export interface LoggerOptions {
  level?: string;
  /** A file descriptor or path to write to instead of stdout (tests write under test-results/logs). */
  destination?: string | number;
}

const REDACT_PATHS = [
  "pan",
  "*.pan",
  "track2",
  "*.track2",
  "token",
  "*.token",
  "pin",
  "*.pin",
  "privateKey",
  "*.privateKey",
  "authorization",
  "*.authorization",
  "req.headers.authorization",
  "headers.authorization",
];

export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = pino.destination({ dest: options.destination ?? 1, sync: true });
  return pino(
    {
      level: options.level ?? "info",
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: { service: "oplatomat" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
