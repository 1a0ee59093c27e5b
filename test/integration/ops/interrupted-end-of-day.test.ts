/**
 * The kiosk died during end-of-day, after asking the terminal to close its batch and before storing
 * the totals. On the next start the technician and central operations must learn that this batch's
 * totals exist only on the terminal's printed receipt, until an end-of-day completes again.
 */
import { afterEach, describe, expect, it } from "vitest";
import { EOD_PENDING_KEY, runEndOfDay } from "../../../kiosk/flow/end-of-day.ts";
import { type Harness, makeHarness } from "../../helpers/kiosk-harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("an end-of-day interrupted by a crash", () => {
  it("is reported by /ready and the audit after the restart, and cleared by the next end-of-day", async () => {
    h = await makeHarness({ start: false, logName: "interrupted-eod" });
    const { kiosk } = h;
    kiosk.db
      .prepare("INSERT INTO kv (key, value) VALUES (?, ?)")
      .run(EOD_PENDING_KEY, JSON.stringify({ startedAt: "2026-11-25T19:00:00.000Z", day: "2026-11-25" }));
    await kiosk.start({ port: 0 });

    const checks = await kiosk.readiness();
    expect(checks["terminal:end_of_day"]?.[0]).toMatchObject({
      status: "warn",
      observedValue: "interrupted",
    });
    expect(checks["terminal:end_of_day"]?.[0]?.output).toMatch(/printed end-of-day receipt/);
    const audit = kiosk.db
      .prepare("SELECT actor, target FROM audit WHERE action = 'end_of_day_interrupted'")
      .all();
    expect(audit).toEqual([{ actor: "kiosk", target: "2026-11-25" }]);

    await runEndOfDay({ db: kiosk.db, terminal: h.terminal, config: kiosk.config });
    expect((await kiosk.readiness())["terminal:end_of_day"]).toBeUndefined();
  });
});
