/**
 * The office's settlement report (SPEC §9): totals per recipient account, component and device, the
 * reversals, each device day's reconciliation, and every transaction — as JSON or CSV, streamed
 * from a cursor so a month of ten million transactions never sits in memory.
 */
import { PassThrough, type Readable } from "node:stream";
import { csvRow } from "../../kiosk/domain/csv.ts";
import { isoWithOffset } from "../../kiosk/domain/time.ts";
import type { HubConfig } from "../config/types.ts";
import type { HubDb } from "../store/db.ts";
import {
  type DeviceDayRow,
  deviceDays,
  officeDayClosed,
  perComponent,
  perDevice,
  perRecipient,
  type Range,
  reversalsIn,
  streamCsvLines,
  streamTransactionJson,
  totals,
} from "../store/report-store.ts";

const TZ = "Europe/Warsaw";

export interface Mismatch {
  check: "day_message_missing" | "device_vs_hub" | "terminal_vs_hub" | "device_vs_terminal";
  field?: "count" | "total";
  expected?: number;
  actual?: number;
}

/** Device count/total vs terminal totals vs the hub's own sum, per device day. */
export function reconcile(row: DeviceDayRow) {
  const hub = { count: row.hubCount, total: row.hubTotal };
  const mismatches: Mismatch[] = [];
  const r = row.reported;
  if (!r) mismatches.push({ check: "day_message_missing" });
  else {
    const compare = (
      check: Mismatch["check"],
      a: { count: number; total: number },
      b: { count: number; total: number },
    ) => {
      for (const field of ["count", "total"] as const)
        if (a[field] !== b[field]) mismatches.push({ check, field, expected: a[field], actual: b[field] });
    };
    compare("device_vs_hub", hub, { count: r.count, total: r.total });
    compare("terminal_vs_hub", hub, { count: r.terminalCount, total: r.terminalTotal });
    compare(
      "device_vs_terminal",
      { count: r.count, total: r.total },
      { count: r.terminalCount, total: r.terminalTotal },
    );
  }
  return {
    device: row.device,
    date: row.day,
    hub,
    reported: r ? { count: r.count, total: r.total } : null,
    terminal: r ? { count: r.terminalCount, total: r.terminalTotal } : null,
    mismatches,
  };
}

/** Everything of the report but the transaction list. */
export async function settlementHeader(db: HubDb, config: HubConfig, q: Range) {
  const recipients = config.offices[q.office]?.recipients ?? {};
  const [sum, byRecipient, byComponent, byDevice, reversals, days, closedAt] = await Promise.all([
    totals(db, q),
    perRecipient(db, q),
    perComponent(db, q),
    perDevice(db, q),
    reversalsIn(db, q),
    deviceDays(db, q),
    q.from === q.to ? officeDayClosed(db, q.office, q.from) : Promise.resolve(null),
  ]);
  return {
    office: q.office,
    date: q.from,
    ...(q.from !== q.to ? { from: q.from, to: q.to } : {}),
    count: sum.count,
    total: sum.total,
    currency: "PLN",
    closed: closedAt !== null,
    closedAt: closedAt ? closedAt.toISOString() : null,
    recipients: byRecipient.map((r) => ({
      code: r.code,
      name: recipients[r.code]?.name ?? r.code,
      nrb: r.nrb,
      count: r.count,
      total: r.total,
    })),
    components: byComponent,
    devices: byDevice,
    reversals: reversals.map((r) => ({ ...r, reversedAt: isoWithOffset(r.reversedAt, TZ) })),
    reconciliation: days.map(reconcile),
  };
}

export type SettlementHeader = Awaited<ReturnType<typeof settlementHeader>>;

/** Writes to a stream, waiting when the reader is slower than the database. */
async function write(out: PassThrough, text: string): Promise<void> {
  if (out.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const drained = () => {
      out.off("close", closed);
      resolve();
    };
    const closed = () => {
      out.off("drain", drained);
      reject(new Error("the reader went away"));
    };
    out.once("drain", drained);
    out.once("close", closed);
  });
}

function pump(out: PassThrough, produce: () => Promise<void>): Readable {
  produce().then(
    () => out.end(),
    (error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  return out;
}

/** The JSON report: the header's members, then `transactions`, each object as the database wrote it. */
export function settlementJson(db: HubDb, header: SettlementHeader, q: Range): Readable {
  const out = new PassThrough();
  return pump(out, async () => {
    const head = JSON.stringify(header);
    await write(out, `${head.slice(0, -1)},"transactions":[`);
    let separator = "";
    await streamTransactionJson(db, q, async (objects) => {
      await write(out, separator + objects.join(","));
      separator = ",";
    });
    await write(out, "]}");
  });
}

export const CSV_HEADER = [
  "transaction_id",
  "paid_at",
  "business_day",
  "office",
  "device",
  "slip",
  "case",
  "line_no",
  "component",
  "recipient",
  "recipient_nrb",
  "amount",
  "currency",
  "card_brand",
  "masked_pan",
  "auth_code",
  "terminal_id",
  "trace_no",
  "status",
  // Last, so a reader of the columns before it by position reads them as before: who took a cash
  // desk's payment (SPEC §10); empty for a kiosk's.
  "cashier",
];

/**
 * RFC 4180, one row per split; amounts in PLN with two decimals (a person reads it); text cells
 * neutralised against formula injection as csvRow does (the lines are written by the database).
 */
export function settlementCsv(db: HubDb, q: Range): Readable {
  const out = new PassThrough();
  return pump(out, async () => {
    await write(out, csvRow(CSV_HEADER, ","));
    await streamCsvLines(db, q, (lines) => write(out, lines));
  });
}
