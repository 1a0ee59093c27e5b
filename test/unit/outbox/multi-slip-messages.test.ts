/**
 * SPEC §6 for a payment of several slips and a service: PiK gets one payment per slip
 * (`<payment id>.<n>`, that slip's lines and total, the shared card), settlement one transaction whose
 * splits name their slips; a void reverses each PiK payment. A payment of services only is not PiK's.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KioskConfig } from "../../../kiosk/config/types.ts";
import { enqueuePaymentReports, enqueueReversalReports } from "../../../kiosk/outbox/enqueue.ts";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import { SessionStore } from "../../../kiosk/store/sessions.ts";
import { validBody } from "../../../hub/ingest/schemas.ts";
import { reportingConfig } from "../../integration/reporting/fixture-day.ts";

const config: KioskConfig = reportingConfig({
  integrations: {
    pik: { url: "http://127.0.0.1:1", reporting: "direct" },
    settlement: { url: "http://127.0.0.1:2" },
  },
});
const r = (code: string) => ({
  recipientName: config.recipients[code]!.name,
  recipientNrb: config.recipients[code]!.nrb,
});
const line = (code: string, amount: number, recipient: string, slip?: string) => ({
  code,
  label: { pl: code },
  recipient,
  amount,
  quantity: 1,
  unitAmount: amount,
  isFee: code === "FEE",
  ...(slip ? { slip } : {}),
  ...r(recipient),
});

function payTwoSlipsAndAService(db: Db, id: string): void {
  const store = new SessionStore(db);
  store.insert({
    id,
    language: "pl",
    officeId: "PZ1465",
    kioskId: "K01",
    contents: {
      kind: "basket",
      slips: [
        { id: "S/1", caseRef: "KOM/1/2026", valid: "20261231", payload: "OPL1|…1", total: 13400 },
        { id: "S/2", caseRef: "KOM/2/2026", valid: "20261231", payload: "OPL1|…2", total: 1700 },
      ],
      lines: [
        line("DR", 5400, "POWIAT", "S/1"),
        line("TAB", 8000, "POWIAT", "S/1"),
        line("PEL", 1700, "GMINA", "S/2"),
        line("GEO", 3000, "POWIAT"),
        line("FEE", 200, "OPERATOR"),
      ],
      total: 18300,
    },
    now: "2026-11-25T09:00:00.000Z",
    reason: "test",
  });
  store.transition(id, "summary", "authorizing", "test", { payment_status: "authorizing" });
  store.transition(id, "authorizing", "approved", "test", {
    payment_status: "approved",
    paid_at: "2026-11-25T10:00:00+01:00",
    business_day: "2026-11-25",
    card_brand: "VISA",
    masked_pan: "************0119",
    auth_code: "A1",
    terminal_id: "52100001",
    trace_no: "000001",
    receipt_no: "0001",
  });
}

function bodies(db: Db, destination: string): Array<Record<string, unknown>> {
  return (
    db.prepare("SELECT body FROM outbox WHERE destination = ? ORDER BY seq").all(destination) as Array<{
      body: string;
    }>
  ).map((x) => JSON.parse(x.body) as Record<string, unknown>);
}

describe("messages of a payment of several slips", () => {
  let db: Db;
  beforeEach(() => {
    db = openDatabase(":memory:");
  });
  afterEach(() => db.close());

  it("sends PiK one payment per slip and settlement one transaction whose splits name their slips", () => {
    payTwoSlipsAndAService(db, "P1");
    enqueuePaymentReports(db, "P1", config);
    const card = {
      brand: "VISA",
      maskedPan: "************0119",
      authCode: "A1",
      terminalId: "52100001",
      traceNumber: "000001",
    };
    expect(bodies(db, "pik")).toEqual([
      {
        paymentId: "P1.1",
        office: "PZ1465",
        kiosk: "K01",
        slip: "S/1",
        case: "KOM/1/2026",
        total: 13400,
        currency: "PLN",
        paidAt: "2026-11-25T10:00:00+01:00",
        lines: [
          { code: "DR", amount: 5400, recipient: "POWIAT" },
          { code: "TAB", amount: 8000, recipient: "POWIAT" },
        ],
        card,
      },
      {
        paymentId: "P1.2",
        office: "PZ1465",
        kiosk: "K01",
        slip: "S/2",
        case: "KOM/2/2026",
        total: 1700,
        currency: "PLN",
        paidAt: "2026-11-25T10:00:00+01:00",
        lines: [{ code: "PEL", amount: 1700, recipient: "GMINA" }],
        card,
      },
    ]);
    const [tx] = bodies(db, "settlement");
    expect(tx).toMatchObject({
      transactionId: "P1",
      total: 18300,
      slip: "S/1",
      case: "KOM/1/2026",
      slips: [
        { slip: "S/1", case: "KOM/1/2026", total: 13400 },
        { slip: "S/2", case: "KOM/2/2026", total: 1700 },
      ],
    });
    const splits = tx!.splits as Array<{ component: string; amount: number; slip?: string }>;
    expect(splits.map((s) => [s.component, s.slip ?? null])).toEqual([
      ["DR", "S/1"],
      ["TAB", "S/1"],
      ["PEL", "S/2"],
      ["GEO", null],
      ["FEE", null],
    ]);
    expect(splits.reduce((a, s) => a + s.amount, 0)).toBe(18300);
  });

  it("reverses each PiK payment of a voided payment, under its own id", () => {
    payTwoSlipsAndAService(db, "P2");
    enqueuePaymentReports(db, "P2", config);
    enqueueReversalReports(db, "P2", config, "pomyłka");
    const paths = db.prepare("SELECT destination, path FROM outbox ORDER BY seq").all() as Array<{
      destination: string;
      path: string;
    }>;
    expect(paths.map((p) => `${p.destination} ${p.path}`)).toEqual([
      "pik /payments",
      "pik /payments",
      "settlement /transactions",
      "pik /payments/P2.1/reversal",
      "pik /payments/P2.2/reversal",
      "settlement /transactions/P2/reversal",
    ]);
    expect(bodies(db, "pik").slice(2)).toMatchObject([
      { paymentId: "P2.1", slip: "S/1", total: 13400 },
      { paymentId: "P2.2", slip: "S/2", total: 1700 },
    ]);
  });

  it("sends a payment of services only to settlement alone", () => {
    const store = new SessionStore(db);
    store.insert({
      id: "P3",
      language: "pl",
      officeId: "PZ1465",
      kioskId: "K01",
      contents: { kind: "basket", slips: [], lines: [line("GEO", 3000, "POWIAT")], total: 3000 },
      now: "2026-11-25T09:00:00.000Z",
      reason: "test",
    });
    store.transition("P3", "summary", "approved", "test", {
      payment_status: "approved",
      paid_at: "2026-11-25T10:00:00+01:00",
      business_day: "2026-11-25",
    });
    enqueuePaymentReports(db, "P3", config);
    enqueueReversalReports(db, "P3", config, "pomyłka");
    expect(bodies(db, "pik")).toEqual([]);
    expect(bodies(db, "settlement")).toHaveLength(2);
  });
});

describe("one payment per slip, for every slip of a payment", () => {
  it("refuses to start a payment holding a slip another payment holds, atomically", () => {
    const db = openDatabase(":memory:");
    payTwoSlipsAndAService(db, "A");
    const store = new SessionStore(db);
    store.insert({
      id: "B",
      language: "pl",
      officeId: "PZ1465",
      kioskId: "K01",
      contents: {
        kind: "slip",
        slips: [
          { id: "S/9", caseRef: "", valid: "20261231", payload: "x", total: 100 },
          { id: "S/2", caseRef: "", valid: "20261231", payload: "y", total: 1700 },
        ],
        lines: [line("DR", 100, "POWIAT", "S/9"), line("PEL", 1700, "GMINA", "S/2")],
        total: 1800,
      },
      now: "2026-11-25T09:10:00.000Z",
      reason: "test",
    });
    expect(() =>
      store.transition("B", "summary", "authorizing", "test", { payment_status: "authorizing" }),
    ).toThrow(/UNIQUE constraint failed/);
    expect(store.get("B")?.state).toBe("summary");
    expect(store.slipTaken("PZ1465", "S/2")).toBe("approved");
    expect(store.slipTaken("PZ1465", "S/9")).toBeNull();
    // Once A is reversed its slips are free again.
    db.prepare("UPDATE sessions SET payment_status = 'reversed' WHERE id = 'A'").run();
    expect(store.slipTaken("PZ1465", "S/2")).toBeNull();
    expect(
      store.transition("B", "summary", "authorizing", "test", { payment_status: "authorizing" }).state,
    ).toBe("authorizing");
    db.close();
  });
});

describe("the settlement messages against the hub's edge (contracts/settlement.ts)", () => {
  it("stores a transaction and its reversal that the hub's schemas accept as they are", () => {
    const db = openDatabase(":memory:");
    payTwoSlipsAndAService(db, "P9");
    enqueuePaymentReports(db, "P9", config);
    enqueueReversalReports(db, "P9", config, "pomyłka");
    const [transaction, reversal] = bodies(db, "settlement");
    expect(validBody("transaction", transaction).transactionId).toBe("P9");
    expect(validBody("reversal", reversal).transactionId).toBe("P9");
    db.close();
  });
});
