/**
 * Matching a statement against what the hub expects (pure). On the account payouts leave from
 * (`bank.payerNrb`): the acquirer's credit of each business day's card takings, due on the first to
 * third banking day after it, and each payout transfer, due on its execution date (the first banking
 * day after the business day) or up to two banking days later. Windows count Polish banking days
 * (kiosk/domain/banking-days.ts), not calendar days: Friday's takings credited on the Tuesday after
 * Easter Monday are on time. On a recipient's account: the payouts credited to it. A line naming an expectation (the payout's reference, or the day in the acquirer's title)
 * with another amount is `different`; expectations due within the statement's period with no line
 * are `missing`; lines nothing expects are `extra`. Several lines naming one expectation (an acquirer
 * paying a day's takings in parts, one per card scheme) are compared by their sum, and `lines` lists
 * them; a line naming an expectation already met to the grosz is a duplicate and stays `extra`.
 */
import { addDays } from "../../kiosk/domain/time.ts";
import { addBankingDays, nextBankingDay } from "../../kiosk/domain/banking-days.ts";
import type { Statement, StatementEntry } from "./mt940.ts";

export interface Expected {
  kind: "acquirer_credit" | "payout";
  /** The business day it settles. */
  day: string;
  amount: number;
  /** Payouts: the Elixir reference and the recipient's account. */
  reference?: string;
  recipient?: string;
  nrb?: string;
  /** The first and last value date it may carry. */
  dueFrom: string;
  dueTo: string;
}

export interface MatchResult {
  statement: {
    reference: string;
    account: string;
    number: string;
    currency: string;
    opening: { date: string; amount: number };
    closing: { date: string; amount: number };
    from: string;
    to: string;
  };
  role: "payer" | "recipient";
  /** `line` is the first of `lines`, every statement line the expectation was compared with. */
  matched: Array<{ line: StatementEntry; lines: StatementEntry[]; expected: Expected }>;
  different: Array<{ line: StatementEntry; lines: StatementEntry[]; expected: Expected; difference: number }>;
  missing: Expected[];
  /** `repeats`: the expectation, already met to the grosz, that a line names again (a duplicate). */
  extra: Array<StatementEntry & { repeats?: Expected }>;
}

const compact = (day: string) => day.replaceAll("-", "");

/** Does the line's text name this business day (`2026-11-25` or `20261125`)? */
function namesDay(e: StatementEntry, day: string): boolean {
  const text = `${e.reference} ${e.details}`;
  return text.includes(day) || text.includes(compact(day));
}

function namesReference(e: StatementEntry, reference: string): boolean {
  return `${e.reference} ${e.details}`.includes(reference);
}

function inWindow(e: StatementEntry, x: Expected): boolean {
  return e.valueDate >= x.dueFrom && e.valueDate <= x.dueTo;
}

export function matchStatement(s: Statement, role: "payer" | "recipient", expected: Expected[]): MatchResult {
  const { from, to } = statementPeriod(s);
  const open = new Set(expected);
  const result: MatchResult = {
    statement: {
      reference: s.reference,
      account: s.account,
      number: s.number,
      currency: s.currency,
      opening: s.opening,
      closing: s.closing,
      from,
      to,
    },
    role,
    matched: [],
    different: [],
    missing: [],
    extra: [],
  };
  const wanted = (e: StatementEntry): Expected["kind"] | undefined => {
    if (role === "recipient") return e.mark === "C" ? "payout" : undefined;
    return e.mark === "C" ? "acquirer_credit" : "payout";
  };
  // Each expectation a line was taken for, with every line taken for it, in statement order.
  const taken = new Map<Expected, { lines: StatementEntry[]; amount: number }>();
  const take = (e: StatementEntry, x: Expected) => {
    open.delete(x);
    const parts = taken.get(x);
    if (parts) {
      parts.lines.push(e);
      parts.amount += e.amount;
    } else taken.set(x, { lines: [e], amount: e.amount });
  };
  // Still short or over by a part: a further line naming it is another part, not something unexpected.
  const partial = (x: Expected) => {
    const parts = taken.get(x);
    return parts !== undefined && parts.amount !== x.amount;
  };
  const unnamed: StatementEntry[] = [];
  const repeats = new Map<StatementEntry, Expected>();
  // First the lines that name what they pay: their amount is compared to the grosz.
  for (const e of s.entries) {
    const kind = wanted(e);
    const names = (x: Expected) =>
      x.kind === kind && (x.reference ? namesReference(e, x.reference) : namesDay(e, x.day));
    const named = expected.find((x) => (open.has(x) || partial(x)) && names(x));
    if (named) take(e, named);
    else {
      const met = expected.find((x) => taken.has(x) && names(x));
      if (met) repeats.set(e, met);
      unnamed.push(e);
    }
  }
  // Then lines without a reference: the same amount due in the window (and the same account for payouts).
  for (const e of unnamed) {
    const kind = wanted(e);
    const same = [...open].find(
      (x) =>
        x.kind === kind &&
        x.amount === e.amount &&
        inWindow(e, x) &&
        (!x.nrb || e.details.includes(x.nrb) || role === "recipient"),
    );
    if (same) take(e, same);
    else {
      const repeated = repeats.get(e);
      result.extra.push(repeated ? { ...e, repeats: repeated } : e);
    }
  }
  for (const [x, { lines, amount }] of taken) {
    const difference = amount - x.amount;
    if (difference === 0) result.matched.push({ line: lines[0]!, lines, expected: x });
    else result.different.push({ line: lines[0]!, lines, expected: x, difference });
  }
  // Missing: due entirely within the statement's period and not seen.
  result.missing = [...open].filter((x) => x.dueFrom >= from && x.dueTo <= to);
  return result;
}

/** The first and last date the statement speaks of (balances and value dates). */
export function statementPeriod(s: Statement): { from: string; to: string } {
  const dates = [s.opening.date, s.closing.date, ...s.entries.map((e) => e.valueDate)].sort();
  return { from: dates[0]!, to: dates[dates.length - 1]! };
}

/** The value dates the acquirer's credit of a business day's card takings may carry. */
export function acquirerCreditDue(day: string): { dueFrom: string; dueTo: string } {
  return { dueFrom: nextBankingDay(day), dueTo: addBankingDays(day, 3) };
}

/** The value dates a payout executed on `executionDate` may carry on either account. */
export function payoutDue(executionDate: string): { dueFrom: string; dueTo: string } {
  return { dueFrom: executionDate, dueTo: addBankingDays(executionDate, 2) };
}

/**
 * Expectations for business days whose settlement may fall within [from, to]: a day before the third
 * banking day before `from` is due entirely before it (its third banking day comes before `from`).
 */
export function expectationWindow(from: string, to: string): { from: string; to: string } {
  return { from: addBankingDays(from, -3), to: addDays(to, -1) };
}
