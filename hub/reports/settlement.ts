/**
 * The office's settlement report (SPEC §9): totals per recipient account, component and device, the
 * reversals, each device day's reconciliation, and every transaction — as JSON or CSV, streamed
 * from a cursor so a month of ten million transactions never sits in memory.
 */
import { PassThrough, type Readable } from "node:stream";
import { csvRow, csvStyle } from "../../kiosk/domain/csv.ts";
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
  type SplitRow,
  streamSplitRows,
  totals,
} from "../store/report-store.ts";

const TZ = "Europe/Warsaw";
/** Text cells are neutralised against formula injection; amounts are numeric cells. */
const STANDARD = csvStyle("standard");

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

interface TransactionView {
  transactionId: string;
  paidAt: string;
  businessDay: string;
  device: string;
  total: number;
  status: "approved" | "reversed";
  slip: string | null;
  case: string | null;
  /** The stored JSON text of the slips, spliced in as it is. */
  slipsJson: string;
  splits: Array<{ recipient: string; nrb: string; component: string; amount: number; slip: string | null }>;
  card: {
    brand: string | null;
    maskedPan: string | null;
    authCode: string | null;
    terminalId: string | null;
    traceNumber: string | null;
  };
  reversal: { reversedAt: string; reason: string | null } | null;
}

function transactionOf(r: SplitRow): TransactionView {
  return {
    transactionId: r.id,
    paidAt: r.paid_at,
    businessDay: r.business_day,
    device: r.device,
    total: r.total,
    status: r.reversed_at ? "reversed" : "approved",
    slip: r.slip,
    case: r.case_ref,
    slipsJson: r.slips,
    splits: [],
    card: {
      brand: r.card_brand,
      maskedPan: r.masked_pan,
      authCode: r.auth_code,
      terminalId: r.terminal_id,
      traceNumber: r.trace_number,
    },
    reversal: r.reversed_at ? { reversedAt: r.reversed_at, reason: r.reason } : null,
  };
}

/** Writes to a stream, waiting when the reader is slower than the database. */
async function write(out: PassThrough, text: string): Promise<void> {
  if (!out.write(text))
    await new Promise<void>((resolve, reject) => {
      out.once("drain", resolve);
      out.once("close", () => reject(new Error("the reader went away")));
    });
}

function pump(out: PassThrough, produce: () => Promise<void>): Readable {
  produce().then(
    () => out.end(),
    (error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  return out;
}

/** The JSON report: the header's members, then `transactions` streamed one by one. */
export function settlementJson(db: HubDb, header: SettlementHeader, q: Range): Readable {
  const out = new PassThrough();
  return pump(out, async () => {
    const head = JSON.stringify(header);
    await write(out, `${head.slice(0, -1)},"transactions":[`);
    let current: TransactionView | undefined;
    let separator = "";
    // A finished transaction as JSON; `slips` goes in as the database's own JSON text.
    const text = (t: TransactionView) => {
      const { slipsJson, ...rest } = t;
      const json = JSON.stringify(rest);
      const out = `${separator}${json.slice(0, -1)},"slips":${slipsJson}}`;
      separator = ",";
      return out;
    };
    await streamSplitRows(db, q, async (rows) => {
      let chunk = "";
      for (const r of rows) {
        if (current?.transactionId !== r.id) {
          if (current) chunk += text(current);
          current = transactionOf(r);
        }
        current.splits.push({
          recipient: r.recipient,
          nrb: r.nrb,
          component: r.component,
          amount: r.amount,
          slip: r.split_slip,
        });
      }
      await write(out, chunk);
    });
    if (current) await write(out, text(current));
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
];

/** RFC 4180, one row per split; amounts in PLN with two decimals (a person reads it). */
export function settlementCsv(db: HubDb, q: Range): Readable {
  const out = new PassThrough();
  return pump(out, async () => {
    await write(out, csvRow(CSV_HEADER, ","));
    await streamSplitRows(db, q, async (rows) => {
      let chunk = "";
      for (const r of rows) {
        chunk += csvRow(
          [
            r.id,
            r.paid_at,
            r.business_day,
            q.office,
            r.device,
            r.split_slip ?? r.slip,
            r.case_ref,
            r.n,
            r.component,
            r.recipient,
            r.nrb,
            STANDARD.amount(r.amount),
            "PLN",
            r.card_brand,
            r.masked_pan,
            r.auth_code,
            r.terminal_id,
            r.trace_number,
            r.reversed_at ? "reversed" : "approved",
          ],
          ",",
        );
      }
      await write(out, chunk);
    });
  });
}
