/**
 * The kiosk must never keep a full card number. The terminal simulator sends a full test PAN in
 * BMP 22 once; after that payment, nothing in the database file, the log, the exports or the
 * settlement report may contain a Luhn-valid 13–19-digit number with a card scheme's prefix and
 * length (a receipt code's `YYYYMMDDhhmmss` passes Luhn one time in ten, and is no card number).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Demo, startDemo } from "../../kiosk/demo.ts";
import { plausiblePan } from "../../kiosk/domain/pan.ts";
import { businessDay } from "../../kiosk/domain/time.ts";
import { testLogFile } from "../helpers/kiosk-harness.ts";

/** Digit runs (spaces and dashes allowed) that could be a card number (Luhn, scheme prefix and length), and the test PAN anywhere. */
function cardNumbers(text: string): string[] {
  const hits: string[] = [];
  for (const m of text.matchAll(/\d(?:[ -]?\d){12,18}(?!\d)/g)) {
    const digits = m[0].replace(/[ -]/g, "");
    if (m.index > 0 && /\d/.test(text[m.index - 1] ?? "")) continue;
    if (plausiblePan(digits)) hits.push(digits);
  }
  if (text.replace(/[ -]/g, "").includes("4111111111111111")) hits.push("4111111111111111");
  return hits;
}

let demo: Demo;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-nocard-"));
afterAll(async () => {
  await demo?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("no card data at rest", () => {
  it("a full PAN from the terminal is masked everywhere the kiosk writes", async () => {
    const logFile = testLogFile("no-card-data");
    demo = await startDemo({
      port: 0,
      dataDir,
      logFile,
      terminalDelayMs: 0,
      terminal: { sendFullPanOnce: true },
    });
    const payload = demo.sampleSlips[0]?.payload as string;
    const post = (url: string, body: unknown) =>
      fetch(`${demo.url}${url}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await post("/api/scan", { payload })).status).toBe(200);
    expect((await post("/api/session/pay", {})).status).toBe(202);
    let view: { state: string; payment: { maskedPan: string | null } | null } = { state: "", payment: null };
    for (let i = 0; i < 300 && view.state !== "done"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = (await (await fetch(`${demo.url}/api/session`)).json()) as typeof view;
    }
    expect(view.state).toBe("done");
    expect(view.payment?.maskedPan).toMatch(/^\*+1111$/);

    const { kiosk } = demo.daemon;
    // Let the outbox deliver, so the messages that left the kiosk are checked too.
    for (let i = 0; i < 100 && kiosk.outbox.backlog().some((b) => b.pending > 0); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const day = businessDay(new Date());
    const csv = await (
      await fetch(`${demo.managementUrl}/api/admin/exports/payments?from=${day}&to=${day}&format=csv`, {
        headers: { authorization: `Bearer ${demo.config.service?.adminToken ?? ""}` },
      })
    ).text();
    kiosk.db.pragma("wal_checkpoint(TRUNCATE)");
    const dbText = fs.readFileSync(path.join(dataDir, "oplatomat.db")).toString("latin1");
    const tables = ["sessions", "session_lines", "journal", "outbox", "audit", "terminal_days", "kv"]
      .map((t) => JSON.stringify(kiosk.db.prepare(`SELECT * FROM ${t}`).all()))
      .join("\n");
    const sent = JSON.stringify([demo.fakes.pik.received(), demo.fakes.settlement?.received()]);
    const log = fs.readFileSync(logFile, "utf8");

    expect(log.length).toBeGreaterThan(0);
    expect(csv).toContain("payment_id,paid_at");
    expect(tables).toContain("1111");
    // The raw database file packs columns side by side, so unrelated digits can run together and
    // pass Luhn by chance: there, look for the test PAN itself; everywhere else, for any card number.
    expect(dbText.replace(/[ -]/g, "")).not.toContain("4111111111111111");
    for (const [what, text] of Object.entries({ tables, sent, log, csv })) {
      expect(cardNumbers(text), what).toEqual([]);
    }
  }, 60_000);
});
