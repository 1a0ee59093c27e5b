import { generateKeyPairSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { journalOf } from "../../../kiosk/store/records.ts";
import { type Harness, makeHarness, postTo, waitForState } from "../../helpers/kiosk-harness.ts";
import { issueSlip } from "../../helpers/test-config.ts";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const post = (url: string, body?: unknown) => postTo(h, url, body);

describe("payment flow through the visitor API", () => {
  it("scan → summary → pay → approved → printing → done, journaling every transition", async () => {
    h = await makeHarness({ logName: "flow-approve" });
    const slip = issueSlip(h.keys);
    const scanned = await post("/api/scan", { payload: slip });
    expect(scanned.statusCode).toBe(200);
    const view = scanned.json();
    expect(view.state).toBe("summary");
    expect(view.total).toBe(16000);
    expect(view.lines.map((l: { code: string; amount: number }) => [l.code, l.amount])).toEqual([
      ["DR", 5400],
      ["TAB", 8000],
      ["NAL", 1250],
      ["PC", 1350],
    ]);
    expect(view.lines[0].label).toBe("Dowód rejestracyjny");
    // Where the money goes: the recipient's code (as SPEC §3 configures it and §6 sends it) and its name.
    expect(view.lines[0].recipient).toBe("POWIAT");
    expect(view.lines[0].recipientName).toBe("Powiat Testowski");

    const paying = await post("/api/session/pay");
    expect(paying.statusCode).toBe(202);
    await waitForState(h.kiosk, ["done"]);
    const done = h.kiosk.flow.view();
    expect(done.payment?.status).toBe("approved");
    expect(done.payment?.maskedPan).toMatch(/^\*+0119$/);
    expect(done.payment?.receiptPrinted).toBe(true);
    expect(done.payment?.verificationCode).toMatch(/^OPLR1\|K01\|/);
    expect(h.printer.printed).toHaveLength(1);
    expect(h.terminal.turnover.map((t) => t.amount)).toEqual([16000]);

    const journal = journalOf(h.kiosk.db, view.id).map((j) => `${j.from_state ?? "-"}>${j.to_state}`);
    expect(journal).toEqual([
      "->summary",
      "summary>authorizing",
      "authorizing>approved",
      "approved>printing",
      "printing>done",
    ]);
    const outbox = h.kiosk.db.prepare("SELECT COUNT(*) AS n FROM outbox").get() as { n: number };
    expect(outbox.n).toBe(0); // no integrations configured in this test
  });

  it("a declined card leaves the slip payable and charges nothing; cancel ends the session", async () => {
    h = await makeHarness({ logName: "flow-decline" });
    h.terminal.behaviour = "decline";
    const view = (await post("/api/scan", { payload: issueSlip(h.keys) })).json();
    await post("/api/session/pay");
    await waitForState(h.kiosk, ["declined"]);
    expect(h.kiosk.flow.view().error?.code).toBe("DECLINED");
    expect(h.terminal.turnover).toHaveLength(0);
    const cancelled = await post("/api/session/cancel");
    expect(cancelled.json().state).toBe("idle");
    const row = h.kiosk.store.get(view.id);
    expect(row?.state).toBe("cancelled");
    expect(journalOf(h.kiosk.db, view.id).map((j) => j.to_state)).toEqual([
      "summary",
      "authorizing",
      "declined",
      "cancelled",
    ]);
  });

  it("a declined payment can be tried again and then succeed", async () => {
    h = await makeHarness({ logName: "flow-retry" });
    h.terminal.behaviour = "decline";
    await post("/api/scan", { payload: issueSlip(h.keys) });
    await post("/api/session/pay");
    await waitForState(h.kiosk, ["declined"]);
    h.terminal.behaviour = "approve";
    expect((await post("/api/session/pay")).statusCode).toBe(202);
    await waitForState(h.kiosk, ["done"]);
    expect(h.terminal.turnover).toHaveLength(1);
  });

  it("cancel while the terminal waits for the card aborts and ends cancelled", async () => {
    h = await makeHarness({ logName: "flow-abort" });
    h.terminal.behaviour = "never";
    const view = (await post("/api/scan", { payload: issueSlip(h.keys) })).json();
    await post("/api/session/pay");
    await waitForState(h.kiosk, ["authorizing"]);
    await post("/api/session/cancel");
    await waitForState(h.kiosk, ["cancelled"]);
    expect(h.kiosk.store.get(view.id)?.payment_status).toBe("declined");
    expect(h.terminal.turnover).toHaveLength(0);
  });

  it("refuses to pay one slip twice", async () => {
    h = await makeHarness({ logName: "flow-twice" });
    const slip = issueSlip(h.keys);
    await post("/api/scan", { payload: slip });
    await post("/api/session/pay");
    await waitForState(h.kiosk, ["done"]);
    const again = await post("/api/scan", { payload: slip });
    expect(again.statusCode).toBe(422);
    expect(again.json().code).toBe("SLIP_ALREADY_PAID");
    expect(again.headers["content-type"]).toContain("application/problem+json");
    expect(h.terminal.turnover).toHaveLength(1);
  });

  it("the database itself refuses a second approved payment of the same slip", async () => {
    h = await makeHarness({ logName: "flow-unique" });
    const slip = issueSlip(h.keys);
    const first = (await post("/api/scan", { payload: slip })).json();
    await post("/api/session/pay");
    await waitForState(h.kiosk, ["done"]);
    const db = h.kiosk.db;
    db.prepare(
      `INSERT INTO sessions (id, kind, state, language, office_id, kiosk_id, slip_id, total, created_at, updated_at)
       VALUES ('X-1', 'slip', 'summary', 'pl', 'PZ1465', 'K01', ?, 16000, 'now', 'now')`,
    ).run(h.kiosk.store.get(first.id)?.slip_id);
    expect(() =>
      db.prepare("UPDATE sessions SET payment_status = 'approved' WHERE id = 'X-1'").run(),
    ).toThrow(/UNIQUE/);
  });
});

describe("bad slips through POST /api/scan", () => {
  const cases: Array<[string, (h: Harness) => string]> = [
    ["SLIP_UNREADABLE", () => "OPL1|PZ1465|garbage"],
    ["SLIP_UNREADABLE", (h) => `${issueSlip(h.keys)}${"x".repeat(2000)}`],
    ["SLIP_UNKNOWN_KEY", (h) => issueSlip(h.keys, { kid: "other" })],
    ["SLIP_SIGNATURE_INVALID", (h) => issueSlip(h.keys, {}, generateKeyPairSync("ed25519").privateKey)],
    ["SLIP_WRONG_OFFICE", (h) => issueSlip(h.keys, { office: "WA0001" })],
    ["SLIP_EXPIRED", (h) => issueSlip(h.keys, { issued: "202601010900", valid: "20260115" })],
    [
      "SLIP_UNKNOWN_COMPONENT",
      (h) => issueSlip(h.keys, { lines: [{ code: "XYZ", amount: 100 }], total: 100 }),
    ],
    ["SLIP_TOTAL_MISMATCH", (h) => issueSlip(h.keys, { lines: [{ code: "DR", amount: 5400 }], total: 5401 })],
  ];
  for (const [code, make] of cases) {
    it(`${code}: 422 with the code, nothing stored but an audit entry`, async () => {
      h = await makeHarness({ logName: `scan-${code}` });
      const res = await post("/api/scan", { payload: make(h) });
      expect(res.statusCode).toBe(422);
      expect(res.json().code).toBe(code);
      const sessions = h.kiosk.db.prepare("SELECT COUNT(*) AS n FROM sessions").get() as { n: number };
      expect(sessions.n).toBe(0);
      const audit = h.kiosk.db.prepare("SELECT action, target FROM audit").all();
      expect(audit).toEqual([{ action: "slip_refused", target: code }]);
      expect(h.kiosk.flow.view().error?.code).toBe(code);
    });
  }

  it("SLIP_ALREADY_PAID from the local record", async () => {
    h = await makeHarness({ logName: "scan-paid" });
    const slip = issueSlip(h.keys);
    await post("/api/scan", { payload: slip });
    await post("/api/session/pay");
    await waitForState(h.kiosk, ["done"]);
    expect((await post("/api/scan", { payload: slip })).json().code).toBe("SLIP_ALREADY_PAID");
  });

  it("malformed JSON, unknown fields and oversized bodies are refused with problems", async () => {
    h = await makeHarness({ logName: "scan-bodies" });
    const bad = await h.kiosk.app.inject({
      method: "POST",
      url: "/api/scan",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe("VALIDATION");
    const extra = await post("/api/scan", { payload: "x", extra: 1 });
    expect(extra.statusCode).toBe(400);
    const big = await post("/api/scan", { payload: "x".repeat(70 * 1024) });
    expect(big.statusCode).toBe(413);
    const negative = await post("/api/basket", {
      items: [{ code: "TAX_LOCAL", amount: -5, reference: "D/1" }],
    });
    // SPEC §4: a basket is built (200) or refused (422), its items' shape included.
    expect(negative.statusCode).toBe(422);
    expect(negative.json().code).toBe("VALIDATION");
    const fractional = await post("/api/basket", {
      items: [{ code: "TAX_LOCAL", amount: 10.5, reference: "D/1" }],
    });
    expect(fractional.statusCode).toBe(422);
    expect((h.kiosk.db.prepare("SELECT COUNT(*) AS n FROM sessions").get() as { n: number }).n).toBe(0);
  });
});

describe("basket", () => {
  it("builds a basket with a variable amount and a reference, and pays it", async () => {
    h = await makeHarness({ logName: "basket" });
    const res = await post("/api/basket", {
      items: [
        { code: "GEO_MAP", quantity: 2 },
        { code: "TAX_LOCAL", amount: 12345, reference: "DEC/7/2026" },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(2 * 5000 + 12345);
    await post("/api/session/pay");
    await waitForState(h.kiosk, ["done"]);
    expect(h.terminal.turnover[0]?.amount).toBe(22345);
  });

  it("refuses a variable amount outside its bounds and a missing required reference", async () => {
    h = await makeHarness({ logName: "basket-bad" });
    const res = await post("/api/basket", { items: [{ code: "TAX_LOCAL", amount: 50 }] });
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(["amount", "reference"]);
  });
});

describe("the technician's scanner test", () => {
  it("takes the next code instead of a payment; a newer test supersedes an older one, whose time-out does not end it", async () => {
    h = await makeHarness({ logName: "flow-scanner-test" });
    const older = h.kiosk.flow.captureNextScan(50);
    const newer = h.kiosk.flow.captureNextScan(5_000);
    expect(await older).toBeNull();
    // Past the older test's time-out: the newer one must still be waiting for the code.
    await new Promise((r) => setTimeout(r, 100));
    const view = await h.kiosk.flow.scan("any code\r\n");
    expect(await newer).toBe("any code");
    expect(view.state).toBe("idle");
    expect(h.kiosk.db.prepare("SELECT COUNT(*) AS n FROM sessions").get()).toEqual({ n: 0 });
  });
});
