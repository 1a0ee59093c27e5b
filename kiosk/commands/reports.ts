/**
 * `oplatomat report settlement` and `oplatomat export payments`: option parsing, configuration and
 * database here; the reports themselves are kiosk/reports/commands.ts.
 */
import { parsedYamlCacheReadIn } from "../config/parsed-yaml-cache.ts";
import { OutputFileError, writeCompleteFile } from "../reports/complete-file.ts";
import type { KioskConfig } from "../config/types.ts";
import { prepareReportProcess } from "../reports/report-process.ts";
import type { Db } from "../store/db.ts";
import {
  CliExit,
  type CliIo,
  CONFIG_OPTIONS,
  dayOption,
  EXIT_OK,
  EXIT_USAGE,
  enumOption,
  exitCodeOf,
  fileOption,
  importCommand,
  parseCommandArgs,
  rejectPositionals,
  requireConfig,
  usageError,
} from "./cli-kit.ts";
import { openExistingDatabase } from "./database.ts";

/** What `runSettlementReportCommand` receives. */
export interface SettlementReportCommandOptions {
  db: Db;
  config: KioskConfig;
  /** `YYYY-MM-DD`, the business day in the kiosk's time zone. */
  date: string;
  format: "json" | "csv" | "pdf";
  /** A file to write; absent means standard output. */
  out?: string;
  /** The command's standard error: a day with payments awaiting staff's verdict is warned of there. */
  warn: (text: string) => void;
}

/** What `runExportPaymentsCommand` receives. */
export interface ExportPaymentsCommandOptions {
  db: Db;
  config: KioskConfig;
  from: string;
  to: string;
  format: "csv" | "json";
  dialect?: "excel-pl";
  stdout: NodeJS.WritableStream;
}

export const REPORT_USAGE = `Usage: oplatomat report settlement --date YYYY-MM-DD [--format json|csv|pdf] [--out FILE]
                                 [--config FILE] [--data DIR]

The day's settlement report: totals per recipient and component, every payment, reversals, and the
reconciliation with the terminal's end-of-day totals.

Options:
  --date YYYY-MM-DD   the business day (the kiosk's time zone)
  --format F          json (default), csv or pdf
  --out FILE          write to FILE instead of standard output
  -c, --config FILE   kiosk configuration (OPLATOMAT_CONFIG if absent)
  --data DIR          directory of the database
  -h, --help          this help`;

export const PAYOUTS_USAGE = `Usage: oplatomat report payouts --date YYYY-MM-DD [--encoding utf8|cp1250] [--out FILE]
                              [--config FILE] [--data DIR]

The day's Elixir-O transfer file for the bank: one type-110 transfer per recipient account for its
net amount (approved payments of the day; reversed ones are out), ordered from the handling fee's
recipient account (the account the acquirer pays out to; no transfer to that account itself).
Lines end with CRLF. An empty file means nothing is to be paid out for that day.

Options:
  --date YYYY-MM-DD   the business day (the kiosk's time zone)
  --encoding E        utf8 (default) or cp1250, as the bank asks
  --out FILE          write to FILE instead of standard output
  -c, --config FILE   kiosk configuration (OPLATOMAT_CONFIG if absent)
  --data DIR          directory of the database
  -h, --help          this help`;

export const EXPORT_USAGE = `Usage: oplatomat export payments --from YYYY-MM-DD --to YYYY-MM-DD [--format csv|json]
                                [--dialect excel-pl] [--config FILE] [--data DIR]

The accounting export (SPEC §7) to standard output: one row per payment line, days inclusive.

Options:
  --from YYYY-MM-DD   first day
  --to YYYY-MM-DD     last day, inclusive
  --format F          csv (default) or json
  --dialect excel-pl  CSV with ';', decimal comma and a byte-order mark
  -c, --config FILE   kiosk configuration (OPLATOMAT_CONFIG if absent)
  --data DIR          directory of the database
  -h, --help          this help`;

/**
 * The configuration's parse the daemon keeps in its data directory (`--data`), read when the text is
 * unchanged, so the command loads no YAML library (kiosk/config/parsed-yaml-cache.ts).
 */
function daemonsParse(dataDir: string | undefined) {
  return dataDir ? parsedYamlCacheReadIn(dataDir) : undefined;
}

/** The reports' expected refusals (bad input, unknown day) carry a sentence for the user, not a stack. */
function asCliExit(error: unknown): unknown {
  if (error instanceof Error && error.name === "ReportingError")
    return new CliExit(EXIT_USAGE, error.message);
  // An --out FILE that cannot be written: a usage error like a --data without a database.
  if (error instanceof OutputFileError) return new CliExit(EXIT_USAGE, error.message);
  return error;
}

export async function runReportCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") {
    io.out(`${REPORT_USAGE}\n`);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (sub === "payouts") return runPayoutsCommand(rest, io);
  if (sub !== "settlement") throw usageError(`unknown report ${sub}`, REPORT_USAGE);
  const { values, positionals } = parseCommandArgs(
    rest,
    { ...CONFIG_OPTIONS, date: { type: "string" }, format: { type: "string" }, out: { type: "string" } },
    REPORT_USAGE,
  );
  if (values.help) {
    io.out(`${REPORT_USAGE}\n`);
    return EXIT_OK;
  }
  rejectPositionals(positionals, REPORT_USAGE);
  const date = dayOption("date", values.date, REPORT_USAGE);
  const format = enumOption("format", values.format, ["json", "csv", "pdf"] as const, REPORT_USAGE) ?? "json";
  fileOption("out", values.out, REPORT_USAGE);
  if (format === "pdf" && !values.out && process.stdout.isTTY) {
    throw usageError("--format pdf writes binary: give --out FILE or redirect standard output", REPORT_USAGE);
  }
  const { config } = requireConfig(values.config, io, REPORT_USAGE, daemonsParse(values.data));
  const run = await importCommand(
    () => import("../reports/commands.ts"),
    "runSettlementReportCommand",
    "report settlement",
  );
  const db = openExistingDatabase(config, values.data);
  // This process runs one report and ends: its compiler tiers and page cache for that (issue 17).
  prepareReportProcess(db);
  try {
    const options: SettlementReportCommandOptions = {
      db,
      config,
      date,
      format,
      warn: (text) => io.err(text),
    };
    if (values.out !== undefined) options.out = values.out;
    return exitCodeOf(await run(options));
  } catch (error) {
    throw asCliExit(error);
  } finally {
    db.close();
  }
}

export async function runExportCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") {
    io.out(`${EXPORT_USAGE}\n`);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (sub !== "payments") throw usageError(`unknown export ${sub}`, EXPORT_USAGE);
  const { values, positionals } = parseCommandArgs(
    rest,
    {
      ...CONFIG_OPTIONS,
      from: { type: "string" },
      to: { type: "string" },
      format: { type: "string" },
      dialect: { type: "string" },
    },
    EXPORT_USAGE,
  );
  if (values.help) {
    io.out(`${EXPORT_USAGE}\n`);
    return EXIT_OK;
  }
  rejectPositionals(positionals, EXPORT_USAGE);
  const from = dayOption("from", values.from, EXPORT_USAGE);
  const to = dayOption("to", values.to, EXPORT_USAGE);
  if (to < from) throw usageError("--to is before --from", EXPORT_USAGE);
  const format = enumOption("format", values.format, ["csv", "json"] as const, EXPORT_USAGE) ?? "csv";
  const dialect = enumOption("dialect", values.dialect, ["excel-pl"] as const, EXPORT_USAGE);
  if (dialect && format !== "csv") throw usageError("--dialect applies to --format csv only", EXPORT_USAGE);
  const { config } = requireConfig(values.config, io, EXPORT_USAGE, daemonsParse(values.data));
  const run = await importCommand(
    () => import("../reports/commands.ts"),
    "runExportPaymentsCommand",
    "export payments",
  );
  const db = openExistingDatabase(config, values.data);
  prepareReportProcess(db);
  try {
    const options: ExportPaymentsCommandOptions = { db, config, from, to, format, stdout: process.stdout };
    if (dialect) options.dialect = dialect;
    return exitCodeOf(await run(options));
  } catch (error) {
    throw asCliExit(error);
  } finally {
    db.close();
  }
}

async function runPayoutsCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...CONFIG_OPTIONS, date: { type: "string" }, encoding: { type: "string" }, out: { type: "string" } },
    PAYOUTS_USAGE,
  );
  if (values.help) {
    io.out(`${PAYOUTS_USAGE}\n`);
    return EXIT_OK;
  }
  rejectPositionals(positionals, PAYOUTS_USAGE);
  const date = dayOption("date", values.date, PAYOUTS_USAGE);
  const encoding =
    enumOption("encoding", values.encoding, ["utf8", "cp1250"] as const, PAYOUTS_USAGE) ?? "utf8";
  fileOption("out", values.out, PAYOUTS_USAGE);
  const { config } = requireConfig(values.config, io, PAYOUTS_USAGE);
  const { payoutFile } = await import("../reports/commands.ts");
  const db = openExistingDatabase(config, values.data);
  try {
    const bytes = payoutFile(db, config, date, encoding, io.now());
    // A complete file or none: a bank must never get half a payout file.
    if (values.out !== undefined) await writeCompleteFile(values.out, async (out) => void out.write(bytes));
    else process.stdout.write(bytes);
    return EXIT_OK;
  } catch (error) {
    throw asCliExit(error);
  } finally {
    db.close();
  }
}
