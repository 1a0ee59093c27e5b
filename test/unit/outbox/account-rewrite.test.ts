/**
 * `outbox requeue --accounts-from-config`'s rewrite of a parked settlement transaction: each split's
 * account from the configuration's recipient of the same code, nothing else touched; the daemon and
 * the hub side are in test/integration/ops/office-operations.test.ts.
 */
import { describe, expect, it } from "vitest";
import { makeNrb } from "../../../kiosk/domain/nrb.ts";
import { rewriteSplitAccounts } from "../../../kiosk/outbox/account-rewrite.ts";

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
    const sent = JSON.parse(out.body) as { total: number; splits: Array<{ nrb: string; amount: number }> };
    expect(sent.splits.map((x) => x.nrb)).toEqual([RIGHT, GMINA, RIGHT]);
    expect(sent.splits.map((x) => x.amount)).toEqual([5_400, 1_350, 9_450]);
    expect(sent.total).toBe(16_200);
  });

  it("takes an account written with spaces in its normal form, and sends as written when nothing changed", () => {
    const spaced = `${RIGHT.slice(0, 2)} ${RIGHT.slice(2, 6)} ${RIGHT.slice(6)}`;
    const same = rewriteSplitAccounts("transaction", body, { POWIAT: { nrb: WRONG }, GMINA: { nrb: GMINA } });
    expect(same).toEqual({ body, changes: [] });
    const out = rewriteSplitAccounts("transaction", body, { POWIAT: { nrb: spaced }, GMINA: { nrb: GMINA } });
    expect("refused" in out ? out : out.changes).toEqual([{ recipient: "POWIAT", from: WRONG, to: RIGHT }]);
  });

  it("refuses a split whose recipient is no longer configured: the message stays parked", () => {
    expect(rewriteSplitAccounts("transaction", body, { POWIAT: { nrb: RIGHT } })).toEqual({
      refused: "recipient GMINA is not in the configuration's recipients",
    });
  });

  it("leaves every other message as written (PiK payments, reversals carry no account)", () => {
    const pik = JSON.stringify({ paymentId: "K01_1.1", lines: [{ code: "DR", recipient: "POWIAT" }] });
    expect(rewriteSplitAccounts("payment", pik, {})).toEqual({ body: pik, changes: [] });
  });
});
