/**
 * A same-day void whose reversal (06 30) the terminal never confirmed: the answer was lost, or the
 * kiosk died between sending it and storing the answer. The terminal may have given the money back
 * while the kiosk still holds the payment as approved (and has told PiK and settlement so). That must
 * not stay silent: `/ready` warns, naming the payment, until a void of it completes (the terminal
 * answers the retry, "already reversed" included) or an end-of-day closes its batch (whose
 * reconciliation against the terminal's totals then says which it was); a restart logs and audits it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { runEndOfDay } from "../../../kiosk/flow/end-of-day.ts";
import { type Harness, makeHarness, postTo, waitForState } from "../../helpers/kiosk-harness.ts";
import { issueSlip } from "../../helpers/test-config.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function pay(harness: Harness): Promise<string> {
  expect((await postTo(harness, "/api/scan", { payload: issueSlip(harness.keys) })).statusCode).toBe(200);
  expect((await postTo(harness, "/api/session/pay")).statusCode).toBe(202);
  await waitForState(harness.kiosk, ["done"]);
  const id = harness.kiosk.flow.view().payment?.id as string;
  await postTo(harness, "/api/session/cancel");
  return id;
}

describe("a void the terminal never confirmed", () => {
  it("warns in /ready until a retried void completes", async () => {
    h = await makeHarness({ logName: "unconfirmed-void" });
    const id = await pay(h);
    const reverse = h.terminal.reverse.bind(h.terminal);
    h.terminal.reverse = async () => {
      throw new Error("no answer from the terminal");
    };
    await expect(h.kiosk.flow.voidPayment(id, "admin:test", "wrong slip")).rejects.toThrow(/did not confirm/);

    const check = (await h.kiosk.readiness())["terminal:void"]?.[0];
    expect(check).toMatchObject({ status: "warn", observedValue: "unconfirmed" });
    expect(check?.output).toContain(id);

    h.terminal.reverse = reverse;
    await h.kiosk.flow.voidPayment(id, "admin:test", "wrong slip");
    expect((await h.kiosk.readiness())["terminal:void"]).toBeUndefined();
  });

  it("is reported after a restart, and the end-of-day that closes its batch hands it to reconciliation", async () => {
    const first = await makeHarness({ logName: "unconfirmed-void-1" });
    const id = await pay(first);
    first.terminal.reverse = () => new Promise(() => {}); // the kiosk dies while waiting
    void first.kiosk.flow.voidPayment(id, "admin:test", "wrong slip").catch(() => {});
    await new Promise((r) => setTimeout(r, 50));
    await first.kiosk.close().catch(() => {});

    h = await makeHarness({ restartOf: first, logName: "unconfirmed-void-2" });
    const check = (await h.kiosk.readiness())["terminal:void"]?.[0];
    expect(check).toMatchObject({ status: "warn", observedValue: "unconfirmed" });
    const audit = h.kiosk.db
      .prepare("SELECT actor, target FROM audit WHERE action = 'void_unconfirmed'")
      .all();
    expect(audit).toEqual([{ actor: "kiosk", target: id }]);

    await runEndOfDay({ db: h.kiosk.db, terminal: h.terminal, config: h.kiosk.config });
    expect((await h.kiosk.readiness())["terminal:void"]).toBeUndefined();
  });
});
