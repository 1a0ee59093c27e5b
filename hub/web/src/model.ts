/**
 * The staff API's answers as the page uses them (SPEC §9): the day's settlement report, the fleet and
 * a statement's matching result, decoded from JSON with every field narrowed.
 */
import { bool, int, isObject, type Json, nullableStr, objects, str } from "./json.ts";

export interface Office {
  id: string;
  name: string;
}

export interface StaffSession {
  login: string;
  name: string;
  offices: Office[];
  csrfToken: string;
}

export interface Totals {
  count: number;
  total: number;
}

export interface RecipientTotal extends Totals {
  code: string;
  name: string;
  nrb: string;
}

export interface Transaction {
  id: string;
  paidAt: string;
  device: string;
  /** Who took a cash desk's payment (SPEC §10); null for a kiosk's. */
  cashier: string | null;
  total: number;
  reversed: boolean;
  reversedAt: string | null;
  caseRef: string | null;
  slips: Array<{ slip: string; caseRef: string | null; total: number }>;
  cardBrand: string | null;
  maskedPan: string | null;
}

export interface Reconciliation {
  device: string;
  hub: Totals;
  reported: Totals | null;
  terminal: Totals | null;
  mismatches: number;
}

export interface SettlementReport extends Totals {
  office: string;
  date: string;
  closed: boolean | null;
  recipients: RecipientTotal[];
  components: Array<Totals & { code: string }>;
  devices: Array<Totals & { id: string }>;
  reconciliation: Reconciliation[];
  transactions: Transaction[];
}

function totals(o: Json): Totals {
  return { count: int(o["count"]), total: int(o["total"]) };
}

function maybeTotals(value: unknown): Totals | null {
  return isObject(value) ? totals(value) : null;
}

export function decodeSession(value: unknown): StaffSession | null {
  if (!isObject(value) || typeof value["login"] !== "string") return null;
  return {
    login: str(value["login"]),
    name: str(value["name"], str(value["login"])),
    offices: objects(value["offices"]).map((o) => ({ id: str(o["id"]), name: str(o["name"], str(o["id"])) })),
    csrfToken: str(value["csrfToken"]),
  };
}

function decodeTransaction(t: Json): Transaction {
  const card = isObject(t["card"]) ? t["card"] : {};
  const reversal = isObject(t["reversal"]) ? t["reversal"] : null;
  const slips = objects(t["slips"]).map((s) => ({
    slip: str(s["slip"]),
    caseRef: nullableStr(s["case"]),
    total: int(s["total"]),
  }));
  const slip = nullableStr(t["slip"]);
  return {
    id: str(t["transactionId"]),
    paidAt: str(t["paidAt"]),
    device: str(t["device"]),
    cashier: nullableStr(t["cashier"]),
    total: int(t["total"]),
    reversed: t["status"] === "reversed",
    reversedAt: reversal ? nullableStr(reversal["reversedAt"]) : null,
    caseRef: nullableStr(t["case"]),
    // One-slip senders may leave `slips` out; the first slip is then all there is.
    slips:
      slips.length > 0 || !slip ? slips : [{ slip, caseRef: nullableStr(t["case"]), total: int(t["total"]) }],
    cardBrand: nullableStr(card["brand"]),
    maskedPan: nullableStr(card["maskedPan"]),
  };
}

export function decodeSettlement(value: unknown): SettlementReport | null {
  if (!isObject(value) || typeof value["office"] !== "string") return null;
  return {
    office: str(value["office"]),
    date: str(value["date"]),
    ...totals(value),
    closed: bool(value["closed"]),
    recipients: objects(value["recipients"]).map((r) => ({
      code: str(r["code"]),
      name: str(r["name"], str(r["code"])),
      nrb: str(r["nrb"]),
      ...totals(r),
    })),
    components: objects(value["components"]).map((c) => ({ code: str(c["code"]), ...totals(c) })),
    devices: objects(value["devices"]).map((d) => ({ id: str(d["id"]), ...totals(d) })),
    reconciliation: objects(value["reconciliation"]).map((r) => ({
      device: str(r["device"]),
      hub: maybeTotals(r["hub"]) ?? { count: 0, total: 0 },
      reported: maybeTotals(r["reported"]),
      terminal: maybeTotals(r["terminal"]),
      mismatches: Array.isArray(r["mismatches"]) ? r["mismatches"].length : 0,
    })),
    transactions: objects(value["transactions"]).map(decodeTransaction),
  };
}

/** Each configured device's kind (`kiosk` or `desk`) by office and id, from `GET /api/offices`. */
export type DeviceKinds = ReadonlyMap<string, ReadonlyMap<string, string>>;

export function decodeDeviceKinds(value: unknown): DeviceKinds {
  const offices = isObject(value) ? objects(value["offices"]) : [];
  return new Map(
    offices.map((o) => [
      str(o["id"]),
      new Map(objects(o["devices"]).map((d) => [str(d["id"]), str(d["kind"])])),
    ]),
  );
}

export interface FleetDevice {
  office: string;
  id: string;
  kind: string;
  lastSeen: string | null;
  secondsSinceLastSeen: number | null;
  outOfOrder: boolean | null;
  devices: Array<{ name: string; state: string }>;
  outbox: { pending: number; failed: number; oldestAgeSeconds: number } | null;
  lastPaymentAt: string | null;
}

export function decodeFleet(value: unknown): FleetDevice[] {
  const list = isObject(value) ? value["devices"] : value;
  return objects(list).map((d) => {
    const out = isObject(d["outbox"]) ? d["outbox"] : null;
    return {
      office: str(d["office"]),
      id: str(d["id"]),
      kind: str(d["kind"]),
      lastSeen: nullableStr(d["lastSeen"]),
      secondsSinceLastSeen:
        typeof d["secondsSinceLastSeen"] === "number" ? int(d["secondsSinceLastSeen"]) : null,
      outOfOrder: bool(d["outOfOrder"]),
      devices: objects(d["devices"]).map((x) => ({ name: str(x["name"]), state: str(x["state"]) })),
      outbox: out
        ? {
            pending: int(out["pending"]),
            failed: int(out["failed"]),
            oldestAgeSeconds: int(out["oldestAgeSeconds"]),
          }
        : null,
      lastPaymentAt: nullableStr(d["lastPaymentAt"]),
    };
  });
}

/** One line of a statement's matching result: what was expected and what the statement says. */
export interface MatchLine {
  /** acquirer_credit, payout, or for a line nothing expected: credit / debit (repeated-…: a duplicate). */
  kind: string;
  /** The business day it settles, or the line's value date. */
  date: string;
  reference: string;
  expected: number | null;
  found: number | null;
}

export interface StatementMatch {
  reference: string;
  /** The `:28C:` statement number. */
  number: string;
  account: string;
  from: string;
  to: string;
  /** The first earlier import of the same statement (ISO time, staff login); null for the first. */
  previousImport: { at: string; login: string } | null;
  matched: MatchLine[];
  different: MatchLine[];
  missing: MatchLine[];
  extra: MatchLine[];
}

/** `lines`: every statement line compared with the expectation (parts of one day are summed). */
function expectedLine(x: Json, lines: Json[]): MatchLine {
  return {
    kind: str(x["kind"]),
    date: str(x["day"]),
    reference:
      [str(x["reference"]), str(x["recipient"])].filter((p) => p).join(" ") ||
      lines.map((l) => str(l["details"])).join(" + "),
    expected: int(x["amount"]),
    found: lines.length > 0 ? lines.reduce((a, l) => a + int(l["amount"]), 0) : null,
  };
}

function statementLine(line: Json): MatchLine {
  const mark = line["mark"] === "D" ? "debit" : "credit";
  return {
    // A line naming what an earlier line already paid to the grosz (a credit or a transfer booked twice).
    kind: isObject(line["repeats"]) ? `repeated-${mark}` : mark,
    date: str(line["valueDate"]),
    reference: [str(line["reference"]), str(line["details"])].filter((p) => p && p !== "NONREF").join(" "),
    expected: null,
    found: int(line["amount"]),
  };
}

// `lines` since the hub sums a day's parts; `line` alone from a hub of before.
const pairs = (value: unknown) =>
  objects(value).map((m) =>
    expectedLine(
      isObject(m["expected"]) ? m["expected"] : {},
      Array.isArray(m["lines"]) ? objects(m["lines"]) : isObject(m["line"]) ? [m["line"]] : [],
    ),
  );

/** `POST …/statements`: one result per statement in the file. */
export function decodeStatements(value: unknown): StatementMatch[] | null {
  if (!isObject(value) || !Array.isArray(value["statements"])) return null;
  return objects(value["statements"]).map((r) => {
    const s = isObject(r["statement"]) ? r["statement"] : {};
    return {
      reference: str(s["reference"]),
      number: str(s["number"]),
      account: str(s["account"]),
      from: str(s["from"]),
      to: str(s["to"]),
      // Absent from a hub of before: no note.
      previousImport: isObject(r["previousImport"])
        ? { at: str(r["previousImport"]["at"]), login: str(r["previousImport"]["login"]) }
        : null,
      matched: pairs(r["matched"]),
      different: pairs(r["different"]),
      missing: objects(r["missing"]).map((x) => expectedLine(x, [])),
      extra: objects(r["extra"]).map(statementLine),
    };
  });
}

/** A refused import's listed errors (problem member `errors`). */
export function decodeImportErrors(
  value: unknown,
): Array<{ line: number | null; field: string; message: string; problem: string; value: string }> {
  return objects(value).map((e) => ({
    line: typeof e["line"] === "number" && e["line"] > 0 ? int(e["line"]) : null,
    field: str(e["field"]),
    message: str(e["message"]),
    problem: str(e["problem"]),
    value: str(e["value"]),
  }));
}
