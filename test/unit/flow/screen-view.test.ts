/**
 * What the screen and `GET /api/session` are shown (PaymentFlow.view and its `session` event) is kept
 * between changes instead of being read from the store at every call (kiosk/flow/visit-screen.ts), so
 * it must never be older than the store: not after a change made by another part of the kiosk on the
 * same connection (a void writes through its own SessionStore), not after another process's commit,
 * and not after a change that was rolled back. And it is read only when someone is shown it: a
 * payment with no screen listening reads its lines for the receipt and for the HTTP answers only.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakePrinter } from "../../../devices/sim/fake-printer.ts";
import { FakeTerminal } from "../../../devices/sim/fake-terminal.ts";
import type { PaymentFlow } from "../../../kiosk/flow/payment-session.ts";
import type { SessionView } from "../../../kiosk/flow/session-view.ts";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import { SessionStore } from "../../../kiosk/store/sessions.ts";
import { flowOverFakes } from "../../helpers/flow-over-fakes.ts";

let dir: string;
let db: Db;
let store: SessionStore;
let flow: PaymentFlow;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-view-"));
  db = openDatabase(path.join(dir, "k.db"));
  store = new SessionStore(db);
  const terminal = new FakeTerminal();
  const printer = new FakePrinter();
  await terminal.open();
  await printer.open();
  flow = flowOverFakes({ store, terminal, printer });
});

afterEach(async () => {
  await flow.close(100);
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function paid(): Promise<string> {
  const { id } = await flow.basket([{ code: "GEO_MAP" }]);
  await flow.pay();
  await vi.waitFor(() => expect(flow.view().state).toBe("done"));
  return id as string;
}

describe("the view shown is never older than the store", () => {
  it("every event a screen receives is the stored session at that moment, and the view answered equals it", async () => {
    const events: Array<{ view: SessionView; stored: string | undefined }> = [];
    flow.on("session", (view) => {
      events.push({ view, stored: view.id ? store.get(view.id)?.state : undefined });
      expect(flow.view()).toEqual(view);
    });
    const id = await paid();
    const states = events.map((e) => e.view.state);
    expect(states).toEqual(expect.arrayContaining(["summary", "authorizing", "printing", "done"]));
    for (const e of events) if (e.view.id) expect(e.view.state).toBe(e.stored);
    expect(flow.view().payment?.receiptPrinted).toBe(true);
    expect(flow.view().id).toBe(id);
  });

  it("shows a change written by another part of the kiosk through its own store", async () => {
    const id = await paid();
    expect(flow.view().language).toBe("pl");
    new SessionStore(db).setLanguage(id, "en");
    expect(flow.view().language).toBe("en");
  });

  it("shows another connection's commit (a second process on the same database)", async () => {
    const id = await paid();
    const other = openDatabase(path.join(dir, "k.db"));
    try {
      other.prepare("UPDATE sessions SET receipt_printed = 0 WHERE id = ?").run(id);
    } finally {
      other.close();
    }
    expect(flow.view().payment?.receiptPrinted).toBe(false);
  });

  it("is built from one snapshot: a commit between its reads shows in the next view, not half in this one", async () => {
    const id = await paid();
    const amount = flow.view().lines[0]?.amount as number;
    const other = openDatabase(path.join(dir, "k.db"));
    const get = store.get.bind(store);
    vi.spyOn(store, "get").mockImplementationOnce((sessionId) => {
      const row = get(sessionId);
      // Another process commits after the view has read the session and before it reads its lines.
      other.prepare("UPDATE session_lines SET amount = amount + 1 WHERE session_id = ?").run(sessionId);
      other.prepare("UPDATE sessions SET language = 'uk' WHERE id = ?").run(sessionId);
      return row;
    });
    try {
      new SessionStore(db).setLanguage(id, "en"); // a change: the next view is built again
      expect(flow.view()).toMatchObject({ language: "en", lines: [{ amount }] });
      expect(flow.view()).toMatchObject({ language: "uk", lines: [{ amount: amount + 1 }] });
    } finally {
      other.close();
    }
  });

  it("forgets what it saw inside a transaction that was rolled back", async () => {
    const id = await paid();
    const inside = db.transaction(() => {
      store.setLanguage(id, "uk");
      expect(flow.view().language).toBe("uk");
      throw new Error("rolled back");
    });
    expect(inside).toThrow("rolled back");
    expect(flow.view().language).toBe("pl");
  });

  it("follows the screen's own changes (the visitor's language, the welcome screen)", async () => {
    const id = await paid();
    expect(flow.setLanguage("en").language).toBe("en");
    expect(store.get(id)?.language).toBe("en");
    await flow.cancel();
    expect(flow.view()).toMatchObject({ id: null, state: "idle", language: "pl" });
  });
});

describe("the view is read only for someone to be shown it", () => {
  it("a payment with no screen listening reads its lines for the receipt and the answers it gives", async () => {
    const lines = vi.spyOn(store, "lines");
    const { id } = await flow.basket([{ code: "GEO_MAP" }]); // its answer: the summary
    await flow.pay(); // its answer: authorizing
    await vi.waitFor(() => expect(store.get(id as string)?.state).toBe("done"));
    // The two answers and the receipt, not once more for each of the payment's changes.
    expect(lines).toHaveBeenCalledTimes(3);
  });

  it("with a screen listening, each change is read once however often it is asked for", async () => {
    const shown: SessionView[] = [];
    flow.on("session", (view) => shown.push(view));
    const lines = vi.spyOn(store, "lines");
    const { id } = await flow.basket([{ code: "GEO_MAP" }]);
    await flow.pay();
    await vi.waitFor(() => expect(store.get(id as string)?.state).toBe("done"));
    for (let i = 0; i < 5; i++) flow.view();
    const distinct = new Set(shown).size;
    // Each distinct view shown read the lines once; the receipt once more; asking again reads nothing.
    expect(lines).toHaveBeenCalledTimes(distinct + 1);
  });
});
