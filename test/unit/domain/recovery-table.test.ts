/**
 * The recovery decision table (issue 12), row by row: for each stage the kiosk stored before it died
 * and each answer the terminal gives to 06 20, what becomes of the payment. The expected table is
 * written out here on its own, so a change of the table in the code must be a change of this test too.
 */
import { describe, expect, it } from "vitest";
import {
  ANSWER_CLASSES,
  type AnswerClass,
  type AttemptFacts,
  classifyAnswer,
  decideRecovery,
  decidesAlike,
  type RecordedTransaction,
  type RecoveryDecision,
  recoveredPaidAt,
  STORED_STAGES,
  type StoredStage,
  type TerminalAnswer,
} from "../../../kiosk/domain/recovery-match.ts";

const TZ = "Europe/Warsaw";
/** 10:00 Warsaw winter time. */
const STARTED = "2026-01-15T09:00:00.000Z";
const FEE = 5000;

/** The kiosk's previous terminal transaction: its void of an earlier 50,00 zł payment. */
const previousVoid: RecordedTransaction = {
  kind: "reversal",
  receiptNo: "0011",
  traceNo: "000211",
  amount: FEE,
};

function attempt(stage: StoredStage): AttemptFacts {
  const stored = stage === "nothing_sent" || stage === "request_sent" ? null : { r: "0012", t: "000212" };
  return {
    stage,
    total: FEE,
    authorizingAt: STARTED,
    receiptNo: stored?.r ?? null,
    traceNo: stored?.t ?? null,
  };
}

/** A real answer of each class, for an attempt at each stage. */
function answerFor(cls: AnswerClass, stage: StoredStage): TerminalAnswer {
  const storedResult = attempt(stage).receiptNo !== null;
  switch (cls) {
    case "same_approved":
      return {
        kind: "transaction",
        tx: {
          outcome: "approved",
          amount: FEE,
          receiptNumber: "0012",
          traceNumber: "000212",
          terminalTime: "2026-01-15T10:00:40",
        },
      };
    case "same_not_approved":
      return storedResult
        ? {
            kind: "transaction",
            tx: { outcome: "aborted", amount: FEE, receiptNumber: "0012", traceNumber: "000212" },
          }
        : {
            kind: "transaction",
            tx: { outcome: "declined", amount: FEE, receiptNumber: "0012", traceNumber: "000212" },
          };
    case "older_transaction":
      return {
        kind: "transaction",
        tx: { outcome: "approved", amount: FEE, receiptNumber: "0009", terminalTime: "2026-01-15T08:10:00" },
      };
    case "reversal":
      // The repeat of the kiosk's own void: its own receipt and trace, the original's amount.
      return {
        kind: "transaction",
        tx: {
          outcome: "approved",
          amount: FEE,
          receiptNumber: "0011",
          traceNumber: "000211",
          terminalTime: "2026-01-15T10:00:30",
        },
      };
    case "nothing":
      return { kind: "nothing" };
    case "unreadable":
      return { kind: "unreadable", detail: "84 66" };
    case "no_answer":
      return { kind: "no_answer" };
  }
}

const P: RecoveryDecision = "paid";
const N: RecoveryDecision = "not_charged";
const U: RecoveryDecision = "unknown";
const A: RecoveryDecision = "ask_again";

/** Columns in ANSWER_CLASSES order: same approved, same not approved, older, reversal, nothing, unreadable, no answer. */
const EXPECTED: Record<StoredStage, RecoveryDecision[]> = {
  nothing_sent: [P, N, N, N, U, U, A],
  request_sent: [P, N, N, N, U, U, A],
  result_stored: [P, N, U, U, U, U, A],
  result_acknowledged: [P, P, P, P, P, P, P],
  completion_seen: [P, P, P, P, P, P, P],
};

describe("the recovery decision table", () => {
  for (const stage of STORED_STAGES) {
    it(`decides every terminal answer for an attempt at stage ${stage}`, () => {
      const got = ANSWER_CLASSES.map((cls) => {
        const answer = answerFor(cls, stage);
        const decided = decideRecovery(attempt(stage), answer, previousVoid, TZ);
        expect(decided.answer, `${stage} × ${cls}`).toBe(cls);
        return decided.decision;
      });
      expect(got).toEqual(EXPECTED[stage]);
    });
  }

  it("recognises the repeat of the kiosk's void even when the terminal does not say it is one", () => {
    const repeat = answerFor("reversal", "request_sent");
    expect(classifyAnswer(attempt("request_sent"), repeat, previousVoid, TZ)).toBe("reversal");
    // Without the kiosk's record the same bytes would be a new payment of the same amount.
    expect(classifyAnswer(attempt("request_sent"), repeat, null, TZ)).toBe("same_approved");
  });

  it("takes a reversal the terminal labels as one for a reversal, and one naming this attempt as its undoing", () => {
    const labelled: TerminalAnswer = {
      kind: "transaction",
      tx: {
        kind: "reversal",
        outcome: "approved",
        amount: FEE,
        receiptNumber: "0013",
        originalTraceNumber: "000099",
      },
    };
    expect(classifyAnswer(attempt("request_sent"), labelled, null, TZ)).toBe("reversal");
    const undoesThis: TerminalAnswer = {
      kind: "transaction",
      tx: {
        kind: "reversal",
        outcome: "approved",
        amount: FEE,
        receiptNumber: "0013",
        originalTraceNumber: "000212",
      },
    };
    expect(decideRecovery(attempt("result_stored"), undoesThis, null, TZ)).toEqual({
      decision: "not_charged",
      answer: "same_not_approved",
    });
  });

  it("does not guess when the previous void's own numbers were never stored and the amounts are equal", () => {
    const unconfirmed: RecordedTransaction = {
      kind: "reversal",
      receiptNo: null,
      traceNo: null,
      amount: FEE,
    };
    const answer = answerFor("same_approved", "request_sent");
    expect(decideRecovery(attempt("request_sent"), answer, unconfirmed, TZ).decision).toBe("unknown");
  });
});

describe("the time a recovered payment is stamped with", () => {
  const window = { from: new Date(STARTED), to: new Date("2026-01-15T09:20:00.000Z") };

  it("is the terminal's time, read as Warsaw time", () => {
    expect(recoveredPaidAt("2026-01-15T10:00:40", window, TZ)?.toISOString()).toBe(
      "2026-01-15T09:00:40.000Z",
    );
  });

  it("is the terminal's time read as UTC when the terminal's clock is set to UTC", () => {
    expect(recoveredPaidAt("2026-01-15T09:10:00", window, TZ)?.toISOString()).toBe(
      "2026-01-15T09:10:00.000Z",
    );
  });

  it("is none when the terminal's time fits neither reading (the caller stamps its own and says so)", () => {
    expect(recoveredPaidAt("2025-06-01T12:00:00", window, TZ)).toBeNull();
    expect(recoveredPaidAt(undefined, window, TZ)).toBeNull();
  });
});

describe("which stage a power cut may lose without changing a decision", () => {
  it("the terminal's first answer (request_sent): recovery decides as before it (nothing_sent)", () => {
    expect(decidesAlike("nothing_sent", "request_sent")).toBe(true);
  });

  it("never a stored or acknowledged approval: losing either would change what recovery does", () => {
    expect(decidesAlike("request_sent", "result_stored")).toBe(false);
    expect(decidesAlike("result_stored", "result_acknowledged")).toBe(false);
    expect(decidesAlike("nothing_sent", "result_stored")).toBe(false);
  });
});
