/**
 * The settlement summary's totals per component and recipient come from running totals kept by
 * triggers (migration 9, `day_line_totals`) instead of a GROUP BY over every line of the day. They
 * must give exactly what that GROUP BY gives (per code, recipient and account; MIN of label and name) — after
 * every change a payment can go through: approved, reversed, moved to another day, lines added,
 * changed or removed while approved, the session deleted; and the migration's backfill of a database
 * that already holds payments must give the same.
 */
import { describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import { componentTotals } from "../../../kiosk/store/day-payments.ts";
import { migrate } from "../../../kiosk/store/migrations.ts";
import { reportingConfig, seedFixedDay } from "../../integration/reporting/fixture-day.ts";

/** What the summary computed before the running totals: the reference. */
function groupedLines(db: Db, day: string): unknown[] {
  return db
    .prepare(
      `SELECT l.code, MIN(l.label) AS label, l.recipient, MIN(l.recipient_name) AS name,
              l.recipient_nrb AS nrb, COUNT(*) AS lines, SUM(l.quantity) AS quantity, SUM(l.amount) AS amount
         FROM sessions s JOIN session_lines l ON l.session_id = s.id
        WHERE s.business_day = ? AND s.payment_status = 'approved'
        GROUP BY l.code, l.recipient, l.recipient_nrb ORDER BY l.code, l.recipient, l.recipient_nrb`,
    )
    .all(day);
}

const DAYS = ["2026-11-24", "2026-11-25", "2026-11-26"];

/** Compares every day; returns how many groups there were (so a test can see it compared something). */
function expectSameTotals(db: Db, step: string): number {
  let groups = 0;
  for (const day of DAYS) {
    const expected = groupedLines(db, day);
    expect(componentTotals(db, day), `${step}, ${day}`).toEqual(expected);
    groups += expected.length;
  }
  return groups;
}

/** A small deterministic generator, so a failing sequence can be replayed. */
function random(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x % n;
  };
}

const CODES = ["DR", "PEL", "TAB", "FEE"];
const RECIPIENTS: Array<[string, string, string]> = [
  ["POWIAT", "Powiat Łódźmierski", "14102052260000123456789012"],
  ["POWIAT", "Powiat (stara nazwa)", "14102052260000123456789012"],
  ["GMINA", "Gmina", "10101023000000987654321098"],
  ["OPERATOR", "Operator", "19105014450000002262240000"],
];
const LABELS = ['{"pl":"Dowód rejestracyjny"}', '{"pl":"Opłata"}', "plain label", '{"pl":"Ąę"}'];

function newSession(db: Db, id: string): void {
  db.prepare(
    `INSERT INTO sessions (id, kind, state, language, office_id, kiosk_id, total, created_at, updated_at)
     VALUES (?, 'basket', 'summary', 'pl', 'PZ1465', 'K01', 100, '2026-11-25T10:00:00+01:00', '2026-11-25T10:00:00+01:00')`,
  ).run(id);
}

function addLine(db: Db, id: string, lineNo: number, pick: (n: number) => number): void {
  const [recipient, name, nrb] = RECIPIENTS[pick(RECIPIENTS.length)] as [string, string, string];
  db.prepare(
    `INSERT INTO session_lines (session_id, line_no, code, label, recipient, recipient_name, recipient_nrb, amount, quantity)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    lineNo,
    CODES[pick(CODES.length)],
    LABELS[pick(LABELS.length)],
    recipient,
    name,
    nrb,
    1 + pick(10_000),
    1 + pick(3),
  );
}

describe("running line totals per day (day_line_totals)", () => {
  it("equal the GROUP BY over the fixture day", () => {
    const db = openDatabase(":memory:");
    seedFixedDay(db, reportingConfig());
    expectSameTotals(db, "seeded");
  });

  it("equal the GROUP BY after every change a payment and its lines go through", () => {
    const db = openDatabase(":memory:");
    const pick = random(17);
    const sessions: string[] = [];
    const lineCount = new Map<string, number>();
    let stepsWithTotals = 0;
    let reversals = 0;
    for (let step = 0; step < 400; step++) {
      const action = pick(9);
      const id = sessions[pick(Math.max(1, sessions.length))];
      if (action === 0 || !id) {
        const fresh = `s${step}`;
        newSession(db, fresh);
        sessions.push(fresh);
        lineCount.set(fresh, 0);
      } else if (action === 1) {
        const n = (lineCount.get(id) ?? 0) + 1;
        addLine(db, id, n, pick);
        lineCount.set(id, n);
      } else if (action === 2 || action === 3) {
        db.prepare("UPDATE sessions SET payment_status = 'approved', business_day = ? WHERE id = ?").run(
          DAYS[pick(DAYS.length)],
          id,
        );
      } else if (action === 4) {
        db.prepare("UPDATE sessions SET payment_status = ? WHERE id = ?").run(
          ["reversed", "unknown", "approved", "declined"][pick(4)],
          id,
        );
      } else if (action === 5) {
        db.prepare("UPDATE sessions SET business_day = ? WHERE id = ?").run(
          pick(4) === 0 ? null : DAYS[pick(DAYS.length)],
          id,
        );
      } else if (action === 6) {
        db.prepare(
          "UPDATE session_lines SET amount = amount + 1, label = ?, recipient_name = ? WHERE session_id = ? AND line_no = 1",
        ).run(LABELS[pick(LABELS.length)], (RECIPIENTS[pick(RECIPIENTS.length)] as string[])[1], id);
      } else if (action === 7) {
        db.prepare("DELETE FROM session_lines WHERE session_id = ? AND line_no = ?").run(
          id,
          lineCount.get(id) ?? 0,
        );
      } else {
        db.prepare("DELETE FROM session_lines WHERE session_id = ?").run(id);
        db.prepare("DELETE FROM sessions WHERE id = ?").run(id);
        sessions.splice(sessions.indexOf(id), 1);
      }
      if (expectSameTotals(db, `step ${step} (action ${action})`) > 1) stepsWithTotals++;
      reversals += (
        db.prepare("SELECT COUNT(*) AS n FROM sessions WHERE payment_status = 'reversed'").get() as {
          n: number;
        }
      ).n;
    }
    // The sequence did reach the interesting states, so the comparisons above compared something.
    expect(stepsWithTotals).toBeGreaterThan(50);
    expect(reversals).toBeGreaterThan(0);
  });

  it("are filled from the payments already stored when the migration runs", () => {
    const db = openDatabase(":memory:");
    seedFixedDay(db, reportingConfig());
    // Back to the schema before migration 9, with the payments in place.
    db.exec(`DROP TABLE day_line_totals;
      DROP TRIGGER day_line_totals_payment_leaves; DROP TRIGGER day_line_totals_payment_enters;
      DROP TRIGGER day_line_totals_payment_removed; DROP TRIGGER day_line_totals_line_added;
      DROP TRIGGER day_line_totals_line_removed; DROP TRIGGER day_line_totals_line_changed;
      DROP INDEX sessions_day_status; DELETE FROM schema_migrations WHERE version = 9;`);
    migrate(db);
    expectSameTotals(db, "migrated");
    expect(groupedLines(db, "2026-11-25").length).toBeGreaterThan(0);
  });
});
