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
  kind: string;
  date: string;
  reference: string;
  expected: number | null;
  found: number | null;
}

export interface MatchResult {
  matched: MatchLine[];
  missing: MatchLine[];
  extra: MatchLine[];
  different: MatchLine[];
  errors: Array<{ line: number | null; message: string }>;
}

function amountOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) ? value : null;
}

function matchLine(o: Json): MatchLine {
  return {
    kind: str(o["kind"]),
    date: str(o["date"], str(o["valueDate"])),
    reference: str(o["reference"], str(o["title"], str(o["recipient"]))),
    expected: amountOrNull(o["expected"]),
    found: amountOrNull(o["found"] ?? o["actual"]),
  };
}

export function decodeMatch(value: unknown): MatchResult | null {
  if (!isObject(value)) return null;
  return {
    matched: objects(value["matched"]).map(matchLine),
    missing: objects(value["missing"]).map(matchLine),
    extra: objects(value["extra"]).map(matchLine),
    different: objects(value["different"]).map(matchLine),
    errors: objects(value["errors"]).map((e) => ({
      line: typeof e["line"] === "number" ? int(e["line"]) : null,
      message: str(e["message"], str(e["detail"])),
    })),
  };
}
