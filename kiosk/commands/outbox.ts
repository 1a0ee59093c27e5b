/**
 * `oplatomat outbox list [--state pending|failed]` and `oplatomat outbox requeue ID...` (SPEC §5).
 * Safe while the daemon runs: the database is in WAL mode, a requeue is one short transaction, and
 * the daemon's worker finds the requeued message on its next look at the queue (within seconds).
 */
import os from "node:os";
import { DEFAULT_TZ, isoWithOffset } from "../domain/time.ts";
import { type AccountChange, type LineAccountChange, requeueMessages } from "../outbox/account-rewrite.ts";
import { type OutboxEntry, listOutbox } from "../store/outbox.ts";
import {
  type CliIo,
  CONFIG_OPTIONS,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  enumOption,
  parseCommandArgs,
  rejectPositionals,
  requireConfig,
  usageError,
} from "./cli-kit.ts";
import { openExistingDatabase } from "./database.ts";

export const OUTBOX_USAGE = `Usage: oplatomat outbox list [--state pending|failed] [--json] [--config FILE] [--data DIR]
       oplatomat outbox requeue ID... [--accounts-from-config] [--config FILE] [--data DIR]

list      the messages still to be delivered (pending) and those a receiver refused (failed, parked),
          in queue order, with their attempts and last error. A pending message that waits behind a
          parked message of the same payment says so. CREATED is the office's local time
          (kiosk.timezone); --json gives the stored UTC times.
requeue   puts parked messages back in their place in the queue (audited); the running daemon sends
          them within seconds, before any later message of the same payment. Fix the cause first
          (the last error says what the receiver refused). Exit 1 when an ID was not parked.
          --accounts-from-config: a settlement transaction refused for a recipient's account (the
          kiosk had a wrong one) is sent with each recipient's account as the configuration holds it
          now; each change is printed and audited, and the payment's lines in the kiosk's records
          (its settlement report and payout file) take the same accounts. Correct the
          configuration first.

Options:
  --state S           pending or failed (default: both)
  --json              one JSON array instead of the table (times in UTC, as stored)
  -c, --config FILE   kiosk configuration (OPLATOMAT_CONFIG if absent)
  --data DIR          directory of the database
  -h, --help          this help`;

/**
 * A receiver's refusal as the table shows it. An RFC 9457 problem (the hub's, or any receiver's) is
 * read for its code, title, detail and each error's path and message, which say what to fix; the raw
 * JSON, cut at 160 characters, lost them behind its `type` URI (`--json` keeps the text whole).
 */
export function errorSummary(lastError: string): string {
  const raw = lastError.replace(/\s+/g, " ");
  const body = /^HTTP \d{3}: (\{.*\})$/.exec(raw)?.[1];
  let problem: unknown;
  try {
    problem = body === undefined ? undefined : JSON.parse(body);
  } catch {
    problem = undefined;
  }
  if (typeof problem !== "object" || problem === null) return raw.slice(0, 160);
  const p = problem as { code?: unknown; title?: unknown; detail?: unknown; errors?: unknown };
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const head = [text(p.code), text(p.title)].filter(Boolean).join(" ");
  const errors = Array.isArray(p.errors)
    ? p.errors.map((e) => {
        const item = (e ?? {}) as { path?: unknown; message?: unknown };
        return [text(item.path), text(item.message)].filter(Boolean).join(": ");
      })
    : [];
  const parts = [head, text(p.detail), ...errors].filter((x) => x !== undefined && x !== "");
  return parts.length > 0 ? parts.join("; ").slice(0, 400) : raw.slice(0, 160);
}

/**
 * A table line. CREATED is the office's wall-clock time with its offset (`2026-12-07T15:12:05+01:00`),
 * as the report and export give `paidAt`: staff read Warsaw time, and a UTC `…Z` beside it was an hour
 * or two off. `--json` keeps the stored UTC instant for programs.
 */
export function outboxLine(e: OutboxEntry, tz: string = DEFAULT_TZ): string {
  const error = e.lastError ? `${e.lastStatus ?? "-"} ${errorSummary(e.lastError)}` : "-";
  const waits = e.waitingFor ? ` (waits for ${e.waitingFor})` : "";
  const created = new Date(e.createdAt);
  const when = Number.isNaN(created.getTime()) ? e.createdAt : isoWithOffset(created, tz);
  return `${e.id}\t${e.state}${waits}\t${e.attempts}\t${when}\t${error}`;
}

/**
 * `; accounts from the configuration: POWIAT 1310… -> 2710…; the kiosk's records: 3 lines` for a
 * rewritten message: the message's changes, and how many lines of the payment's records took them.
 */
function accountChanges(
  changes: AccountChange[] | undefined,
  records: LineAccountChange[] | undefined,
): string {
  const parts: string[] = [];
  if (changes?.length)
    parts.push(
      `accounts from the configuration: ${changes.map((c) => `${c.recipient} ${c.from || "(none)"} -> ${c.to}`).join(", ")}`,
    );
  if (records?.length) {
    const lines = records.reduce((n, r) => n + r.lines, 0);
    parts.push(`the kiosk's records: ${lines} ${lines === 1 ? "line" : "lines"}`);
  }
  return parts.map((p) => `; ${p}`).join("");
}

export async function runOutboxCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") {
    (sub === undefined ? io.err : io.out)(`${OUTBOX_USAGE}\n`);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (sub !== "list" && sub !== "requeue") throw usageError(`unknown outbox command ${sub}`, OUTBOX_USAGE);
  const { values, positionals } = parseCommandArgs(
    rest,
    {
      ...CONFIG_OPTIONS,
      state: { type: "string" },
      json: { type: "boolean" },
      "accounts-from-config": { type: "boolean" },
    },
    OUTBOX_USAGE,
  );
  if (values.help) {
    io.out(`${OUTBOX_USAGE}\n`);
    return EXIT_OK;
  }
  if (sub === "list") rejectPositionals(positionals, OUTBOX_USAGE);
  else if (positionals.length === 0) throw usageError("outbox requeue needs at least one ID", OUTBOX_USAGE);
  const state = enumOption("state", values.state, ["pending", "failed"] as const, OUTBOX_USAGE);
  if (sub === "requeue" && state) throw usageError("--state applies to outbox list only", OUTBOX_USAGE);
  const accounts = values["accounts-from-config"] === true;
  if (sub === "list" && accounts)
    throw usageError("--accounts-from-config applies to outbox requeue only", OUTBOX_USAGE);
  const { config } = requireConfig(values.config, io, OUTBOX_USAGE);
  const db = openExistingDatabase(config, values.data);
  try {
    if (sub === "list") {
      const entries = listOutbox(db, state);
      if (values.json) io.out(`${JSON.stringify(entries, null, 2)}\n`);
      else {
        io.out("ID\tSTATE\tATTEMPTS\tCREATED\tLAST ERROR\n");
        for (const e of entries) io.out(`${outboxLine(e, config.kiosk.timezone || DEFAULT_TZ)}\n`);
      }
      return EXIT_OK;
    }
    const actor = `cli:${os.userInfo().username}`;
    const result = requeueMessages(
      db,
      positionals,
      actor,
      io.now(),
      accounts ? config.recipients : undefined,
    );
    for (const id of result.requeued)
      io.out(`requeued ${id}${accountChanges(result.changed[id], result.records[id])}\n`);
    for (const id of result.notParked) io.err(`not parked (unknown, pending or delivered): ${id}\n`);
    for (const r of result.refused) io.err(`left parked: ${r.id}: ${r.reason}\n`);
    return result.notParked.length + result.refused.length > 0 ? EXIT_FAILED : EXIT_OK;
  } finally {
    db.close();
  }
}
