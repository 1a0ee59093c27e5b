/**
 * SPEC §1a, through the visitor API: a second scan of a paid slip says when, where and for how much
 * it was paid, and the device that took the payment prints its confirmation again (a copy) on request,
 * at most three times, each audited; anything that is not a slip this office paid here prints nothing.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, makeHarness, postTo, waitForState } from "../../helpers/kiosk-harness.ts";
import { issueSlip } from "../../helpers/test-config.ts";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const post = (url: string, body?: unknown) => postTo(h, url, body);

async function pay(slip: string): Promise<{ paidAt: string; total: number }> {
  expect((await post("/api/scan", { payload: slip })).statusCode).toBe(200);
  expect((await post("/api/session/pay")).statusCode).toBe(202);
  await waitForState(h.kiosk, ["done"]);
  const view = h.kiosk.flow.view();
  await post("/api/session/cancel");
  return { paidAt: view.payment?.paidAt as string, total: view.total };
}

async function printedCount(n: number): Promise<void> {
  for (let i = 0; i < 200 && h.printer.printed.length < n; i++) await new Promise((r) => setTimeout(r, 10));
  expect(h.printer.printed).toHaveLength(n);
}

function reprints(): number {
  return (
    h.kiosk.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'receipt.reprint.visitor'").get() as {
      n: number;
    }
  ).n;
}

describe("a slip already paid (SPEC §1a)", () => {
  it("is refused with when, where and how much, and its confirmation is reprinted as a copy three times", async () => {
    h = await makeHarness({ logName: "already-paid" });
    const slip = issueSlip(h.keys);
    const paid = await pay(slip);
    await printedCount(1);

    const again = await post("/api/scan", { payload: slip });
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({
      code: "SLIP_ALREADY_PAID",
      paid: { paidAt: paid.paidAt, kiosk: "K01", total: paid.total, reprint: true },
    });

    for (let n = 1; n <= 3; n++) {
      const reprint = await post("/api/reprint", { payload: slip });
      expect(reprint.statusCode).toBe(202);
      await printedCount(1 + n);
      expect(h.printer.printed[n]?.document).toMatch(/KOPIA/);
    }
    expect(reprints()).toBe(3);

    const fourth = await post("/api/reprint", { payload: slip });
    expect(fourth.statusCode).toBe(409);
    expect(fourth.json().code).toBe("CONFLICT");
    expect((await post("/api/scan", { payload: slip })).json().paid.reprint).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.printer.printed).toHaveLength(4);
    expect(reprints()).toBe(3);
  });

  it("prints nothing for a slip not paid here, a forged slip or a payload that is no slip", async () => {
    h = await makeHarness({ logName: "already-paid-refusals" });
    const unpaid = await post("/api/reprint", { payload: issueSlip(h.keys) });
    expect(unpaid.statusCode).toBe(404);
    expect(unpaid.json().code).toBe("NOT_FOUND");

    const forger = generateKeyPairSync("ed25519").privateKey;
    const forged = await post("/api/reprint", { payload: issueSlip(h.keys, {}, forger) });
    expect(forged.statusCode).toBe(422);
    expect(forged.json().code).toBe("SLIP_SIGNATURE_INVALID");

    const garbage = await post("/api/reprint", { payload: "not a slip" });
    expect(garbage.statusCode).toBe(422);
    expect(garbage.json().code).toBe("SLIP_UNREADABLE");

    expect(h.printer.printed).toHaveLength(0);
    expect(reprints()).toBe(0);
  });
});
