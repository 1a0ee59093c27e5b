-- The settlement report at a month of ten million transactions: set-based, and its rows leave the
-- database already written as JSON or CSV, so the hub passes text through instead of parsing
-- twenty columns per row and formatting them again.

-- A transaction counts once per recipient account however many of its splits go there (a payment
-- of two slips pays the county twice). Kept per split as it is booked, so the per-recipient count
-- is count(*) FILTER (WHERE first_for_recipient) instead of a count(DISTINCT) that sorts the month.
ALTER TABLE splits ADD COLUMN first_for_recipient boolean NOT NULL DEFAULT true;
UPDATE splits s SET first_for_recipient = false
 WHERE EXISTS (SELECT 1 FROM splits e
                WHERE e.transaction_id = s.transaction_id AND e.n < s.n
                  AND e.recipient = s.recipient AND e.nrb = s.nrb);
-- No default from now on: whatever books a split states it (hub/store/ingest-store.ts).
ALTER TABLE splits ALTER COLUMN first_for_recipient DROP DEFAULT;

-- One CSV cell (RFC 4180) as kiosk/domain/csv.ts writes a text cell: neutralised against formula
-- injection (a leading ' before = + - @ tab CR, spreadsheet-text.ts), quoted when it holds the
-- delimiter, a quote or a line break, and NULL is an empty cell.
CREATE FUNCTION report_csv_cell(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN v IS NULL THEN ''
            WHEN v ~ '[,"\r\n]'
              THEN '"' || replace(CASE WHEN v ~ '^[=+\-@\t\r]' THEN '''' || v ELSE v END, '"', '""') || '"'
            WHEN v ~ '^[=+\-@\t\r]' THEN '''' || v
            ELSE v END;

-- A CSV line of text cells, each written by report_csv_cell (the few lines that need it: the report
-- tests the plain line first, see hub/store/report-store.ts).
CREATE FUNCTION report_csv_line(cells text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (SELECT string_agg(report_csv_cell(c), ',' ORDER BY i) FROM unnest(cells) WITH ORDINALITY AS u (c, i));

-- Grosze as PLN with a dot and two decimals (kiosk/domain/money.ts formatPlain).
CREATE FUNCTION report_pln(g bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN g < 0 THEN '-' ELSE '' END || (abs(g) / 100)::text || '.' || lpad((abs(g) % 100)::text, 2, '0');

-- The JSON report's nested objects: row_to_json names their members after these fields, in order.
CREATE TYPE report_split AS (recipient text, nrb text, component text, amount bigint, slip text);
CREATE TYPE report_card AS (brand text, "maskedPan" text, "authCode" text, "terminalId" text, "traceNumber" text);
CREATE TYPE report_reversal AS ("reversedAt" text, reason text);
