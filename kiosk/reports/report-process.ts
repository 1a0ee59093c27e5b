/**
 * A process that runs one long report and ends: `oplatomat report …` and `oplatomat export …` call
 * `prepareReportProcess` on their connection before the report reads it (kiosk/commands/reports.ts).
 * Issue 17 (`report_1m_payments_peak_rss_mb`, docs/benchmarks.md "The report's memory, fifth pass"):
 * both settings below lower the process's peak memory, and neither changed the report's CPU time by
 * more than the measurements' noise.
 *
 * Only for such a process: the daemon's admin routes and the service console run the same reports on
 * the daemon's own connection, and the daemon keeps its compiler tiers (the unit's flags) and its
 * page cache for the payments.
 */
import v8 from "node:v8";
import { type Db, setPageCacheKib } from "../store/db.ts";

/** The Node versions whose V8 runs Maglev by default (Node 22: V8 12.4). */
const MAGLEV_SINCE = 22;

/**
 * The connection's page cache while a report runs, in KiB (SQLite's default, which the kiosk's
 * connections keep, is 2 000). A report reads its day once, in index order: the cache holds the
 * b-trees' upper pages, and the leaves come from the operating system's cache of the file either way.
 */
export const REPORT_CACHE_KIB = 512;

let tiered = false;

/**
 * Makes Maglev this process's top compiler tier, with no TurboFan, where Node has a production
 * Maglev (22 and later); returns whether it did. Idempotent.
 *
 * A report's own JavaScript is small: per page of a thousand payments it hands SQLite's bytes to the
 * stream and checks them (`isPlainCsvBytes`); the work is SQLite's. TurboFan's compiler is a large
 * part of the `node` binary, and the pages of it a compilation touches stay resident: on Node 24 the
 * CSV export's one TurboFan compilation (`isPlainCsvBytes`) touched about 5 MB of the binary. Node 20
 * is left alone: its Maglev is not production-ready and TurboFan is its only optimizing tier.
 *
 * The flags are set at run time (as `--expose-gc` in spent-buffers.ts); V8 reads them at each
 * tiering decision, so what is compiled from here on follows them.
 */
export function tierForReport(nodeVersion: string = process.versions.node): boolean {
  if (tiered) return true;
  if (Number(nodeVersion.split(".")[0]) < MAGLEV_SINCE) return false;
  // --maglev too: a process started with --no-maglev (as the daemon's unit does) would otherwise be
  // left with the baseline compiler alone.
  v8.setFlagsFromString("--maglev");
  v8.setFlagsFromString("--no-turbofan");
  tiered = true;
  return true;
}

/** Gives the report's connection its page cache (`REPORT_CACHE_KIB`). */
export function useReportCache(db: Db): void {
  setPageCacheKib(db, REPORT_CACHE_KIB);
}

/** Sets up this process and its connection `db` for one long report (see the module's comment). */
export function prepareReportProcess(db: Db): void {
  tierForReport();
  useReportCache(db);
}
