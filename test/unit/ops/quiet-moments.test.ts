/**
 * The daemon's housekeeping at quiet moments (kiosk/ops/quiet-moments.ts), so no payment step pays for
 * it. The log checkpoints (quiet-checkpoints.ts, kiosk/store/wal.ts): commits leave the database file
 * alone until a visit ended or nothing goes on, and a kiosk without quiet moments still has its log
 * capped; what is observed is the files on disk (the database file grows only when the log is copied
 * into it). The young generation's collection (quiet-gc.ts): once per ended visit, never while the
 * next one is under way.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TypedEmitter } from "../../../devices/device.ts";
import type { ScreenChange } from "../../../kiosk/flow/ports.ts";
import { checkpointWhenQuiet } from "../../../kiosk/ops/quiet-checkpoints.ts";
import { collectYoungWhenQuiet } from "../../../kiosk/ops/quiet-gc.ts";
import { type Db, openDatabase } from "../../../kiosk/store/db.ts";

const PAGE = 4096;
/** A page in the log: its frame header and the page. */
const FRAME = 24 + PAGE;

class Screen extends TypedEmitter<{ screen: [change: ScreenChange] }> {
  row: { state: string } | undefined;
  current(): { state: string } | undefined {
    return this.row;
  }
  /** The visit `id` is shown in `state`. */
  show(id: string, state: string): void {
    this.row = { state };
    this.emit("screen", { id, state } as ScreenChange);
  }
}

let dir: string;
let file: string;
let db: Db;
let screen: Screen;
let stop: (() => void) | undefined;
const log = { warn: () => undefined };

const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
const turn = () => new Promise((resolve) => setImmediate(resolve));
/** The log's header: its salts change when it starts afresh. */
const logHeader = () => fs.readFileSync(`${file}-wal`).subarray(0, 32);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `commits` commits of about five pages each (a 16 KiB value overflows into four pages). */
function write(commits: number, from = 0): void {
  const put = db.prepare("INSERT INTO kv (key, value) VALUES (?, hex(randomblob(8000)))");
  for (let i = from; i < from + commits; i++) put.run(`test-${i}`);
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-wal-"));
  file = path.join(dir, "k.db");
  db = openDatabase(file);
  db.pragma("wal_checkpoint(TRUNCATE)");
  screen = new Screen();
});
afterEach(() => {
  stop?.();
  stop = undefined;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("log checkpoints at quiet moments", () => {
  it("leaves the database file alone in commits past SQLite's 1 000 pages, copies the log after the 8th visit", async () => {
    stop = checkpointWhenQuiet(db, screen, { log, everyVisits: 8 });
    const before = size(file);
    write(300);
    expect(size(`${file}-wal`)).toBeGreaterThan(1_200 * FRAME);
    expect(size(file)).toBe(before);
    for (let v = 1; v <= 7; v++) screen.show(`visit-${v}`, "done");
    await turn();
    expect(size(file)).toBe(before);
    const header = logHeader();
    screen.show("visit-8", "done");
    expect(size(file)).toBe(before);
    await turn();
    expect(size(file)).toBeGreaterThan(before + 1_200 * PAGE);
    // The log was started afresh then (a new header, synced at the quiet moment), not left for the
    // next visitor's first commit to do.
    expect(logHeader().equals(header)).toBe(false);
  });

  it("counts a visit whose end is shown twice once", async () => {
    stop = checkpointWhenQuiet(db, screen, { log, everyVisits: 2 });
    const before = size(file);
    write(20);
    screen.show("visit-1", "done");
    screen.show("visit-1", "done");
    await turn();
    expect(size(file)).toBe(before);
    screen.show("visit-2", "cancelled");
    await turn();
    expect(size(file)).toBeGreaterThan(before);
  });

  it("waits while the next visit is in progress, and checkpoints once nothing goes on", async () => {
    stop = checkpointWhenQuiet(db, screen, { log, everyVisits: 1, idleMs: 20 });
    const before = size(file);
    write(20);
    screen.show("visit-1", "done");
    // The next visitor scanned before the loop came round: not now.
    screen.row = { state: "authorizing" };
    await turn();
    await wait(60);
    expect(size(file)).toBe(before);
    screen.row = undefined;
    await wait(60);
    expect(size(file)).toBeGreaterThan(before);
  });

  it("caps the log when no quiet moment ever comes", () => {
    stop = checkpointWhenQuiet(db, screen, { log, capPages: 200 });
    const before = size(file);
    write(400);
    // 400 commits of about five pages: 2 000 pages written, the log never much past the cap.
    expect(size(`${file}-wal`)).toBeLessThan((200 + 20) * FRAME);
    expect(size(file)).toBeGreaterThan(before);
  });
});

describe("young generation collected at quiet moments", () => {
  it("collects once per ended visit, on the turn after its end, only when nothing is under way", async () => {
    const asked: string[] = [];
    const collect = ({ type }: { type: string }) => asked.push(type);
    stop = collectYoungWhenQuiet(screen, () => collect);
    screen.show("visit-1", "summary");
    screen.show("visit-1", "authorizing");
    await turn();
    expect(asked).toEqual([]);
    screen.show("visit-1", "done");
    expect(asked).toEqual([]);
    await turn();
    expect(asked).toEqual(["minor"]);
    screen.show("visit-1", "done");
    await turn();
    expect(asked).toEqual(["minor"]);
    // The next visitor scanned before the loop came round: their payment goes first.
    screen.show("visit-2", "cancelled");
    screen.row = { state: "summary" };
    await turn();
    expect(asked).toEqual(["minor"]);
  });

  it("collects only once the runtime gives a collector (oplatomat start sets it up when ready)", async () => {
    const asked: string[] = [];
    let collector: ((o: { type: "minor" | "major" }) => void) | undefined;
    stop = collectYoungWhenQuiet(screen, () => collector);
    screen.show("visit-1", "done");
    await turn();
    expect(asked).toEqual([]);
    collector = ({ type }) => asked.push(type);
    screen.show("visit-2", "done");
    await turn();
    expect(asked).toEqual(["minor"]);
  });
});
