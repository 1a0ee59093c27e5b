/**
 * The flow owns the one terminal (issue 14): a visitor's payment, a void and end-of-day never run on
 * it at the same time. PaymentFlow is built directly over its ports — the in-memory fake terminal
 * and printer, the store on in-memory SQLite, a stub renderer and reporter — without HTTP and
 * without createKiosk.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { TerminalTransaction } from "../../../devices/device.ts";
import { FakePrinter } from "../../../devices/sim/fake-printer.ts";
import { FakeTerminal } from "../../../devices/sim/fake-terminal.ts";
import { FlowError } from "../../../kiosk/flow/errors.ts";
import { refusalKind } from "../../../kiosk/http/errors.ts";
import type { PaymentFlow } from "../../../kiosk/flow/payment-session.ts";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import { journalOf } from "../../../kiosk/store/records.ts";
import { SessionStore } from "../../../kiosk/store/sessions.ts";
import { flowOverFakes } from "../../helpers/flow-over-fakes.ts";

let db: Db;
let terminal: FakeTerminal;
let printer: FakePrinter;
let flow: PaymentFlow;
/** What reached the terminal, in order: `<command> start` / `<command> end`. */
let calls: string[];

function watch<K extends "authorize" | "reverse" | "endOfDay">(name: K): void {
  const original = terminal[name].bind(terminal) as (...args: unknown[]) => Promise<unknown>;
  (terminal as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
    calls.push(`${name} start`);
    try {
      return await original(...args);
    } finally {
      calls.push(`${name} end`);
    }
  };
}

beforeEach(async () => {
  db = openDatabase(":memory:");
  terminal = new FakeTerminal();
  printer = new FakePrinter();
  await terminal.open();
  await printer.open();
  calls = [];
  for (const name of ["authorize", "reverse", "endOfDay"] as const) watch(name);
  flow = flowOverFakes({ store: new SessionStore(db), terminal, printer });
});
afterEach(async () => {
  await flow.close(100);
  db.close();
});

/** A visitor buys a map extract and pays; resolves once the session reaches `state`. */
async function visitorPays(state: "done" | "authorizing"): Promise<string> {
  const view = await flow.basket([{ code: "GEO_MAP" }]);
  await flow.pay();
  await vi.waitFor(() => expect(flow.current()?.state).toBe(state));
  return view.id as string;
}

describe("the one terminal", () => {
  it("a void asked while a visitor's payment is at the terminal waits for it, and never interleaves", async () => {
    const paid = await visitorPays("done");
    terminal.behaviour = "never";
    await visitorPays("authorizing");
    calls.length = 0;
    let voided = false;
    const voiding = flow.voidPayment(paid, "admin:anna", "wrong service").then((r) => {
      voided = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toEqual([]);
    expect(voided).toBe(false);
    // The visitor cancels at the PIN pad; only then does the reversal reach the terminal.
    await flow.cancel();
    const result = await voiding;
    expect(result.paymentId).toBe(paid);
    expect(calls).toEqual(["authorize end", "reverse start", "reverse end"]);
    expect(flow.current()?.state).toBe("cancelled");
    expect(new SessionStore(db).get(paid)?.payment_status).toBe("reversed");
  });

  it("a visitor cannot start paying while a void holds the terminal: refused cleanly, nothing written", async () => {
    const paid = await visitorPays("done");
    let release: (tx: TerminalTransaction) => void = () => undefined;
    const reversal = new Promise<TerminalTransaction>((resolve) => {
      release = resolve;
    });
    const realReverse = terminal.reverse.bind(terminal);
    terminal.reverse = () => reversal;
    const voiding = flow.voidPayment(paid, "admin:anna", "wrong service");
    const view = await flow.basket([{ code: "GEO_MAP" }]);
    const refused = await flow.pay().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FlowError);
    const { code, reason } = refused as FlowError;
    // The flow names the refusal; the HTTP layer's catalogue answers it 503.
    expect(refusalKind(code, reason)).toMatchObject({ code: "DEVICE_UNAVAILABLE", status: 503 });
    expect(flow.current()?.state).toBe("summary");
    expect(journalOf(db, view.id as string).map((j) => j.to_state)).toEqual(["summary"]);
    release(await realReverse(new SessionStore(db).get(paid)?.receipt_no as string));
    await voiding;
    await flow.pay();
    await vi.waitFor(() => expect(flow.current()?.state).toBe("done"));
  });

  it("end-of-day and a void of the visitor's own payment are refused while it is in progress", async () => {
    terminal.behaviour = "never";
    const id = await visitorPays("authorizing");
    await expect(flow.endOfDay("service")).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(flow.voidPayment(id, "admin:anna", "mistake")).rejects.toMatchObject({ code: "CONFLICT" });
    expect(calls.filter((c) => !c.startsWith("authorize"))).toEqual([]);
    expect(flow.isOutOfOrder()).toBe(false);
    await flow.cancel();
  });

  it("end-of-day waits for a void already on the terminal, then closes the batch without it", async () => {
    const kept = await visitorPays("done");
    const voided = await visitorPays("done");
    calls.length = 0;
    const voiding = flow.voidPayment(voided, "admin:anna", "paid twice");
    const closing = flow.endOfDay("service");
    const [, day] = await Promise.all([voiding, closing]);
    expect(calls).toEqual(["reverse start", "reverse end", "endOfDay start", "endOfDay end"]);
    expect(day.terminal.count).toBe(1);
    expect(day.reconciliation.matches).toBe(true);
    expect(new SessionStore(db).get(kept)?.payment_status).toBe("approved");
  });
});
