/**
 * The attempt's stage as the store writes it (kiosk/store/sessions.ts `advanceStage`): the terminal's
 * first answer is written without waiting for the disk (recovery decides alike without it), every
 * other stage and every transition with `synchronous = FULL`; the connection is always left at FULL.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";
import { SessionStore } from "../../../kiosk/store/sessions.ts";

let dir: string;
let db: Db;
let store: SessionStore;

const FULL = 2;
const synchronous = () => db.pragma("synchronous", { simple: true });

/** A session at the terminal, its stage `nothing_sent`, as `pay` leaves it. */
function authorizing(): string {
  const id = store.create(
    {
      language: "pl",
      officeId: "PZ1465",
      kioskId: "K01",
      contents: { kind: "basket", slips: [], lines: [], total: 1000 },
      now: "2026-11-25T09:00:00.000Z",
      reason: "test",
    },
    "2026-11-25",
  );
  store.transition(id, "summary", "authorizing", "pay", {
    payment_status: "authorizing",
    terminal_stage: "nothing_sent",
  });
  return id;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-stage-"));
  db = openDatabase(path.join(dir, "k.db"));
  store = new SessionStore(db);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("stage writes", () => {
  it("writes request_sent and leaves the connection at synchronous = FULL", () => {
    const id = authorizing();
    expect(synchronous()).toBe(FULL);
    store.advanceStage(id, "request_sent", ["nothing_sent"]);
    expect(store.get(id)?.terminal_stage).toBe("request_sent");
    expect(synchronous()).toBe(FULL);
  });

  it("is visible to another connection at once (in the log, not only in this process)", () => {
    const id = authorizing();
    store.advanceStage(id, "request_sent", ["nothing_sent"]);
    const other = openDatabase(path.join(dir, "k.db"), { readonly: true });
    try {
      expect(new SessionStore(other).get(id)?.terminal_stage).toBe("request_sent");
    } finally {
      other.close();
    }
  });

  it("inside a transaction keeps the transaction's setting and still writes", () => {
    const id = authorizing();
    db.transaction(() => store.advanceStage(id, "request_sent", ["nothing_sent"]))();
    expect(store.get(id)?.terminal_stage).toBe("request_sent");
    expect(synchronous()).toBe(FULL);
  });

  it("a late answer changes nothing once the attempt moved on", () => {
    const id = authorizing();
    store.advanceStage(id, "result_stored", ["nothing_sent", "request_sent"]);
    store.advanceStage(id, "request_sent", ["nothing_sent"]);
    expect(store.get(id)?.terminal_stage).toBe("result_stored");
  });

  it("numbers and inserts a new session in one transaction (its counter and row together)", () => {
    const first = authorizing();
    const second = authorizing();
    expect(first).toMatch(/^K01_20261125_0001_/);
    expect(second).toMatch(/^K01_20261125_0002_/);
  });
});
