/**
 * A bank statement in MT940 (the `.STA` text Polish banks export): `:20:` reference, `:25:` account,
 * `:28C:` number, `:60F:`/`:60M:` opening balance, `:61:` entries each with its `:86:` details,
 * `:62F:`/`:62M:` closing balance. Pure: text in, statements or a list of import errors out.
 * Amounts become integer grosze without floating point; a currency other than PLN is an import
 * error (the hub's ledger is in złoty), as is any field that does not parse or balances that do not add up.
 */
import { normalizeNrb } from "../../kiosk/domain/nrb.ts";

export interface StatementEntry {
  /** 1-based position of its `:61:` in the file, for people to find it. */
  line: number;
  valueDate: string;
  mark: "C" | "D";
  amount: number;
  type: string;
  reference: string;
  details: string;
}

export interface Statement {
  reference: string;
  /** 26 digits when the account is an NRB/IBAN, else as written. */
  account: string;
  number: string;
  currency: "PLN";
  opening: { date: string; amount: number };
  closing: { date: string; amount: number };
  entries: StatementEntry[];
}

/** What is wrong with a statement's field, as a key the back-office page words in its language. */
export type ImportProblem =
  | "no_fields"
  | "field_before_20"
  | "not_balance"
  | "foreign_currency"
  | "balance_mismatch"
  | "no_balances"
  | "not_entry"
  | "no_account"
  | "unknown_account";

export interface ImportError {
  line: number;
  field: string;
  /** The English sentence (for logs and systems that read the API). */
  message: string;
  problem: ImportProblem;
  /** The text the problem is about (a field's start, a currency, an account), when there is one. */
  value?: string;
}

export type ParseResult = { ok: true; statements: Statement[] } | { ok: false; errors: ImportError[] };

const BALANCE = /^([CD])(\d{6})([A-Z]{3})(\d{1,15}(?:,\d{0,2})?)$/;
const ENTRY = /^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?(\d{1,15},\d{0,2})([SNF][A-Z0-9]{3})(.*)$/;

/** `1234,5` → 123450 grosze; integer arithmetic only. */
export function mt940Amount(text: string): number {
  const [whole = "", frac = ""] = text.split(",");
  return Number(whole) * 100 + Number(frac.padEnd(2, "0"));
}

function day(yymmdd: string): string | undefined {
  const y = 2000 + Number(yymmdd.slice(0, 2));
  const m = Number(yymmdd.slice(2, 4));
  const d = Number(yymmdd.slice(4, 6));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

interface Field {
  tag: string;
  value: string;
  line: number;
}

function fieldsOf(text: string): Field[] {
  const fields: Field[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const m = /^:(\d{2}[A-Z]?):(.*)$/.exec(raw);
    if (m) fields.push({ tag: m[1]!, value: m[2]!, line: i + 1 });
    else if (fields.length > 0 && raw !== "-" && raw !== "-}" && raw.trim() !== "")
      fields[fields.length - 1]!.value += `\n${raw}`;
  });
  return fields;
}

export function parseMt940(text: string): ParseResult {
  const errors: ImportError[] = [];
  const statements: Statement[] = [];
  let current: (Partial<Statement> & { entries: StatementEntry[] }) | undefined;
  let entryCount = 0;
  const err = (f: Field, problem: ImportProblem, message: string, value?: string) =>
    errors.push({ line: f.line, field: f.tag, message, problem, ...(value === undefined ? {} : { value }) });
  const balance = (f: Field) => {
    const m = BALANCE.exec(f.value.trim());
    const date = m ? day(m[2]!) : undefined;
    if (!m || !date)
      return void err(
        f,
        "not_balance",
        `not a balance (C|D, YYMMDD, currency, amount): ${f.value.slice(0, 40)}`,
        f.value.slice(0, 40),
      );
    if (m[3] !== "PLN")
      return void err(
        f,
        "foreign_currency",
        `foreign currency ${m[3]}: only PLN statements can be matched`,
        m[3],
      );
    const amount = mt940Amount(m[4]!);
    return { date, amount: m[1] === "D" ? -amount : amount };
  };
  const finish = () => {
    if (!current) return;
    if (current.opening && current.closing) {
      const net = current.entries.reduce((a, e) => a + (e.mark === "C" ? e.amount : -e.amount), 0);
      // Only meaningful when every entry parsed: a skipped broken line would be reported twice.
      if (errors.length === 0 && current.opening.amount + net !== current.closing.amount)
        errors.push({
          line: 0,
          field: "62F",
          message: "opening balance plus entries is not the closing balance",
          problem: "balance_mismatch",
        });
      statements.push(current as Statement);
    } else
      errors.push({
        line: 0,
        field: "60F",
        message: "a statement needs :60F: and :62F: balances",
        problem: "no_balances",
      });
    current = undefined;
  };
  const fields = fieldsOf(text);
  if (fields.length === 0)
    return {
      ok: false,
      errors: [{ line: 1, field: "20", message: "no MT940 fields found", problem: "no_fields" }],
    };
  for (const f of fields) {
    if (f.tag === "20") {
      finish();
      current = { reference: f.value.trim(), currency: "PLN", entries: [] };
      continue;
    }
    if (!current) {
      err(f, "field_before_20", "a field before the statement's :20:");
      continue;
    }
    if (f.tag === "25") {
      const value = f.value.trim().replace(/^\//, "");
      const digits = normalizeNrb(value.split("/").pop() ?? value);
      current.account = /^\d{26}$/.test(digits) ? digits : value;
    } else if (f.tag === "28C") current.number = f.value.trim();
    else if (f.tag === "60F" || f.tag === "60M") {
      const b = balance(f);
      if (b) current.opening = b;
    } else if (f.tag === "62F" || f.tag === "62M") {
      const b = balance(f);
      if (b) current.closing = b;
    } else if (f.tag === "61") {
      entryCount++;
      const [first = "", ...rest] = f.value.split("\n");
      const m = ENTRY.exec(first.trim());
      const valueDate = m ? day(m[1]!) : undefined;
      if (!m || !valueDate) {
        err(f, "not_entry", `not a statement line: ${first.slice(0, 40)}`, first.slice(0, 40));
        continue;
      }
      if (m[4] && m[4] !== "N") {
        // The funds code is the currency's third letter; PLN's is N.
        err(f, "foreign_currency", `foreign currency (funds code ${m[4]})`, m[4]);
        continue;
      }
      current.entries.push({
        line: entryCount,
        valueDate,
        // RC (reversal of a credit) takes money out, RD (reversal of a debit) puts it back.
        mark: m[3] === "C" || m[3] === "RD" ? "C" : "D",
        amount: mt940Amount(m[5]!),
        type: m[6]!,
        reference: [m[7]!, ...rest].join(" ").trim(),
        details: "",
      });
    } else if (f.tag === "86") {
      const last = current.entries[current.entries.length - 1];
      if (last) last.details = f.value.replace(/\n/g, "").trim();
    }
  }
  finish();
  for (const s of statements)
    if (!s.account) errors.push({ line: 0, field: "25", message: "no :25: account", problem: "no_account" });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, statements };
}
