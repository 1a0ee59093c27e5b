/**
 * receiptline, loaded when the first receipt is laid out instead of at start: with the PNG codec it
 * brings along it cost about 60 ms of the daemon's start (issue 17, docs/benchmarks.md), and no
 * receipt is laid out before the kiosk is ready. CommonJS, so it is required synchronously.
 */
import { createRequire } from "node:module";
import type * as Receiptline from "receiptline";

export type { Receiptline };

let loaded: typeof Receiptline | undefined;

export function receiptline(): typeof Receiptline {
  loaded ??= createRequire(import.meta.url)("receiptline") as typeof Receiptline;
  return loaded;
}
