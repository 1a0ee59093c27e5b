/**
 * Whether the terminal's repeated last transaction is the unresolved attempt: a charged payment must
 * never be forgotten (the visitor paid), an older transaction never taken for it (the office would
 * book money nobody paid).
 */
import { describe, expect, it } from "vitest";
import {
  matchLastTransaction,
  type PendingAttempt,
  type RepeatedTransaction,
} from "../../../kiosk/domain/recovery-match.ts";
import { openDatabase } from "../../../kiosk/store/db.ts";
import { completeReversal, recordReversalRequest } from "../../../kiosk/store/reversals.ts";
import { SessionStore } from "../../../kiosk/store/sessions.ts";

const TZ = "Europe/Warsaw";
/** 10:00 in Warsaw in winter (UTC+1) and in summer (UTC+2). */
const WINTER = "2026-01-15T09:00:00.000Z";
const SUMMER = "2026-07-15T08:00:00.000Z";

const attempt = (at: string, receiptNo: string | null = null): PendingAttempt => ({
  total: 9400,
  receiptNo,
  authorizingAt: at,
});

const approved = (more: Partial<RepeatedTransaction> = {}): RepeatedTransaction => ({
  outcome: "approved",
  amount: 9400,
  receiptNumber: "0007",
  traceNumber: "000107",
  ...more,
});

describe("matching the terminal's last transaction to an unresolved attempt", () => {
  it("is charged when the terminal's clock is in Warsaw time, in winter and in summer", () => {
    expect(
      matchLastTransaction(attempt(WINTER), approved({ terminalTime: "2026-01-15T10:00:20" }), null, TZ),
    ).toBe("charged");
    expect(
      matchLastTransaction(attempt(SUMMER), approved({ terminalTime: "2026-07-15T10:00:20" }), null, TZ),
    ).toBe("charged");
  });

  it("is charged when the terminal's clock is set to UTC", () => {
    expect(
      matchLastTransaction(attempt(WINTER), approved({ terminalTime: "2026-01-15T09:00:20" }), null, TZ),
    ).toBe("charged");
    expect(
      matchLastTransaction(attempt(SUMMER), approved({ terminalTime: "2026-07-15T08:00:20" }), null, TZ),
    ).toBe("charged");
  });

  it("tolerates a terminal clock a few minutes behind, not an hour before the attempt in any reading", () => {
    expect(
      matchLastTransaction(attempt(WINTER), approved({ terminalTime: "2026-01-15T08:57:00" }), null, TZ),
    ).toBe("charged");
    expect(
      matchLastTransaction(attempt(WINTER), approved({ terminalTime: "2026-01-15T07:40:00" }), null, TZ),
    ).toBe("older transaction");
  });

  it("is charged when the attempt already stored this receipt number, whatever the terminal's clock says", () => {
    const last = approved({ terminalTime: "2026-01-14T23:00:00" });
    expect(matchLastTransaction(attempt(WINTER, "0007"), last, null, TZ)).toBe("charged");
    expect(matchLastTransaction(attempt(WINTER, "0008"), last, null, TZ)).toBe("other receipt");
  });

  it("is the older transaction when the terminal repeats the one recorded just before the attempt", () => {
    const last = approved({ terminalTime: "2026-01-15T10:00:00" });
    expect(matchLastTransaction(attempt(WINTER), last, { receiptNo: "0007", traceNo: "000107" }, TZ)).toBe(
      "older transaction",
    );
    expect(matchLastTransaction(attempt(WINTER), last, { receiptNo: "0007", traceNo: null }, TZ)).toBe(
      "older transaction",
    );
  });

  it("is charged when only the receipt number repeats: receipt numbers restart at the terminal's end-of-day", () => {
    const last = approved({ receiptNumber: "0001", traceNumber: "000251" });
    expect(matchLastTransaction(attempt(WINTER), last, { receiptNo: "0001", traceNo: "000117" }, TZ)).toBe(
      "charged",
    );
    expect(matchLastTransaction(attempt(WINTER), last, { receiptNo: "0250", traceNo: "000250" }, TZ)).toBe(
      "charged",
    );
  });

  it("is not charged for a decline, another amount, or nothing repeated", () => {
    expect(matchLastTransaction(attempt(WINTER), approved({ outcome: "declined" }), null, TZ)).toBe(
      "not approved",
    );
    expect(matchLastTransaction(attempt(WINTER), approved({ amount: 9401 }), null, TZ)).toBe("other amount");
    expect(matchLastTransaction(attempt(WINTER), null, null, TZ)).toBe("no transaction");
  });
});

describe("the transaction recorded before an attempt", () => {
  it("is the latest one sent before it, not an older owner of the same receipt number", () => {
    const db = openDatabase(":memory:");
    const store = new SessionStore(db);
    const add = (id: string, at: string, receiptNo: string | null, traceNo: string | null): void => {
      store.insert({
        id,
        language: "pl",
        officeId: "PZ1465",
        kioskId: "K01",
        contents: { kind: "basket", slips: [], lines: [], total: 9400 },
        now: at,
        reason: "test",
      });
      store.transition(id, "summary", "authorizing", "test", {
        authorizing_at: at,
        receipt_no: receiptNo,
        trace_no: traceNo,
      });
    };
    add("yesterday", "2026-01-14T09:00:00.000Z", "0001", "000100");
    add("this-morning", "2026-01-15T08:00:00.000Z", "0001", "000117");
    add("never-reached", "2026-01-15T08:30:00.000Z", null, null);
    add("now", WINTER, null, null);
    const payment = { kind: "payment", amount: 9400 };
    expect(store.previousTransaction("now", WINTER)).toEqual({
      ...payment,
      receiptNo: "0001",
      traceNo: "000117",
    });
    expect(store.previousTransaction("this-morning", "2026-01-15T08:00:00.000Z")).toEqual({
      ...payment,
      receiptNo: "0001",
      traceNo: "000100",
    });
    expect(store.previousTransaction("yesterday", "2026-01-14T09:00:00.000Z")).toBeNull();
    // The kiosk's own void after this morning's payment is a terminal transaction of its own.
    const reversal = recordReversalRequest(db, {
      paymentId: "this-morning",
      amount: 9400,
      originalReceiptNo: "0001",
      originalTraceNo: "000117",
      at: "2026-01-15T08:40:00.000Z",
    });
    expect(store.previousTransaction("now", WINTER)).toEqual({
      kind: "reversal",
      amount: 9400,
      receiptNo: null,
      traceNo: null,
    });
    completeReversal(db, reversal, {
      receiptNo: "0002",
      traceNo: "000118",
      terminalTime: null,
      at: "2026-01-15T08:40:01.000Z",
    });
    expect(store.previousTransaction("now", WINTER)).toMatchObject({ kind: "reversal", receiptNo: "0002" });
    db.close();
  });
});
