/**
 * `outbox requeue --accounts-from-config`'s rewrite of a parked settlement transaction: each split's
 * account from the configuration's recipient of the same code, nothing else touched; the daemon and
 * the hub side are in test/integration/ops/office-operations.test.ts.
 */
import { describe, expect, it } from "vitest";
import { makeNrb } from "../../../kiosk/domain/nrb.ts";
import {
  previewAccounts,
  requeueMessages,
  rewriteSplitAccounts,
} from "../../../kiosk/outbox/account-rewrite.ts";
import { settlementSummary } from "../../../kiosk/reports/settlement-summary.ts";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import { insertOutboxMessage, markOutboxParked } from "../../../kiosk/store/outbox.ts";
import { DAY, insertPayment, reportingConfig } from "../../integration/reporting/fixture-day.ts";

const WRONG = makeNrb("10205226", "0000123456789012");
const RIGHT = makeNrb("10205226", "0000555566667777");
const GMINA = makeNrb("10205226", "0000987654321098");

const body = JSON.stringify({
  transactionId: "K01_1",
  total: 16_200,
  splits: [
    { recipient: "POWIAT", nrb: WRONG, component: "DR", amount: 5_400, slip: "S/1" },
    { recipient: "GMINA", nrb: GMINA, component: "PC", amount: 1_350, slip: "S/1" },
    { recipient: "POWIAT", nrb: WRONG, component: "TAB", amount: 9_450, slip: "S/1" },
  ],
});

describe("a parked transaction's accounts from the configuration", () => {
  it("replaces each split's account by its recipient's as configured now, once per change, amounts untouched", () => {
    const out = rewriteSplitAccounts("transaction", body, { POWIAT: { nrb: RIGHT }, GMINA: { nrb: GMINA } });
    if ("refused" in out) throw new Error(out.refused);
    expect(out.changes).toEqual([{ recipient: "POWIAT", from: WRONG, to: RIGHT }]);
    // The payment's lines in the kiosk's records are to name the same accounts as the message.
    expect(out.lineAccounts).toEqual({ POWIAT: RIGHT, GMINA });
    const sent = JSON.parse(out.body) as { total: number; splits: Array<{ nrb: string; amount: number }> };
    expect(sent.splits.map((x) => x.nrb)).toEqual([RIGHT, GMINA, RIGHT]);
    expect(sent.splits.map((x) => x.amount)).toEqual([5_400, 1_350, 9_450]);
    expect(sent.total).toBe(16_200);
  });

  it("takes an account written with spaces in its normal form, and sends as written when nothing changed", () => {
    const spaced = `${RIGHT.slice(0, 2)} ${RIGHT.slice(2, 6)} ${RIGHT.slice(6)}`;
    const same = rewriteSplitAccounts("transaction", body, { POWIAT: { nrb: WRONG }, GMINA: { nrb: GMINA } });
    expect(same).toEqual({ body, changes: [], lineAccounts: { POWIAT: WRONG, GMINA } });
    const out = rewriteSplitAccounts("transaction", body, { POWIAT: { nrb: spaced }, GMINA: { nrb: GMINA } });
    expect("refused" in out ? out : out.changes).toEqual([{ recipient: "POWIAT", from: WRONG, to: RIGHT }]);
  });

  it("refuses a split whose recipient is no longer configured: the message stays parked", () => {
    expect(rewriteSplitAccounts("transaction", body, { POWIAT: { nrb: RIGHT } })).toEqual({
      refused: "recipient GMINA is not in the configuration's recipients",
      recipient: "GMINA",
    });
  });

  it("leaves every other message as written (PiK payments, reversals carry no account)", () => {
    const pik = JSON.stringify({ paymentId: "K01_1.1", lines: [{ code: "DR", recipient: "POWIAT" }] });
    expect(rewriteSplitAccounts("payment", pik, {})).toEqual({ body: pik, changes: [], lineAccounts: {} });
  });
});

/**
 * The requeue with the accounts from the configuration on a real database: the payment's lines in
 * the kiosk's records take the accounts the message goes with, in the requeue's transaction, so the
 * day's summary (per recipient and account, which the payout file is made of) names the corrected
 * account and still sums to the grosz; a refusal leaves message and records as they were; a plain
 * requeue touches no record.
 */
describe("the kiosk's records of a payment requeued with the accounts from the configuration", () => {
  const config = reportingConfig({
    recipients: {
      POWIAT: { name: "Powiat Łódźmierski", nrb: WRONG },
      GMINA: { name: "Gmina Łódźmierz", nrb: GMINA },
      OPERATOR: { name: "Operator", nrb: makeNrb("10205226", "0000555566667777") },
    },
  });
  const corrected: Record<string, { name: string; nrb: string }> = {
    ...config.recipients,
    POWIAT: { name: "Powiat Łódźmierski", nrb: RIGHT },
  };
  const ID = "settlement.transaction.pay-1";
  const NOW = new Date("2026-11-25T12:00:00Z");

  function parkedDay(): Db {
    const db = openDatabase(":memory:");
    for (const [id, lines] of [
      [
        "pay-1",
        [
          { code: "DR", amount: 5_400, recipient: "POWIAT" },
          { code: "PEL", amount: 1_350, recipient: "GMINA" },
          { code: "TAB", amount: 9_450, recipient: "POWIAT" },
        ],
      ],
      ["pay-2", [{ code: "DR", amount: 5_400, recipient: "POWIAT" }]],
    ] as const) {
      insertPayment(db, config, { id, paidAt: `${DAY}T10:00:00+01:00`, lines: [...lines] });
    }
    insertOutboxMessage(
      db,
      {
        id: ID,
        destination: "settlement",
        kind: "transaction",
        path: "/transactions",
        sessionId: "pay-1",
        body: JSON.parse(body),
      },
      NOW,
    );
    markOutboxParked(db, ID, { attempts: 1, status: 422, error: "HTTP 422: UNKNOWN_ACCOUNT", at: NOW });
    return db;
  }

  const lineAccounts = (db: Db, id: string) =>
    (
      db
        .prepare("SELECT recipient_nrb AS nrb FROM session_lines WHERE session_id = ? ORDER BY line_no")
        .all(id) as Array<{ nrb: string }>
    ).map((l) => l.nrb);
  const perAccount = (db: Db) =>
    settlementSummary(db, config, DAY, NOW).totals.perRecipient.map((r) => [r.recipient, r.nrb, r.amount]);

  it("shows the changes first without writing, then corrects the payment's lines with the message, audited", () => {
    const db = parkedDay();
    expect(previewAccounts(db, ID, corrected)).toEqual({
      id: ID,
      changes: [{ recipient: "POWIAT", from: WRONG, to: RIGHT }],
      records: [{ recipient: "POWIAT", from: WRONG, to: RIGHT, lines: 2 }],
    });
    expect(lineAccounts(db, "pay-1")).toEqual([WRONG, GMINA, WRONG]);
    const summary = perAccount(db);
    expect(summary).toEqual([
      ["GMINA", GMINA, 1_350],
      ["POWIAT", WRONG, 20_250],
    ]);

    const result = requeueMessages(db, [ID], "service", NOW, corrected);
    expect(result.requeued).toEqual([ID]);
    expect(result.records[ID]).toEqual([{ recipient: "POWIAT", from: WRONG, to: RIGHT, lines: 2 }]);
    // Only this payment's POWIAT lines; the other payment keeps its account of payment time.
    expect(lineAccounts(db, "pay-1")).toEqual([RIGHT, GMINA, RIGHT]);
    expect(lineAccounts(db, "pay-2")).toEqual([WRONG]);
    expect(perAccount(db)).toEqual([
      ["GMINA", GMINA, 1_350],
      ["POWIAT", WRONG, 5_400],
      ["POWIAT", RIGHT, 14_850],
    ]);
    const sent = JSON.parse(
      (db.prepare("SELECT body FROM outbox WHERE id = ?").get(ID) as { body: string }).body,
    ) as { splits: Array<{ nrb: string; amount: number }> };
    expect(sent.splits.map((x) => x.nrb)).toEqual(lineAccounts(db, "pay-1"));
    const audit = db.prepare("SELECT details FROM audit WHERE action = 'outbox.requeue'").get() as {
      details: string;
    };
    expect(JSON.parse(audit.details)).toEqual({
      accounts: [{ recipient: "POWIAT", from: WRONG, to: RIGHT }],
      records: [{ recipient: "POWIAT", from: WRONG, to: RIGHT, lines: 2 }],
    });
  });

  it("leaves the message parked and the records as they were when a recipient is no longer configured", () => {
    const db = parkedDay();
    const { GMINA: _gone, ...withoutGmina } = corrected;
    expect(previewAccounts(db, ID, withoutGmina)).toEqual({
      id: ID,
      refused: "recipient GMINA is not in the configuration's recipients",
      recipient: "GMINA",
    });
    const result = requeueMessages(db, [ID], "service", NOW, withoutGmina);
    expect(result.refused).toEqual([
      { id: ID, reason: "recipient GMINA is not in the configuration's recipients", recipient: "GMINA" },
    ]);
    expect(lineAccounts(db, "pay-1")).toEqual([WRONG, GMINA, WRONG]);
    expect(db.prepare("SELECT status, body FROM outbox WHERE id = ?").get(ID) as object).toEqual({
      status: "failed",
      body: JSON.stringify(JSON.parse(body)),
    });
    expect(db.prepare("SELECT COUNT(*) AS n FROM audit").get()).toEqual({ n: 0 });
  });

  it("a plain requeue sends as written and changes no record", () => {
    const db = parkedDay();
    expect(requeueMessages(db, [ID], "service", NOW).records).toEqual({});
    expect(lineAccounts(db, "pay-1")).toEqual([WRONG, GMINA, WRONG]);
    expect(previewAccounts(db, ID, corrected)).toBeUndefined();
  });
});
