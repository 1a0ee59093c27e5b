/**
 * The accounting export's rows (SPEC §7) written as CSV text by SQLite itself, one string per page
 * of payments. Reading every column of two million lines into JavaScript values cost most of an
 * export's time (issue 17); here each page crosses into JavaScript as one string, and the text is
 * byte for byte what `csvRow(exportValues(row))` writes: the same formula neutralising
 * (spreadsheet-text.ts), quoting, Polish label and amount format. A differential test holds the two
 * writers together.
 *
 * Neutralising and quoting every cell in SQL costs four times the plain text, and almost no cell
 * needs it; so a page is first written plain (cells joined as they are) and checked in one pass
 * (`isPlainCsv`). Only a page where some cell starts like a formula or holds a quote, a line break
 * or the delimiter is written again the careful way.
 *
 * Pages are bounded by a keyset over the `sessions_paid_order` index as in paid-lines.ts: the
 * connection is free between pages, so an export never blocks the payment flow sharing it.
 */
import type { Db } from "./db.ts";
import { forEachPage, LINE_ORDER, LINE_SLIP, PAGE_LINES, type PageRange, POLISH_LABEL } from "./paid-sql.ts";

/** The export's columns (accounting-export.ts EXPORT_COLUMNS). */
const CELLS = 19;

export interface CsvLineFormat {
  delimiter: "," | ";";
  /** The amount's decimal separator: `.` (standard) or `,` (excel-pl). */
  decimal: "." | ",";
}

export interface CsvScanOptions extends CsvLineFormat, PageRange {
  /** Payments per page (default 1000). */
  pageSize?: number;
}

/** A text cell as csvField writes it: neutralised against formulas, quoted when it must be. */
function carefulCell(e: string, delimiter: string): string {
  const formula = `iif(substr(${e}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13)), '''', '')`;
  return `CASE WHEN ${e} IS NULL THEN ''
    WHEN instr(${e}, '${delimiter}') OR instr(${e}, '"') OR instr(${e}, char(13)) OR instr(${e}, char(10))
      THEN '"' || ${formula} || replace(${e}, '"', '""') || '"'
    ELSE ${formula} || ${e} END`;
}

/** formatPlain / formatPlainComma: integer grosze as `-12.34` / `-12,34`. */
function amountCell(e: string, decimal: string): string {
  return `printf('%s%d${decimal}%02d', iif(${e} < 0, '-', ''), abs(${e}) / 100, abs(${e}) % 100)`;
}

/**
 * One row of the export as SQL. `concat_ws` joins the cells in one call (a chain of `||` copies the
 * growing row once per cell) and skips NULLs, so every cell that may be NULL is written `''` first.
 */
function lineSql({ delimiter, decimal }: CsvLineFormat, careful: boolean): string {
  const text = (e: string) => (careful ? carefulCell(e, delimiter) : `coalesce(${e}, '')`);
  const cells = [
    text("s.id"),
    text("s.paid_at"),
    text("s.office_id"),
    text("s.kiosk_id"),
    text(LINE_SLIP("slip_id")),
    text(LINE_SLIP("case_ref")),
    "coalesce(l.line_no, '')",
    text("l.code"),
    text(POLISH_LABEL),
    text("l.recipient"),
    text("l.recipient_nrb"),
    amountCell("l.amount", decimal),
    text("s.currency"),
    text("s.card_brand"),
    text("s.masked_pan"),
    text("s.auth_code"),
    text("s.terminal_id"),
    text("s.trace_no"),
    text("s.payment_status"),
  ];
  if (cells.length !== CELLS) throw new Error("the export's columns changed without its SQL");
  return `concat_ws('${delimiter}', ${cells.join(", ")}) || char(13, 10)`;
}

/**
 * A page's rows as one UTF-8 BLOB: it reaches JavaScript as a Buffer that goes to the stream as it is,
 * where text would be decoded into a JavaScript string and encoded again on the way out (a third of
 * the export's time when the text holds Polish letters).
 */
const PAGE_SQL = (format: CsvLineFormat, careful: boolean) => `
  SELECT count(*) AS lines, CAST(coalesce(group_concat(line, ''), '') AS BLOB) AS text FROM (
    SELECT ${lineSql(format, careful)} AS line
      ${PAGE_LINES}
     ORDER BY ${LINE_ORDER})`;

const CHAR = { quote: 34, cr: 13, lf: 10, tab: 9, equals: 61, plus: 43, minus: 45, at: 64 } as const;

/** What a byte is to isPlainCsv: part of a cell, the delimiter, a row's CR, or never plain. */
enum Kind {
  Cell = 0,
  Delimiter = 1,
  Cr = 2,
  NeverPlain = 3,
}

/** The kinds of the 256 bytes for each delimiter (a page is checked byte by byte: a lookup each). */
const KINDS = new Map<number, Uint8Array>();

function kinds(delimiter: number): Uint8Array {
  let table = KINDS.get(delimiter);
  if (!table) {
    table = new Uint8Array(256);
    table[delimiter] = Kind.Delimiter;
    table[CHAR.cr] = Kind.Cr;
    table[CHAR.quote] = Kind.NeverPlain;
    table[CHAR.lf] = Kind.NeverPlain;
    KINDS.set(delimiter, table);
  }
  return table;
}

/** The bytes a cell must not start with (spreadsheet-text.ts: a formula). */
const FORMULA_START = new Uint8Array(256);
for (const c of [CHAR.equals, CHAR.plus, CHAR.minus, CHAR.at, CHAR.tab]) FORMULA_START[c] = 1;

/**
 * True when `text` is exactly `rows` rows of CELLS cells joined by `delimiter` and ended by CRLF, and
 * no cell holds a quote or a line break or starts like a formula: then quoting and neutralising would
 * change nothing. A cell holding the delimiter shows as a row with too many cells.
 */
export function isPlainCsv(text: string | Uint8Array, rows: number, delimiter: string): boolean {
  return isPlainCsvBytes(typeof text === "string" ? Buffer.from(text) : text, rows, delimiter.charCodeAt(0));
}

/**
 * isPlainCsv over UTF-8: every byte checked is ASCII, and no byte of a longer character is ASCII.
 * Each cell is skipped in a tight loop over its ordinary bytes (a third faster than testing every
 * byte for every case: this check reads every byte the export writes).
 */
function isPlainCsvBytes(bytes: Uint8Array, rows: number, delimiter: number): boolean {
  const kind = kinds(delimiter);
  const n = bytes.length;
  let seen = 0;
  let separators = 0;
  let i = 0;
  while (i < n) {
    if (FORMULA_START[bytes[i] as number] === 1) return false;
    while (i < n && kind[bytes[i] as number] === Kind.Cell) i++;
    if (i === n) return false;
    const k = kind[bytes[i] as number];
    if (k === Kind.NeverPlain) return false;
    if (k === Kind.Delimiter) {
      separators++;
      i++;
      continue;
    }
    if (bytes[i + 1] !== CHAR.lf || separators !== CELLS - 1) return false;
    i += 2;
    seen++;
    separators = 0;
  }
  return seen === rows;
}

/** Calls `onPage` with each page's CSV text (UTF-8, rows ending in CRLF) and its number of rows. */
export async function scanPaidLinesCsv(
  db: Db,
  options: CsvScanOptions,
  onPage: (text: Buffer, rows: number) => void,
  betweenPages: () => Promise<void> = async () => {},
): Promise<void> {
  const plain = db.prepare(PAGE_SQL(options, false));
  const careful = db.prepare(PAGE_SQL(options, true));
  type Page = { lines: number; text: Buffer };
  await forEachPage(
    db,
    options,
    options.pageSize ?? 1000,
    (params) => {
      let page = plain.get(...params) as Page;
      if (!isPlainCsv(page.text, page.lines, options.delimiter)) page = careful.get(...params) as Page;
      if (page.lines > 0) onPage(page.text, page.lines);
    },
    betweenPages,
  );
}
