/**
 * The settlement report of one business day (Europe/Warsaw), without its payment list: header,
 * totals per recipient and per component, reversals, and the reconciliation against the terminal's
 * end-of-day totals. Totals are SQL aggregates, so the summary is small whatever the day's size; the
 * payments themselves are streamed by the renderers.
 *
 * Money that stays is what the terminal approved and nobody reversed: totals per recipient and
 * component count only `approved` payments; reversed ones are listed apart. The terminal nets a
 * same-day reversal out of its batch, so the kiosk side of the reconciliation is the same net figure.
 */
import type { KioskConfig } from "../config/types.ts";
import { businessDay, isoWithOffset } from "../domain/time.ts";
import { polishLabel } from "../store/payment-record.ts";
import type { Db } from "../store/db.ts";
import {
  type ComponentRecipientTotal,
  type ComponentTotal,
  componentTotals,
  type RecipientTotal,
  reversedPayments,
  statusTotals,
  undecidedPayments,
} from "../store/day-payments.ts";
import { closingsOf } from "../store/terminal-days.ts";

export type { ComponentTotal, RecipientTotal } from "../store/day-payments.ts";

export interface ReversalEntry {
  paymentId: string;
  paidAt: string;
  reversedAt: string | null;
  slip: string | null;
  case: string | null;
  total: number;
  reason: string | null;
}

/**
 * A payment started on the day whose outcome only staff can settle: in no total, since the terminal
 * could not prove whether the card was charged. Staff's "charged" books it on the day of the verdict.
 */
export interface UndecidedEntry {
  paymentId: string;
  /** When the attempt started, ISO with the office's offset. */
  startedAt: string;
  slip: string | null;
  case: string | null;
  total: number;
  /**
   * The payment's state (SPEC §4's session state): `unknown` until staff record their verdict, after
   * which the payment is no longer listed. Named so a reader need not know why it is listed.
   */
  state: "unknown";
}

export interface TerminalClosing {
  closedAt: string;
  count: number;
  total: number;
}

export interface Reconciliation {
  kioskCount: number;
  kioskTotal: number;
  /** Sums over the day's end-of-day closings; null before the first. */
  terminalCount: number | null;
  terminalTotal: number | null;
  closings: TerminalClosing[];
  /** terminal − kiosk; null before end-of-day. */
  differenceCount: number | null;
  differenceTotal: number | null;
  status: "match" | "mismatch" | "not_closed";
}

export interface SettlementSummary {
  header: {
    reportId: string;
    office: { id: string; name: string; address: string; nip: string };
    kiosk: string;
    day: string;
    timezone: string;
    currency: "PLN";
    generatedAt: string;
  };
  totals: {
    approvedCount: number;
    approvedTotal: number;
    reversedCount: number;
    reversedTotal: number;
    perRecipient: RecipientTotal[];
    perComponent: ComponentTotal[];
  };
  reversals: ReversalEntry[];
  reconciliation: Reconciliation;
  /**
   * The day's payments awaiting staff's verdict, in no total: a day that has one is not ready to close.
   * The JSON's `undecided` member (always there, `[]` on most days), the CSV's `undecided` block (only
   * on a day that has one, so the other days' files are as they were), the PDF's note, and the
   * command's warning on stderr.
   */
  undecided: UndecidedEntry[];
}

export function reportId(config: KioskConfig, day: string): string {
  return `RAP/${config.office.id}/${config.kiosk.id}/${day.replaceAll("-", "")}`;
}

export function settlementSummary(db: Db, config: KioskConfig, day: string, now: Date): SettlementSummary {
  const tz = config.kiosk.timezone || "Europe/Warsaw";
  const counts = statusTotals(db, day);
  const approved = counts.find((c) => c.status === "approved") ?? { n: 0, total: 0 };
  const reversed = counts.find((c) => c.status === "reversed") ?? { n: 0, total: 0 };
  const groups = componentTotals(db, day);
  const perRecipient = recipientTotals(groups);
  const perComponent = componentRows(groups).map(({ code, label, recipient, lines, quantity, amount }) => ({
    code,
    label: polishLabel(label),
    recipient,
    lines,
    quantity,
    amount,
  }));
  const reversals = reversedPayments(db, day).map((r) => ({
    paymentId: r.id,
    paidAt: r.paid_at,
    reversedAt: r.reversed_at,
    slip: r.slip_id,
    case: r.case_ref,
    total: r.total,
    reason: r.reversal_reason,
  }));
  const closings = closingsOf(db, day).map((c) => ({
    closedAt: c.closed_at,
    count: c.terminal_count,
    total: c.terminal_total,
  }));

  return {
    header: {
      reportId: reportId(config, day),
      office: { ...config.office },
      kiosk: config.kiosk.id,
      day,
      timezone: tz,
      currency: "PLN",
      generatedAt: isoWithOffset(now, tz),
    },
    totals: {
      approvedCount: approved.n,
      approvedTotal: approved.total,
      reversedCount: reversed.n,
      reversedTotal: reversed.total,
      perRecipient: withRecipientNip(perRecipient, config),
      perComponent: groupedComponents(perComponent, config),
    },
    reversals,
    reconciliation: reconcile(approved.n, approved.total, closings),
    undecided: undecidedOfDay(db, day, tz),
  };
}

/** The payments started on `day` (in the office's zone) that still await staff's verdict. */
function undecidedOfDay(db: Db, day: string, tz: string): UndecidedEntry[] {
  return undecidedPayments(db).flatMap((r) => {
    const started = new Date(r.authorizing_at ?? r.created_at);
    if (businessDay(started, tz) !== day) return [];
    return [
      {
        paymentId: r.id,
        startedAt: isoWithOffset(started, tz),
        slip: r.slip_id,
        case: r.case_ref,
        total: r.total,
        state: "unknown" as const,
      },
    ];
  });
}

/**
 * The groups of one component and recipient paid to several accounts as one row (the component table
 * names no account); the groups come ordered by code and recipient, so such groups are adjacent.
 */
function componentRows(groups: ComponentRecipientTotal[]): ComponentTotal[] {
  const rows: ComponentTotal[] = [];
  let last: ComponentTotal | undefined;
  for (const { code, label, recipient, lines, quantity, amount } of groups) {
    if (last && last.code === code && last.recipient === recipient) {
      if (label < last.label) last.label = label;
      last.lines += lines;
      last.quantity += quantity;
      last.amount += amount;
      continue;
    }
    last = { code, label, recipient, lines, quantity, amount };
    rows.push(last);
  }
  return rows;
}

/**
 * Per-component groups summed per recipient and account, in code order (as SQLite orders plain ASCII
 * codes), then account: a recipient whose account changed during the day has a row for each account,
 * so each account is paid what was collected for it (before, its lines were summed under the account
 * that sorted first).
 */
function recipientTotals(groups: ComponentRecipientTotal[]): RecipientTotal[] {
  const byRecipient = new Map<string, RecipientTotal>();
  for (const g of groups) {
    const key = `${g.recipient}\u0000${g.nrb}`;
    const r = byRecipient.get(key);
    if (!r) {
      byRecipient.set(key, {
        recipient: g.recipient,
        name: g.name,
        nrb: g.nrb,
        lines: g.lines,
        amount: g.amount,
      });
      continue;
    }
    if (g.name < r.name) r.name = g.name;
    r.lines += g.lines;
    r.amount += g.amount;
  }
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...byRecipient.values()].sort((a, b) => order(a.recipient, b.recipient) || order(a.nrb, b.nrb));
}

function withRecipientNip(rows: RecipientTotal[], config: KioskConfig): RecipientTotal[] {
  return rows.map((r) => {
    const nip = config.recipients[r.recipient]?.nip;
    return nip ? { ...r, nip } : r;
  });
}

/** Components with their configured group, those of one group together (stable within a group). */
function groupedComponents(rows: ComponentTotal[], config: KioskConfig): ComponentTotal[] {
  const withGroup = rows.map((c) => {
    const group = config.components[c.code]?.group;
    return group ? { ...c, group } : c;
  });
  if (!withGroup.some((c) => c.group)) return withGroup;
  const order = [...new Set(withGroup.map((c) => c.group ?? ""))];
  return [...withGroup].sort((a, b) => order.indexOf(a.group ?? "") - order.indexOf(b.group ?? ""));
}

/** Any difference, even one grosz or one payment, is a mismatch: nobody rounds money here. */
export function reconcile(
  kioskCount: number,
  kioskTotal: number,
  closings: TerminalClosing[],
): Reconciliation {
  if (closings.length === 0)
    return {
      kioskCount,
      kioskTotal,
      terminalCount: null,
      terminalTotal: null,
      closings,
      differenceCount: null,
      differenceTotal: null,
      status: "not_closed",
    };
  const terminalCount = closings.reduce((a, c) => a + c.count, 0);
  const terminalTotal = closings.reduce((a, c) => a + c.total, 0);
  const differenceCount = terminalCount - kioskCount;
  const differenceTotal = terminalTotal - kioskTotal;
  return {
    kioskCount,
    kioskTotal,
    terminalCount,
    terminalTotal,
    closings,
    differenceCount,
    differenceTotal,
    status: differenceCount === 0 && differenceTotal === 0 ? "match" : "mismatch",
  };
}
