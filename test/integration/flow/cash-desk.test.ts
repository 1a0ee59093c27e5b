/**
 * The attended cash desk (issue 16, SPEC §10) through the daemon: a cashier opens a shift, takes
 * three payments (slips scanned into one basket, services added), voids one with the PIN and a
 * reason, and closes the day's last shift: the report agrees with the database and the terminal's
 * end-of-day, settlement hears the cashier. Wrong PINs, a missing token and a close with a payment
 * unresolved are refused clearly and change nothing stored.
 */
import fs from "node:fs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { hashPin } from "../../../kiosk/auth/pin-hash.ts";
import type { KioskConfig } from "../../../kiosk/config/types.ts";
import type { ShiftReport } from "../../../kiosk/desk/shift-report.ts";
import { CashDesk } from "../../../kiosk/desk/cash-desk.ts";
import { FakeSettlement } from "../../../kiosk/integrations/fake-settlement.ts";
import { type Harness, makeHarness, testLogFile, waitForState } from "../../helpers/kiosk-harness.ts";
import { issueSlip } from "../../helpers/test-config.ts";

let h: Harness | undefined;
let settlement: FakeSettlement | undefined;
afterEach(async () => {
  await h?.close();
  await settlement?.close();
  h = settlement = undefined;
});

let cashiers: KioskConfig["cashiers"];
beforeAll(async () => {
  const cheap = { N: 1024, r: 8, p: 1 };
  cashiers = [
    { id: "ANNA", name: "Anna Nowak", pinHash: await hashPin("123456", cheap) },
    { id: "PIOTR", name: "Piotr Wiśniewski", pinHash: await hashPin("987654", cheap) },
  ];
});

async function desk(extra: Partial<KioskConfig> = {}, now?: () => Date): Promise<Harness> {
  const s = await FakeSettlement.start();
  settlement = s;
  h = await makeHarness({
    logName: "cash-desk",
    ...(now ? { now } : {}),
    config: (c) => ({
      ...c,
      kiosk: { ...c.kiosk, mode: "attended" },
      cashiers,
      integrations: { settlement: { url: s.url } },
      ...extra,
    }),
  });
  return h;
}

function call(harness: Harness, method: "GET" | "POST", url: string, token?: string, payload?: object) {
  return harness.kiosk.app.inject({
    method,
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload ? { payload } : {}),
  });
}

async function openShift(harness: Harness, cashier = "ANNA", pin = "123456"): Promise<string> {
  const res = await call(harness, "POST", "/api/shift/open", undefined, { cashier, pin });
  expect(res.statusCode).toBe(200);
  return res.json().token as string;
}

async function pay(harness: Harness, token: string): Promise<string> {
  expect((await call(harness, "POST", "/api/session/pay", token)).statusCode).toBe(202);
  await waitForState(harness.kiosk, ["done"]);
  const id = harness.kiosk.flow.view().payment?.id as string;
  // The cashier ends the visit: the next basket starts empty.
  expect((await call(harness, "POST", "/api/session/cancel", token)).statusCode).toBe(200);
  return id;
}

const count = (harness: Harness, sql: string) => (harness.kiosk.db.prepare(sql).get() as { n: number }).n;

describe("the attended cash desk", () => {
  it("a shift across midnight closed with the day's end: the end-of-day agrees with the desk's payments of its batch", async () => {
    let at = Date.parse("2026-11-25T19:00:00Z"); // 20:00 in Warsaw: the day shift closed the day
    const harness = await desk({}, () => new Date(at));
    await harness.kiosk.flow.endOfDay("cashier:ANNA");
    at = Date.parse("2026-11-25T22:30:00Z"); // 23:30: the evening shift
    const token = await openShift(harness);
    const service = () => call(harness, "POST", "/api/basket", token, { items: [{ code: "GEO_MAP" }] });
    expect((await service()).statusCode).toBe(200);
    await pay(harness, token);
    at = Date.parse("2026-11-25T23:10:00Z"); // 00:10 on the 26th
    expect((await service()).statusCode).toBe(200);
    await pay(harness, token);
    at = Date.parse("2026-11-25T23:20:00Z");
    const closed = await call(harness, "POST", "/api/shift/close", token, { endOfDay: true });
    expect(closed.statusCode).toBe(200);
    const report = closed.json() as ShiftReport;
    expect(report.shift.businessDay).toBe("2026-11-25");
    expect(report.count).toBe(2);
    // One batch of two payments: the terminal's figures and the desk's are the same two.
    expect(report.endOfDay).toMatchObject({
      terminal: { count: 2, total: 10_000 },
      desk: { count: 2, total: 10_000 },
      status: "match",
    });
  });

  it("a shift: three payments, one void, closed with the day's end — the report agrees with the database and the terminal", async () => {
    const harness = await desk();
    const token = await openShift(harness);
    expect((await call(harness, "GET", "/api/shift", token)).json()).toMatchObject({
      cashier: { id: "ANNA", name: "Anna Nowak" },
      count: 0,
    });

    // 1: two slips scanned one after the other join one basket, plus a service.
    const first = await call(harness, "POST", "/api/scan", token, { payload: issueSlip(harness.keys) });
    expect(first.statusCode).toBe(200);
    const second = await call(harness, "POST", "/api/scan", token, {
      payload: issueSlip(harness.keys, { caseRef: "PJ/9/2026", lines: [{ code: "PEL", amount: 1700 }] }),
    });
    expect(second.json().slips).toHaveLength(2);
    const withService = await call(harness, "POST", "/api/session/services", token, {
      items: [{ code: "TAX_LOCAL", amount: 12345, reference: "DEC/1/2026" }],
    });
    expect(withService.statusCode).toBe(200);
    expect(withService.json().total).toBe(16000 + 1700 + 12345);
    const p1 = await pay(harness, token);

    // 2: services only.
    expect(
      (await call(harness, "POST", "/api/basket", token, { items: [{ code: "GEO_MAP", quantity: 2 }] }))
        .statusCode,
    ).toBe(200);
    const p2 = await pay(harness, token);

    // 3: one slip.
    await call(harness, "POST", "/api/scan", token, {
      payload: issueSlip(harness.keys, { lines: [{ code: "DR", amount: 5400 }] }),
    });
    const p3 = await pay(harness, token);

    // The void: a wrong PIN is refused and changes nothing; the right one reverses on the terminal.
    const wrong = await call(harness, "POST", `/api/shift/payments/${p2}/void`, token, {
      pin: "000000",
      reason: "pomyłka",
    });
    expect(wrong.statusCode).toBe(401);
    expect(count(harness, "SELECT COUNT(*) AS n FROM sessions WHERE payment_status = 'reversed'")).toBe(0);
    const voided = await call(harness, "POST", `/api/shift/payments/${p2}/void`, token, {
      pin: "123456",
      reason: "klient zrezygnował",
    });
    expect(voided.statusCode).toBe(200);

    const closed = await call(harness, "POST", "/api/shift/close", token, { endOfDay: true });
    expect(closed.statusCode).toBe(200);
    const report = closed.json() as ShiftReport;
    const db = harness.kiosk.db;
    const approved = db
      .prepare(
        "SELECT id, total, card_brand FROM sessions WHERE payment_status = 'approved' ORDER BY paid_at",
      )
      .all() as Array<{ id: string; total: number; card_brand: string }>;
    expect(approved.map((p) => p.id)).toEqual([p1, p3]);
    expect(report.shift.cashier).toEqual({ id: "ANNA", name: "Anna Nowak" });
    expect(report.payments.map((p) => [p.id, p.status])).toEqual([
      [p1, "approved"],
      [p2, "reversed"],
      [p3, "approved"],
    ]);
    expect(report.voids).toEqual([
      expect.objectContaining({ id: p2, total: 10000, reason: "klient zrezygnował" }),
    ]);
    const net = approved.reduce((a, p) => a + p.total, 0);
    expect(report.count).toBe(2);
    expect(report.total).toBe(net);
    expect(report.recipients.reduce((a, r) => a + r.total, 0)).toBe(net);
    expect(report.components.reduce((a, r) => a + r.total, 0)).toBe(net);
    expect(report.cardBrands.reduce((a, r) => a + r.total, 0)).toBe(net);
    expect(report.recipients.find((r) => r.code === "GMINA")?.total).toBe(1700 + 12345);
    // The terminal's batch holds what the desk holds: the void is netted out on both sides.
    const terminalNet = harness.terminal.turnover.reduce((a, t) => a + (t.amount ?? 0), 0);
    expect(report.endOfDay).toEqual({
      day: expect.any(String),
      terminal: { count: 2, total: terminalNet },
      desk: { count: 2, total: net },
      status: "match",
    });
    expect(terminalNet).toBe(net);

    // Every payment records its cashier and shift; settlement hears the cashier.
    const tagged = db
      .prepare("SELECT DISTINCT cashier_id, shift_id FROM sessions WHERE payment_status IS NOT NULL")
      .all() as Array<{ cashier_id: string; shift_id: string }>;
    expect(tagged).toEqual([{ cashier_id: "ANNA", shift_id: report.shift.id }]);
    const deadline = Date.now() + 10_000;
    while (settlement!.transactions().length < 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(settlement!.transactions().map((t) => t.body.cashier)).toEqual(["ANNA", "ANNA", "ANNA"]);
    // The cashier's actions are audited under their id; the report was printed.
    const actions = db.prepare("SELECT action FROM audit WHERE actor = 'cashier:ANNA'").all() as Array<{
      action: string;
    }>;
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(["shift.open", "payment.void.failed", "payment.void", "shift.close"]),
    );
    expect(harness.printer.printed.at(-1)?.document).toContain("Raport zmiany kasowej");
    // The token died with the shift.
    expect((await call(harness, "GET", "/api/session", token)).statusCode).toBe(401);
  });

  it("refuses a wrong PIN, a missing token and a close with a payment unresolved, changing nothing", async () => {
    const harness = await desk();
    const shifts = () => count(harness, "SELECT COUNT(*) AS n FROM shifts");
    const wrong = await call(harness, "POST", "/api/shift/open", undefined, {
      cashier: "ANNA",
      pin: "111111",
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: "UNAUTHORIZED", title: "wrong cashier id or PIN" });
    const unknown = await call(harness, "POST", "/api/shift/open", undefined, {
      cashier: "NOBODY",
      pin: "123456",
    });
    expect(unknown.statusCode).toBe(401);
    expect(shifts()).toBe(0);
    expect(
      (await call(harness, "POST", "/api/scan", undefined, { payload: issueSlip(harness.keys) })).statusCode,
    ).toBe(401);
    expect(count(harness, "SELECT COUNT(*) AS n FROM sessions")).toBe(0);
    // /api/kiosk stays open: the page learns it is a cash desk.
    expect((await call(harness, "GET", "/api/kiosk")).json().mode).toBe("attended");

    const token = await openShift(harness, "PIOTR", "987654");
    // Another cashier cannot open a second shift at the same desk.
    expect(
      (await call(harness, "POST", "/api/shift/open", undefined, { cashier: "ANNA", pin: "123456" }))
        .statusCode,
    ).toBe(409);
    await call(harness, "POST", "/api/scan", token, { payload: issueSlip(harness.keys) });
    harness.terminal.behaviour = "never";
    expect((await call(harness, "POST", "/api/session/pay", token)).statusCode).toBe(202);
    const refused = await call(harness, "POST", "/api/shift/close", token, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().title).toMatch(/a payment is unresolved/);
    expect(count(harness, "SELECT COUNT(*) AS n FROM shifts WHERE closed_at IS NULL")).toBe(1);
    expect((await call(harness, "GET", "/api/shift", token)).statusCode).toBe(200);
  });

  it("answers a PIN of another shape (four digits, letters) as a wrong PIN: 401, on open and on void", async () => {
    const harness = await desk();
    for (const pin of ["1234", "abcdef", "12345678901234"]) {
      const res = await call(harness, "POST", "/api/shift/open", undefined, { cashier: "ANNA", pin });
      expect([res.statusCode, res.json().code]).toEqual([401, "UNAUTHORIZED"]);
    }
    expect(count(harness, "SELECT COUNT(*) AS n FROM shifts")).toBe(0);
    const token = await openShift(harness);
    await call(harness, "POST", "/api/scan", token, { payload: issueSlip(harness.keys) });
    const id = await pay(harness, token);
    const voided = await call(harness, "POST", `/api/shift/payments/${id}/void`, token, {
      pin: "1234",
      reason: "pomyłka",
    });
    expect([voided.statusCode, voided.json().code]).toEqual([401, "UNAUTHORIZED"]);
    expect(count(harness, "SELECT COUNT(*) AS n FROM sessions WHERE payment_status = 'approved'")).toBe(1);
  });

  it("lets the cashier whose shift is open take it up again after the token is lost (resume), and nobody else", async () => {
    const harness = await desk();
    const lost = await openShift(harness);
    await call(harness, "POST", "/api/scan", lost, { payload: issueSlip(harness.keys) });
    const first = await pay(harness, lost);
    const shiftId = (await call(harness, "GET", "/api/shift", lost)).json().id as string;
    // Without resume a second open is refused, whoever asks; with it, another cashier still is.
    expect(
      (await call(harness, "POST", "/api/shift/open", undefined, { cashier: "ANNA", pin: "123456" }))
        .statusCode,
    ).toBe(409);
    const other = { cashier: "PIOTR", pin: "987654", resume: true };
    expect((await call(harness, "POST", "/api/shift/open", undefined, other)).statusCode).toBe(409);
    const wrong = { cashier: "ANNA", pin: "111111", resume: true };
    expect((await call(harness, "POST", "/api/shift/open", undefined, wrong)).statusCode).toBe(401);
    const resumed = await call(harness, "POST", "/api/shift/open", undefined, {
      cashier: "ANNA",
      pin: "123456",
      resume: true,
    });
    expect(resumed.statusCode).toBe(200);
    const token = resumed.json().token as string;
    expect(token).not.toBe(lost);
    expect(resumed.json().shift).toMatchObject({ id: shiftId, cashier: { id: "ANNA" } });
    expect((await call(harness, "GET", "/api/shift", lost)).statusCode).toBe(401);
    expect((await call(harness, "GET", "/api/shift", token)).json()).toMatchObject({ id: shiftId, count: 1 });
    expect(count(harness, "SELECT COUNT(*) AS n FROM shifts")).toBe(1);
    expect(count(harness, "SELECT COUNT(*) AS n FROM audit WHERE action = 'shift.resume'")).toBe(1);
    const report = (await call(harness, "POST", "/api/shift/close", token, {})).json();
    expect(report.payments.map((p: { id: string }) => p.id)).toEqual([first]);
  });

  it("opens a shift for a cashier id typed in another case, recorded as configured; the shift id is in the office's time", async () => {
    const harness = await desk();
    const res = await call(harness, "POST", "/api/shift/open", undefined, { cashier: "anna", pin: "123456" });
    expect(res.statusCode).toBe(200);
    const shift = res.json().shift as { id: string; cashier: { id: string }; openedAt: string };
    expect(shift.cashier.id).toBe("ANNA");
    // K01_SH_<the local time the shift opened, as openedAt shows it>_<4 hex>, not UTC's.
    const local = shift.openedAt.replace(/\D/g, "").slice(0, 14);
    expect(shift.id).toMatch(new RegExp(`_SH_${local}_[0-9A-F]{4}$`));
    expect(shift.openedAt).toMatch(/\+0[12]:00$/);
    // A wrong PIN for the same id in any case is still a wrong PIN.
    expect((await call(harness, "POST", "/api/shift/close", res.json().token as string, {})).statusCode).toBe(
      200,
    );
    const wrong = await call(harness, "POST", "/api/shift/open", undefined, {
      cashier: "Anna",
      pin: "000000",
    });
    expect(wrong.statusCode).toBe(401);
  });

  it("reads a closed shift's report again (JSON, PDF) with that shift's last token for 30 minutes, and nothing else with it", async () => {
    const harness = await desk();
    const token = await openShift(harness);
    await call(harness, "POST", "/api/scan", token, { payload: issueSlip(harness.keys) });
    await pay(harness, token);
    // Before the close the open shift's token reads no closed report.
    expect((await call(harness, "GET", "/api/shift/closed/report", token)).statusCode).toBe(401);
    const closed = await call(harness, "POST", "/api/shift/close", token, {});
    expect(closed.statusCode).toBe(200);
    const again = await call(harness, "GET", "/api/shift/closed/report", token);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(closed.json());
    // The token goes in the header only: in a URL it would stay in the browser's history and in logs.
    const inUrl = await harness.kiosk.app.inject({
      method: "GET",
      url: `/api/shift/closed/report?format=pdf&token=${encodeURIComponent(token)}`,
    });
    expect(inUrl.statusCode).toBe(400);
    const pdf = await call(harness, "GET", "/api/shift/closed/report?format=pdf", token);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers["content-type"]).toMatch(/^application\/pdf/);
    expect(pdf.headers["content-disposition"]).toContain(`shift-${closed.json().shift.id}.pdf`);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    // The closed shift's token opens nothing: no shift, no basket, no second close.
    for (const [method, url] of [
      ["GET", "/api/shift"],
      ["GET", "/api/session"],
      ["POST", "/api/shift/close"],
    ] as const)
      expect((await call(harness, method, url, token, method === "POST" ? {} : undefined)).statusCode).toBe(
        401,
      );
    expect((await call(harness, "GET", "/api/shift/closed/report", "opl_d_other")).statusCode).toBe(401);
    expect((await call(harness, "GET", "/api/shift/closed/report")).statusCode).toBe(401);
    // Half an hour after the close the token reads nothing either.
    const d = harness.kiosk.desk as unknown as { deps: { now: () => Date } };
    const now = d.deps.now;
    d.deps.now = () => new Date(now().getTime() + 31 * 60_000);
    try {
      expect((await call(harness, "GET", "/api/shift/closed/report", token)).statusCode).toBe(401);
    } finally {
      d.deps.now = now;
    }
  });

  it("lists the cashier's own closed shifts, newest first and paged, with each report; no token in a URL or a log", async () => {
    const harness = await desk();
    const shiftOf = async (cashier: string, pin: string, pays: number) => {
      const token = await openShift(harness, cashier, pin);
      for (let i = 0; i < pays; i++) {
        await call(harness, "POST", "/api/scan", token, { payload: issueSlip(harness.keys) });
        await pay(harness, token);
      }
      const closed = await call(harness, "POST", "/api/shift/close", token, {});
      expect(closed.statusCode).toBe(200);
      return closed.json() as ShiftReport;
    };
    const first = await shiftOf("ANNA", "123456", 1);
    const piotrs = await shiftOf("PIOTR", "987654", 1);
    const second = await shiftOf("ANNA", "123456", 2);
    const token = await openShift(harness, "anna");
    const listed = await call(harness, "GET", "/api/shift/history", token);
    expect(listed.statusCode).toBe(200);
    const entry = (r: ShiftReport) => ({
      id: r.shift.id,
      cashier: { id: "ANNA", name: "Anna Nowak" },
      businessDay: r.shift.businessDay,
      openedAt: r.shift.openedAt,
      closedAt: r.shift.closedAt,
      count: r.count,
      total: r.total,
    });
    // Anna's two, the newest first; Piotr's is not hers, the open shift is not closed.
    expect(listed.json()).toEqual({ items: [entry(second), entry(first)], total: 2, limit: 10, offset: 0 });
    expect(second.count).toBe(2);
    const paged = await call(harness, "GET", "/api/shift/history?limit=1&offset=1", token);
    expect(paged.json()).toEqual({ items: [entry(first)], total: 2, limit: 1, offset: 1 });
    expect((await call(harness, "GET", "/api/shift/history?limit=0", token)).statusCode).toBe(400);
    expect((await call(harness, "GET", "/api/shift/history")).statusCode).toBe(401);
    // Each of her reports as it closed, JSON and PDF; Piotr's is not found for her.
    const report = await call(harness, "GET", `/api/shift/history/${first.shift.id}/report`, token);
    expect(report.json()).toEqual(first);
    const pdf = await call(harness, "GET", `/api/shift/history/${first.shift.id}/report?format=pdf`, token);
    expect([pdf.statusCode, pdf.headers["content-type"]]).toEqual([200, "application/pdf"]);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    expect(
      (await call(harness, "GET", `/api/shift/history/${piotrs.shift.id}/report`, token)).statusCode,
    ).toBe(404);
    // Only the event stream, which a browser cannot give a header, takes the token in its URL.
    const byUrl = await harness.kiosk.app.inject({
      method: "GET",
      url: `/api/shift/history?token=${encodeURIComponent(token)}`,
    });
    expect(byUrl.statusCode).toBe(401);
    const log = fs.readFileSync(testLogFile("cash-desk"), "utf8");
    expect(log).toContain("/api/shift/history");
    expect(log).not.toContain(token);
    expect(log).not.toContain(token.slice(6));
  });

  it("two shifts of one day, each closed as the day's last: the second report holds the whole day on both sides", async () => {
    // The grosz pass (2026-12-08): the second close compared the day's payments with the second batch
    // alone, so the first shift's payments were missing at the terminal (a false end_of_day_mismatch).
    const harness = await desk();
    const amounts = [5400, 8000];
    for (const amount of amounts) {
      const token = await openShift(harness);
      await call(harness, "POST", "/api/scan", token, {
        payload: issueSlip(harness.keys, { lines: [{ code: "DR", amount }] }),
      });
      await pay(harness, token);
      const closed = await call(harness, "POST", "/api/shift/close", token, { endOfDay: true });
      expect(closed.statusCode).toBe(200);
      const report = closed.json() as ShiftReport;
      const day = amounts.slice(0, amounts.indexOf(amount) + 1);
      const whole = { count: day.length, total: day.reduce((a, b) => a + b, 0) };
      expect(report.endOfDay).toEqual({
        day: expect.any(String),
        terminal: whole,
        desk: whole,
        status: "match",
      });
    }
    expect(count(harness, "SELECT COUNT(*) AS n FROM alarms WHERE kind = 'end_of_day_mismatch'")).toBe(0);
  });

  it("tells the close confirmation when the terminal's day closes by itself (config endOfDay.time)", async () => {
    const harness = await desk({ endOfDay: { time: "18:30" } });
    const token = await openShift(harness);
    const shift = (await call(harness, "GET", "/api/shift", token)).json();
    expect(shift.closing).toEqual({ scheduledEndOfDay: "18:30" });
  });

  it("answers a close whose terminal end-of-day fails 503 DEVICE_UNAVAILABLE and keeps the shift open", async () => {
    const harness = await desk();
    const token = await openShift(harness);
    harness.terminal.endOfDay = () => Promise.reject(new Error("the line to the terminal is down"));
    const refused = await call(harness, "POST", "/api/shift/close", token, { endOfDay: true });
    // The code's status from kiosk/http/errors.ts, as on the service console's end-of-day (was 409).
    expect([refused.statusCode, refused.json().code]).toEqual([503, "DEVICE_UNAVAILABLE"]);
    expect(count(harness, "SELECT COUNT(*) AS n FROM shifts WHERE closed_at IS NULL")).toBe(1);
  });

  it("locks PIN entry after five wrong PINs, even for the right one", async () => {
    const harness = await desk();
    for (let i = 0; i < 5; i++)
      expect(
        (await call(harness, "POST", "/api/shift/open", undefined, { cashier: "ANNA", pin: "000000" }))
          .statusCode,
      ).toBe(401);
    const locked = await call(harness, "POST", "/api/shift/open", undefined, {
      cashier: "ANNA",
      pin: "123456",
    });
    expect(locked.statusCode).toBe(429);
    expect(count(harness, "SELECT COUNT(*) AS n FROM shifts")).toBe(0);
    // A restart of the daemon (a new desk on the same database) does not forgive the wrong PINs.
    const desk0 = harness.kiosk.desk as unknown as { deps: ConstructorParameters<typeof CashDesk>[0] };
    const restarted = new CashDesk(desk0.deps);
    await expect(restarted.open("ANNA", "123456")).rejects.toThrow(/too many wrong PINs/);
  });

  it("answers the shift report as PDF when asked", async () => {
    const harness = await desk();
    const token = await openShift(harness);
    const res = await harness.kiosk.app.inject({
      method: "POST",
      url: "/api/shift/close?format=pdf",
      headers: { authorization: `Bearer ${token}` },
      payload: {},
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/pdf/);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    expect(count(harness, "SELECT COUNT(*) AS n FROM shifts WHERE closed_at IS NOT NULL")).toBe(1);
  });
  it("adds a transfer code scanned while a basket is open to that basket (SPEC §1b, §10), the amount of a 000000 one typed", async () => {
    const s = await FakeSettlement.start();
    settlement = s;
    h = await makeHarness({
      logName: "cash-desk-transfer",
      config: (c) => ({
        ...c,
        kiosk: { ...c.kiosk, mode: "attended" },
        cashiers,
        recipients: {
          ...c.recipients,
          GMINA: {
            ...(c.recipients.GMINA as KioskConfig["recipients"][string]),
            transferCodes: { service: "TAX_LOCAL" },
          },
        },
        integrations: { settlement: { url: s.url } },
      }),
    });
    const harness = h;
    const token = await openShift(harness);
    const nrb = harness.kiosk.config.recipients.GMINA?.nrb as string;
    const transfer = (amount: string, title: string) => `|PL|${nrb}|${amount}|Gmina Testowo|${title}|||`;
    const slip = issueSlip(harness.keys, { lines: [{ code: "DR", amount: 5400 }] });
    expect((await call(harness, "POST", "/api/scan", token, { payload: slip })).statusCode).toBe(200);
    const fixed = await call(harness, "POST", "/api/scan", token, { payload: transfer("012345", "Rata 1") });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json().lines.map((l: { code: string }) => l.code)).toEqual(["DR", "TAX_LOCAL"]);
    expect(fixed.json().total).toBe(5400 + 12_345);
    // A 000000 code beside a line of the same service would have its typed amount land on both.
    const beside = await call(harness, "POST", "/api/scan", token, { payload: transfer("000000", "Rata 2") });
    expect(beside.statusCode).toBe(422);
    expect(beside.json().code).toBe("VALIDATION");
    expect(harness.kiosk.flow.view().total).toBe(5400 + 12_345);
    await pay(harness, token);

    expect(
      (await call(harness, "POST", "/api/scan", token, { payload: issueSlip(harness.keys) })).statusCode,
    ).toBe(200);
    const open = await call(harness, "POST", "/api/scan", token, { payload: transfer("000000", "Rata 2") });
    expect(open.statusCode, open.body).toBe(200);
    expect(open.json().lines.at(-1)).toMatchObject({ code: "TAX_LOCAL", amount: 0, reference: "Rata 2" });
    expect(open.json().total).toBe(16_000);
    expect((await call(harness, "POST", "/api/session/pay", token)).statusCode).toBe(422);
    const typed = await call(harness, "POST", "/api/session/amount", token, { amount: 700 });
    expect(typed.statusCode).toBe(200);
    expect(typed.json().total).toBe(16_700);
    await pay(harness, token);
    expect(harness.terminal.turnover.map((t) => t.amount)).toEqual([5400 + 12_345, 16_700]);
  });

  it("a refused service's 422 lists each field with its rule and bounds, for the desk to word (the rules stay the daemon's)", async () => {
    const harness = await desk();
    const token = await openShift(harness);
    const errors = async (url: string, items: object[]) => {
      const res = await call(harness, "POST", url, token, { items });
      expect(res.statusCode, res.body).toBe(422);
      const body = res.json() as { code: string; errors: Array<Record<string, unknown>> };
      expect(body.code).toBe("VALIDATION");
      // The members before (index, field, message) are kept; rule, min and max are added.
      return body.errors.map(({ message, ...rest }) => {
        expect(typeof message).toBe("string");
        return rest;
      });
    };
    const tax = harness.kiosk.config.catalog.find((i) => i.code === "TAX_LOCAL");
    expect(await errors("/api/basket", [{ code: "GEO_MAP" }, { code: "TAX_LOCAL", amount: 1 }])).toEqual([
      ...(tax?.reference === "required" ? [{ index: 1, field: "reference", rule: "required" }] : []),
      { index: 1, field: "amount", rule: "range", min: tax?.variable?.min, max: tax?.variable?.max },
    ]);
    expect(await errors("/api/basket", [{ code: "GEO_MAP", quantity: 11 }])).toEqual([
      { index: 0, field: "quantity", rule: "range", min: 1, max: 10 },
    ]);
    expect(
      (await call(harness, "POST", "/api/basket", token, { items: [{ code: "GEO_MAP", quantity: 4 }] }))
        .statusCode,
    ).toBe(200);
    // Added to a held line: the line's quantity counts (4 + 7 > 10).
    expect(await errors("/api/session/services", [{ code: "GEO_MAP", quantity: 7 }])).toEqual([
      { index: 0, field: "quantity", rule: "range", min: 1, max: 10 },
    ]);
  });

  it("adds the same fixed-price service again as one line of a higher quantity; typed amounts stay lines of their own", async () => {
    const harness = await desk();
    const token = await openShift(harness);
    const slip = issueSlip(harness.keys, { lines: [{ code: "DR", amount: 5400 }] });
    expect((await call(harness, "POST", "/api/scan", token, { payload: slip })).statusCode).toBe(200);
    const add = async (item: object) => {
      const res = await call(harness, "POST", "/api/session/services", token, { items: [item] });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { total: number; lines: Array<Record<string, unknown>> };
    };
    await add({ code: "GEO_MAP" });
    await add({ code: "TAX_LOCAL", amount: 12_345, reference: "DEC/1/2026" });
    await add({ code: "GEO_MAP", quantity: 2 });
    const view = await add({ code: "TAX_LOCAL", amount: 12_345, reference: "DEC/1/2026" });
    expect(view.lines.map((l) => [l.code, l.quantity, l.amount, l.slip ?? null])).toEqual([
      ["DR", 1, 5400, expect.any(String)],
      ["GEO_MAP", 3, 15_000, null],
      ["TAX_LOCAL", 1, 12_345, null],
      ["TAX_LOCAL", 1, 12_345, null],
    ]);
    const total = 5400 + 3 * 5000 + 2 * 12_345;
    expect(view.total).toBe(total);
    // The default maximum of 10 a basket counts what is held: 3 + 8 is refused and changes nothing.
    const over = await call(harness, "POST", "/api/session/services", token, {
      items: [{ code: "GEO_MAP", quantity: 8 }],
    });
    expect(over.statusCode).toBe(422);
    expect(harness.kiosk.flow.view().total).toBe(total);

    const id = await pay(harness, token);
    // The receipt, the settlement message's splits and the stored lines agree to the grosz.
    const receipt = harness.printer.printed.find((p) => p.id === `${id}-receipt`)?.document ?? "";
    expect(receipt.match(/Wypis z mapy/g)).toEqual(["Wypis z mapy"]);
    expect(receipt).toContain("Wypis z mapy x 3");
    expect(receipt).toContain("150,00");
    const deadline = Date.now() + 10_000;
    while (settlement!.transactions().length < 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const body = settlement!.transactions()[0]?.body as {
      total: number;
      splits: Array<{ component: string; amount: number }>;
    };
    expect(body.total).toBe(total);
    expect(body.splits.reduce((a, s) => a + s.amount, 0)).toBe(total);
    expect(body.splits.filter((s) => s.component === "GEO_MAP").map((s) => s.amount)).toEqual([15_000]);
    const stored = harness.kiosk.db
      .prepare(
        "SELECT code, quantity, amount, unit_amount FROM session_lines WHERE session_id = ? ORDER BY line_no",
      )
      .all(id);
    expect(stored).toContainEqual({ code: "GEO_MAP", quantity: 3, amount: 15_000, unit_amount: 5000 });
    expect(harness.terminal.turnover.map((t) => t.amount)).toEqual([total]);
  });
});
