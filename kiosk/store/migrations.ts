/**
 * Versioned schema. Migrations are append-only: a released step is never edited, a change is a new
 * step. Each step runs in its own transaction together with its version row.
 */
import type Database from "better-sqlite3";

interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Adds a row's counts to the day's running totals (migration 9), or creates the row. */
const ADD_TO_TOTALS = `ON CONFLICT DO UPDATE SET lines = lines + excluded.lines,
          quantity = quantity + excluded.quantity, amount = amount + excluded.amount;`;

/** Every line of the payment `row` (NEW or OLD in a sessions trigger) into its day's totals, or out (`-`). */
const paymentLines = (row: "NEW" | "OLD", sign: "" | "-") => `INSERT INTO day_line_totals
          SELECT ${row}.business_day, code, recipient, label, recipient_name, recipient_nrb,
                 ${sign}COUNT(*), ${sign}SUM(quantity), ${sign}SUM(amount)
            FROM session_lines WHERE session_id = ${row}.id
           GROUP BY code, recipient, label, recipient_name, recipient_nrb
        ${ADD_TO_TOTALS}`;

/** The line `row` (NEW or OLD in a session_lines trigger) into its approved payment's day, or out (`-`). */
const oneLine = (row: "NEW" | "OLD", sign: "" | "-") => `INSERT INTO day_line_totals
          SELECT business_day, ${row}.code, ${row}.recipient, ${row}.label, ${row}.recipient_name,
                 ${row}.recipient_nrb, ${sign}1, ${sign}${row}.quantity, ${sign}${row}.amount
            FROM sessions WHERE id = ${row}.session_id AND payment_status = 'approved' AND business_day IS NOT NULL
        ${ADD_TO_TOTALS}`;

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: "sessions, lines, journal, outbox, audit, terminal days",
    sql: `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('slip', 'basket')),
        state TEXT NOT NULL CHECK (state IN ('summary','authorizing','approved','declined','unknown','printing','done','cancelled')),
        language TEXT NOT NULL CHECK (language IN ('pl','en','uk')),
        office_id TEXT NOT NULL,
        kiosk_id TEXT NOT NULL,
        slip_id TEXT,
        case_ref TEXT,
        slip_valid TEXT,
        slip_payload TEXT,
        total INTEGER NOT NULL CHECK (total > 0),
        currency TEXT NOT NULL DEFAULT 'PLN' CHECK (currency = 'PLN'),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        error_code TEXT,
        payment_status TEXT CHECK (payment_status IN ('authorizing','approved','declined','unknown','reversed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        -- when the current authorization was asked for: recovery matches the terminal's last transaction against it
        authorizing_at TEXT,
        -- the terminal's 04 0F said approved and was stored before its acknowledgement; the payment is
        -- only committed (reported, printed) once the terminal confirms or recovery proves it charged
        committed_at TEXT,
        paid_at TEXT,
        business_day TEXT,
        auth_code TEXT,
        masked_pan TEXT,
        card_brand TEXT,
        terminal_id TEXT,
        trace_no TEXT,
        receipt_no TEXT,
        terminal_time TEXT,
        receipt_printed INTEGER NOT NULL DEFAULT 0,
        verification_code TEXT,
        reversed_at TEXT,
        reversal_reason TEXT
      );
      -- A slip is paid at most once: while a payment of it is in flight, unknown or approved, no other may start.
      CREATE UNIQUE INDEX sessions_one_payment_per_slip ON sessions(office_id, slip_id)
        WHERE slip_id IS NOT NULL AND payment_status IN ('authorizing', 'unknown', 'approved');
      CREATE INDEX sessions_business_day ON sessions(business_day) WHERE business_day IS NOT NULL;
      CREATE INDEX sessions_open ON sessions(state) WHERE state NOT IN ('done', 'cancelled');

      CREATE TABLE session_lines (
        session_id TEXT NOT NULL REFERENCES sessions(id),
        line_no INTEGER NOT NULL,
        code TEXT NOT NULL,
        label TEXT NOT NULL,
        recipient TEXT NOT NULL,
        recipient_name TEXT NOT NULL,
        recipient_nrb TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
        unit_amount INTEGER,
        reference TEXT,
        is_fee INTEGER NOT NULL DEFAULT 0 CHECK (is_fee IN (0, 1)),
        PRIMARY KEY (session_id, line_no)
      );

      CREATE TABLE journal (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        at TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        reason TEXT NOT NULL,
        data TEXT
      );
      CREATE INDEX journal_session ON journal(session_id);

      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        destination TEXT NOT NULL,
        kind TEXT NOT NULL,
        path TEXT NOT NULL,
        session_id TEXT REFERENCES sessions(id),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        last_status INTEGER,
        delivered_at TEXT
      );
      CREATE INDEX outbox_pending ON outbox(destination, seq) WHERE status = 'pending';

      CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        details TEXT
      );

      CREATE TABLE terminal_days (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        business_day TEXT NOT NULL,
        closed_at TEXT NOT NULL,
        terminal_total INTEGER NOT NULL,
        terminal_count INTEGER NOT NULL,
        terminal_data TEXT,
        kiosk_total INTEGER NOT NULL,
        kiosk_count INTEGER NOT NULL
      );
      CREATE INDEX terminal_days_day ON terminal_days(business_day);

      CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    name: "paid payments in report order",
    // Reports and exports page through a day's (or a year's) payments by (business_day, paid_at, id)
    // without sorting: a keyset page then costs the same at row 1 and at row 1 000 000.
    sql: `
      CREATE INDEX sessions_paid_order ON sessions(business_day, paid_at, id)
        WHERE payment_status IN ('approved', 'reversed');
    `,
  },
  {
    version: 3,
    name: "terminal transactions in order",
    // Recovery asks for the terminal transaction recorded just before an attempt.
    sql: `
      CREATE INDEX sessions_terminal_order ON sessions(authorizing_at) WHERE receipt_no IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: "several slips in one payment",
    // A payment may hold several slips (SPEC §4, §6). Each is a row here, numbered in basket order;
    // a line of a slip names its number. `held` mirrors the session's payment status (a trigger,
    // so no code path can forget it) and a slip is held by at most one payment at a time: the
    // one-payment-per-slip guarantee of sessions(office_id, slip_id), for every slip of a payment,
    // checked in the very statement that starts the payment.
    sql: `
      CREATE TABLE session_slips (
        session_id TEXT NOT NULL REFERENCES sessions(id),
        slip_no INTEGER NOT NULL CHECK (slip_no > 0),
        office_id TEXT NOT NULL,
        slip_id TEXT NOT NULL,
        case_ref TEXT NOT NULL,
        slip_valid TEXT NOT NULL,
        slip_payload TEXT NOT NULL,
        total INTEGER NOT NULL CHECK (total > 0),
        held INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1)),
        PRIMARY KEY (session_id, slip_no),
        UNIQUE (session_id, slip_id)
      );
      CREATE UNIQUE INDEX session_slips_one_payment_per_slip ON session_slips(office_id, slip_id) WHERE held = 1;
      CREATE INDEX session_slips_slip ON session_slips(office_id, slip_id);
      ALTER TABLE session_lines ADD COLUMN slip_no INTEGER;

      INSERT INTO session_slips (session_id, slip_no, office_id, slip_id, case_ref, slip_valid, slip_payload, total, held)
        SELECT id, 1, office_id, slip_id, COALESCE(case_ref, ''), COALESCE(slip_valid, ''), COALESCE(slip_payload, ''),
               (SELECT COALESCE(SUM(amount), total) FROM session_lines l WHERE l.session_id = sessions.id AND l.is_fee = 0),
               CASE WHEN payment_status IN ('authorizing', 'unknown', 'approved') THEN 1 ELSE 0 END
          FROM sessions WHERE slip_id IS NOT NULL;
      UPDATE session_lines SET slip_no = 1
        WHERE is_fee = 0 AND session_id IN (SELECT id FROM sessions WHERE slip_id IS NOT NULL);

      CREATE TRIGGER session_slips_held AFTER UPDATE OF payment_status ON sessions
      BEGIN
        UPDATE session_slips
           SET held = CASE WHEN NEW.payment_status IN ('authorizing', 'unknown', 'approved') THEN 1 ELSE 0 END
         WHERE session_id = NEW.id;
      END;
    `,
  },
  {
    version: 5,
    name: "service login lockout",
    // One row: the escalating PIN lockout must survive a restart (issue 13.4).
    sql: `
      CREATE TABLE service_login_lockout (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        failures INTEGER NOT NULL,
        strikes INTEGER NOT NULL,
        locked_until INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: "alarms; parked outbox messages by payment",
    // Alarms wait for a person's acknowledgement (payment_conflict, end_of_day_mismatch). The outbox
    // worker asks, for each candidate, whether an earlier message of its payment is parked.
    sql: `
      CREATE TABLE alarms (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        raised_at TEXT NOT NULL,
        subject TEXT,
        summary TEXT NOT NULL,
        details TEXT,
        acknowledged_at TEXT,
        acknowledged_by TEXT
      );
      CREATE INDEX alarms_open ON alarms(kind) WHERE acknowledged_at IS NULL;
      CREATE INDEX outbox_parked ON outbox(destination, session_id, seq) WHERE status = 'failed';
    `,
  },
  {
    version: 7,
    name: "cash desk shifts",
    // An attended cash desk (SPEC §10): a cashier's shift, the payments taken in it and who took them.
    // The shift's bearer token is kept as a SHA-256 hash only; its closing report is kept as written.
    sql: `
      CREATE TABLE shifts (
        id TEXT PRIMARY KEY,
        cashier_id TEXT NOT NULL,
        cashier_name TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        business_day TEXT NOT NULL,
        token_hash TEXT NOT NULL,
        closed_at TEXT,
        report TEXT
      );
      -- One desk, one open shift.
      CREATE UNIQUE INDEX shifts_one_open ON shifts((1)) WHERE closed_at IS NULL;
      ALTER TABLE sessions ADD COLUMN cashier_id TEXT;
      ALTER TABLE sessions ADD COLUMN shift_id TEXT REFERENCES shifts(id);
      CREATE INDEX sessions_shift ON sessions(shift_id) WHERE shift_id IS NOT NULL;
    `,
  },
  {
    version: 8,
    name: "recovery stages and the kiosk's own reversals",
    // terminal_stage: how far an attempt got (kiosk/domain/recovery-match.ts StoredStage).
    // terminal_reversals: the kiosk's voids are terminal transactions of their own (receipt and trace
    // numbers); a 06 20 repeating one must be recognised, never taken for a new payment. The row is
    // written before the 06 30 is sent (`requested`) and completed with the terminal's answer.
    sql: `
      ALTER TABLE sessions ADD COLUMN terminal_stage TEXT;
      CREATE TABLE terminal_reversals (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        payment_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('requested', 'done', 'failed')),
        requested_at TEXT NOT NULL,
        amount INTEGER NOT NULL,
        original_receipt_no TEXT,
        original_trace_no TEXT,
        receipt_no TEXT,
        trace_no TEXT,
        terminal_time TEXT,
        recorded_at TEXT
      );
      CREATE INDEX terminal_reversals_order ON terminal_reversals(requested_at);
    `,
  },
  {
    version: 9,
    name: "running line totals per business day",
    // The settlement summary's totals per component and recipient were a GROUP BY over every line of
    // the day, which sorts a million lines on a busy day (issue 17). These running totals hold the
    // lines of approved payments per day and per distinct (code, recipient, label, name, account),
    // so the summary groups a handful of rows with the same result, MIN(label) included. Triggers
    // keep them, so no code path can forget: a payment enters when it becomes approved on a day,
    // leaves when it stops being approved (reversed) or moves day; a line added, changed or removed
    // while its payment is approved moves the totals with it. Zero rows are removed. The index lets
    // the day's count and total per status be read from the index alone (a session row is wide).
    sql: `
      CREATE INDEX sessions_day_status ON sessions(business_day, payment_status, total)
        WHERE business_day IS NOT NULL;

      CREATE TABLE day_line_totals (
        business_day TEXT NOT NULL,
        code TEXT NOT NULL,
        recipient TEXT NOT NULL,
        label TEXT NOT NULL,
        recipient_name TEXT NOT NULL,
        recipient_nrb TEXT NOT NULL,
        lines INTEGER NOT NULL,
        quantity INTEGER NOT NULL,
        amount INTEGER NOT NULL,
        PRIMARY KEY (business_day, code, recipient, label, recipient_name, recipient_nrb)
      ) WITHOUT ROWID;

      INSERT INTO day_line_totals
        SELECT s.business_day, l.code, l.recipient, l.label, l.recipient_name, l.recipient_nrb,
               COUNT(*), SUM(l.quantity), SUM(l.amount)
          FROM sessions s JOIN session_lines l ON l.session_id = s.id
         WHERE s.payment_status = 'approved' AND s.business_day IS NOT NULL
         GROUP BY s.business_day, l.code, l.recipient, l.label, l.recipient_name, l.recipient_nrb;

      CREATE TRIGGER day_line_totals_payment_leaves AFTER UPDATE OF payment_status, business_day ON sessions
        WHEN OLD.payment_status = 'approved' AND OLD.business_day IS NOT NULL
         AND NOT (NEW.payment_status IS 'approved' AND NEW.business_day IS OLD.business_day)
      BEGIN
        ${paymentLines("OLD", "-")}
        DELETE FROM day_line_totals WHERE business_day = OLD.business_day AND lines = 0;
      END;

      CREATE TRIGGER day_line_totals_payment_enters AFTER UPDATE OF payment_status, business_day ON sessions
        WHEN NEW.payment_status = 'approved' AND NEW.business_day IS NOT NULL
         AND NOT (OLD.payment_status IS 'approved' AND OLD.business_day IS NEW.business_day)
      BEGIN
        ${paymentLines("NEW", "")}
      END;

      CREATE TRIGGER day_line_totals_payment_removed AFTER DELETE ON sessions
        WHEN OLD.payment_status = 'approved' AND OLD.business_day IS NOT NULL
      BEGIN
        ${paymentLines("OLD", "-")}
        DELETE FROM day_line_totals WHERE business_day = OLD.business_day AND lines = 0;
      END;

      CREATE TRIGGER day_line_totals_line_added AFTER INSERT ON session_lines
        WHEN (SELECT payment_status FROM sessions WHERE id = NEW.session_id) = 'approved'
      BEGIN
        ${oneLine("NEW", "")}
      END;

      CREATE TRIGGER day_line_totals_line_removed AFTER DELETE ON session_lines
        WHEN (SELECT payment_status FROM sessions WHERE id = OLD.session_id) = 'approved'
      BEGIN
        ${oneLine("OLD", "-")}
        DELETE FROM day_line_totals
         WHERE business_day = (SELECT business_day FROM sessions WHERE id = OLD.session_id) AND lines = 0;
      END;

      CREATE TRIGGER day_line_totals_line_changed
        AFTER UPDATE OF session_id, code, recipient, label, recipient_name, recipient_nrb, quantity, amount
        ON session_lines
      BEGIN
        ${oneLine("OLD", "-")}
        ${oneLine("NEW", "")}
        DELETE FROM day_line_totals WHERE lines = 0
           AND business_day IN (SELECT business_day FROM sessions WHERE id IN (OLD.session_id, NEW.session_id));
      END;
    `,
  },
  {
    version: 10,
    name: "delivered outbox messages by delivery time",
    // The retention rule (kiosk/store/outbox-retention.ts) deletes delivered messages older than its
    // period, oldest first, a batch at a time. Without this index each batch, and each look that finds
    // nothing to delete, read the whole table (every message ever delivered, with its body). Only
    // delivered rows are in it; they are written once (markOutboxDelivered) and deleted once.
    sql: `
      CREATE INDEX outbox_delivered ON outbox(delivered_at) WHERE status = 'delivered';
    `,
  },
];

export function migrate(db: Database.Database): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
  );
  const applied = new Set(
    (db.prepare("SELECT version FROM schema_migrations").all() as Array<{ version: number }>).map(
      (r) => r.version,
    ),
  );
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    }).immediate();
  }
}

export function schemaVersion(db: Database.Database): number {
  const row = db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null };
  return row.v ?? 0;
}
