/**
 * Several slips in one payment (issue 16, SPEC §4, §6, §7) through the daemon: a basket of two slips
 * and a service is charged once, PiK hears of each slip, settlement of one transaction whose splits
 * name their slips, the receipt and the export list both cases, and every sum agrees to the grosz.
 * Bad input answers a clear 422 and changes nothing stored.
 */
import { generateKeyPairSync } from "node:crypto";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { KioskConfig } from "../../../kiosk/config/types.ts";
import { makeNrb } from "../../../kiosk/domain/nrb.ts";
import { businessDay } from "../../../kiosk/domain/time.ts";
import { FakePik } from "../../../kiosk/integrations/fake-pik.ts";
import { FakeSettlement } from "../../../kiosk/integrations/fake-settlement.ts";
import { writeAccountingExport } from "../../../kiosk/reports/accounting-export.ts";
import { settlementReportStream } from "../../../kiosk/reports/settlement-report.ts";
import { type Harness, makeHarness, waitForState } from "../../helpers/kiosk-harness.ts";

let h: Harness | undefined;
let pik: FakePik | undefined;
let settlement: FakeSettlement | undefined;
afterEach(async () => {
  await h?.close();
  await pik?.close();
  await settlement?.close();
  h = pik = settlement = undefined;
});

const officeKey = generateKeyPairSync("ed25519").privateKey;

async function setup(): Promise<{ h: Harness; pik: FakePik; settlement: FakeSettlement }> {
  const p = await FakePik.start({ office: "PZ1465", kid: "pik2026", privateKey: officeKey });
  const s = await FakeSettlement.start();
  pik = p;
  settlement = s;
  h = await makeHarness({
    logName: "multi-slip",
    config: (c: KioskConfig) => ({
      ...c,
      recipients: {
        ...c.recipients,
        OPERATOR: { name: "Operator", nrb: makeNrb("10205226", "0000555566667777") },
      },
      handlingFee: { amount: 250, recipient: "OPERATOR" },
      slips: { trustedKeys: [{ kid: "pik2026", publicKey: p.publicKeyPem }], offlinePolicy: "refuse" },
      integrations: { pik: { url: p.url, reporting: "direct" }, settlement: { url: s.url } },
    }),
  });
  return { h, pik: p, settlement: s };
}

const post = (harness: Harness, url: string, payload?: object) =>
  harness.kiosk.app.inject({ method: "POST", url, ...(payload ? { payload } : {}) });

function counts(harness: Harness): Record<string, number> {
  const n = (table: string) =>
    (harness.kiosk.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    sessions: n("sessions"),
    lines: n("session_lines"),
    slips: n("session_slips"),
    outbox: n("outbox"),
    journal: n("journal"),
  };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("a payment of several slips", () => {
  it("one slip and a service: the receipt prints the slip's lines under it and the service under Usługi", async () => {
    const { h, pik } = await setup();
    const a = pik.issueSlip({
      slip: "S/2026/000301",
      caseRef: "KOM/301/2026",
      lines: [{ code: "DR", amount: 5400 }],
    });
    const built = await post(h, "/api/basket", { items: [{ slip: a }, { code: "GEO_MAP", quantity: 1 }] });
    expect(built.statusCode).toBe(200);
    expect((await post(h, "/api/session/pay")).statusCode).toBe(202);
    await waitForState(h.kiosk, ["done"]);
    await until(() => h.printer.printed.length === 1, "the receipt");
    const receipt = h.printer.printed[0]?.document ?? "";
    const slipHeading = receipt.indexOf("Nr blankietu: S/2026/000301 (KOM/301/2026)");
    const services = receipt.indexOf("|Usługi |");
    expect(slipHeading).toBeGreaterThan(0);
    expect(services).toBeGreaterThan(slipHeading);
    // The slip's own line before the heading of the services, the service after it.
    const view = built.json() as { lines: Array<{ code: string; label: string }> };
    const label = (code: string) => view.lines.find((l) => l.code === code)?.label as string;
    expect(receipt.indexOf(label("DR"), slipHeading)).toBeLessThan(services);
    expect(receipt.indexOf(label("GEO_MAP"))).toBeGreaterThan(services);
  });

  it("two slips and a service: charged once, two PiK payments, one settlement transaction, both cases everywhere", async () => {
    const { h, pik, settlement } = await setup();
    const a = pik.issueSlip({
      slip: "S/2026/000201",
      caseRef: "KOM/201/2026",
      lines: [
        { code: "DR", amount: 5400 },
        { code: "TAB", amount: 8000 },
      ],
    });
    const b = pik.issueSlip({
      slip: "S/2026/000202",
      caseRef: "PJ/7/2026",
      lines: [{ code: "PEL", amount: 1700 }],
    });
    const built = await post(h, "/api/basket", { items: [{ slip: a }, { code: "GEO_MAP", quantity: 2 }] });
    expect(built.statusCode).toBe(200);
    const added = await post(h, "/api/session/slips", { payload: b });
    expect(added.statusCode).toBe(200);
    const view = added.json();
    expect(view.state).toBe("summary");
    expect(view.slip).toMatchObject({ id: "S/2026/000201", caseRef: "KOM/201/2026" });
    expect(view.slips).toEqual([
      { id: "S/2026/000201", caseRef: "KOM/201/2026", valid: expect.any(String), total: 13400 },
      { id: "S/2026/000202", caseRef: "PJ/7/2026", valid: expect.any(String), total: 1700 },
    ]);
    expect(view.lines.map((l: { code: string; slip?: string }) => [l.code, l.slip ?? null])).toEqual([
      ["DR", "S/2026/000201"],
      ["TAB", "S/2026/000201"],
      ["GEO_MAP", null],
      ["PEL", "S/2026/000202"],
    ]);
    expect(view.handlingFee).toMatchObject({ amount: 250 });
    const total = 5400 + 8000 + 10000 + 1700 + 250;
    expect(view.total).toBe(total);

    expect((await post(h, "/api/session/pay")).statusCode).toBe(202);
    await waitForState(h.kiosk, ["done"]);
    const id = h.kiosk.flow.view().payment?.id as string;
    expect(h.terminal.turnover.map((t) => t.amount)).toEqual([total]);

    await until(() => pik.payments().length === 2 && settlement.transactions().length === 1, "deliveries");
    const pikPayments = pik.payments();
    expect(pikPayments.map((p) => [p.paymentId, p.slip, p.case, p.total])).toEqual([
      [`${id}.1`, "S/2026/000201", "KOM/201/2026", 13400],
      [`${id}.2`, "S/2026/000202", "PJ/7/2026", 1700],
    ]);
    expect(pikPayments[0]?.lines).toEqual([
      { code: "DR", amount: 5400, recipient: "POWIAT" },
      { code: "TAB", amount: 8000, recipient: "POWIAT" },
    ]);
    expect(pikPayments[1]?.lines).toEqual([{ code: "PEL", amount: 1700, recipient: "GMINA" }]);
    expect(pikPayments[0]?.card).toEqual(pikPayments[1]?.card);
    expect(pik.slipStatus("S/2026/000201")?.status).toBe("paid");
    expect(pik.slipStatus("S/2026/000202")?.status).toBe("paid");

    const tx = settlement.transactions()[0]?.body;
    expect(tx).toMatchObject({ transactionId: id, total, slip: "S/2026/000201", case: "KOM/201/2026" });
    expect(tx?.slips).toEqual([
      { slip: "S/2026/000201", case: "KOM/201/2026", total: 13400 },
      { slip: "S/2026/000202", case: "PJ/7/2026", total: 1700 },
    ]);
    const splits = tx?.splits as Array<{ component: string; amount: number; slip?: string }>;
    expect(splits.map((s) => [s.component, s.amount, s.slip ?? null])).toEqual([
      ["DR", 5400, "S/2026/000201"],
      ["TAB", 8000, "S/2026/000201"],
      ["GEO_MAP", 10000, null],
      ["PEL", 1700, "S/2026/000202"],
      ["FEE", 250, null],
    ]);
    expect(splits.reduce((sum, s) => sum + s.amount, 0)).toBe(total);

    const receipt = h.printer.printed[0]?.document ?? "";
    for (const text of ["S/2026/000201", "KOM/201/2026", "S/2026/000202", "PJ/7/2026"])
      expect(receipt).toContain(text);

    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(c));
    const day = businessDay(new Date());
    await writeAccountingExport(h.kiosk.db, { from: day, to: day, format: "json" }, out);
    const rows = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.code, r.slip ?? null, r.case ?? null])).toEqual([
      ["DR", "S/2026/000201", "KOM/201/2026"],
      ["TAB", "S/2026/000201", "KOM/201/2026"],
      ["GEO_MAP", null, null],
      ["PEL", "S/2026/000202", "PJ/7/2026"],
      ["FEE", "S/2026/000201", "KOM/201/2026"],
    ]);
    const grosze = rows.reduce((sum, r) => sum + Math.round(Number(r.amount) * 100), 0);
    expect(grosze).toBe(total);

    // The day's settlement report names both slips and cases of the payment, line by line.
    const chunksJson: Buffer[] = [];
    for await (const c of settlementReportStream(h.kiosk.db, h.kiosk.config, day, "json", new Date()))
      chunksJson.push(Buffer.from(c as Buffer));
    const settlementReport = JSON.parse(Buffer.concat(chunksJson).toString("utf8")) as {
      payments: Array<{ paymentId: string; slips?: unknown; lines: Array<{ code: string; slip?: string }> }>;
    };
    const reported = settlementReport.payments.find((p) => p.paymentId === id);
    expect(reported?.slips).toEqual([
      { slip: "S/2026/000201", case: "KOM/201/2026" },
      { slip: "S/2026/000202", case: "PJ/7/2026" },
    ]);
    expect(reported?.lines.map((l) => l.slip ?? null)).toEqual([
      "S/2026/000201",
      "S/2026/000201",
      null,
      "S/2026/000202",
      null,
    ]);

    // The slips are paid: scanning either again is refused, as any paid slip is.
    const again = await post(h, "/api/scan", { payload: b });
    expect(again.statusCode).toBe(422);
    expect(again.json().code).toBe("SLIP_ALREADY_PAID");
  });

  it("refuses bad slips with their code and changes nothing stored", async () => {
    const { h, pik } = await setup();
    const first = pik.issueSlip({
      slip: "S/2026/000301",
      caseRef: "KOM/301/2026",
      lines: [{ code: "DR", amount: 5400 }],
    });
    expect((await post(h, "/api/scan", { payload: first })).statusCode).toBe(200);
    const before = counts(h);
    const summary = h.kiosk.flow.view();

    // Paid at a kiosk a minute ago: the office system says paid.
    const paidElsewhere = pik.issueSlip({ slip: "S/2026/000302", lines: [{ code: "TAB", amount: 8000 }] });
    await fetch(`${pik.url}/payments`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "other-kiosk" },
      body: JSON.stringify({ paymentId: "K02_X", slip: "S/2026/000302", total: 8000 }),
    });
    const cases: Array<[string, object, string]> = [
      ["/api/session/slips", { payload: first }, "SLIP_ALREADY_PAID"],
      ["/api/session/slips", { payload: paidElsewhere }, "SLIP_ALREADY_PAID"],
      ["/api/session/slips", { payload: first.replace("|PZ1465|", "|WA0001|") }, "SLIP_SIGNATURE_INVALID"],
      ["/api/session/slips", { payload: "OPL1|garbage" }, "SLIP_UNREADABLE"],
      ["/api/basket", { items: [{ slip: first }, { slip: first }] }, "SLIP_ALREADY_PAID"],
      ["/api/basket", { items: [{ code: "NO_SUCH" }] }, "VALIDATION"],
      ["/api/basket", { items: [{ code: "TAX_LOCAL", amount: 99, reference: "D/1" }] }, "VALIDATION"],
      ["/api/basket", { items: [{ slip: paidElsewhere }, { code: "GEO_MAP" }] }, "SLIP_ALREADY_PAID"],
    ];
    for (const [url, body, code] of cases) {
      const res = await post(h, url, body);
      expect([url, res.statusCode, res.json().code]).toEqual([url, 422, code]);
    }
    const after = counts(h);
    expect({ ...after, journal: 0 }).toEqual({ ...before, journal: 0 });
    expect(after.journal).toBe(before.journal);
    expect(h.kiosk.flow.view()).toMatchObject({ id: summary.id, state: "summary", total: 5650 });
  });

  it("a slip for another office is refused in a basket with its code", async () => {
    const { h } = await setup();
    // Signed with the trusted key, but for another office.
    const other = await FakePik.start({ office: "WA0001", kid: "pik2026", privateKey: officeKey });
    try {
      const before = counts(h);
      const slip = other.issueSlip({ slip: "S/1", lines: [{ code: "DR", amount: 100 }] });
      const res = await post(h, "/api/basket", { items: [{ code: "GEO_MAP" }, { slip }] });
      expect(res.statusCode).toBe(422);
      expect(res.json().code).toBe("SLIP_WRONG_OFFICE");
      expect(counts(h)).toEqual(before);
    } finally {
      await other.close();
    }
  });
});
