import { describe, expect, it } from "vitest";
import { RefusalAudit } from "../../../kiosk/flow/refusal-audit.ts";

describe("RefusalAudit", () => {
  it("writes a few refusals per window in full, summarises the rest, and starts afresh next window", () => {
    let t = Date.parse("2026-11-25T10:00:00Z");
    const rows: Array<{ action: string; target: string; details: Record<string, unknown> }> = [];
    const audit = new RefusalAudit({
      now: () => new Date(t),
      perWindow: 3,
      windowMs: 60_000,
      write: (action, target, details) => rows.push({ action, target, details }),
    });
    for (let i = 0; i < 5; i++) audit.record({ code: "SLIP_UNREADABLE", payload: "x".repeat(500) });
    audit.record({ code: "SLIP_SIGNATURE_INVALID", payload: "y", detail: "bad" });
    expect(rows.map((r) => r.action)).toEqual(["slip_refused", "slip_refused", "slip_refused"]);
    expect(String(rows[0]?.details["payload"])).toHaveLength(200);
    t += 61_000;
    audit.record({ code: "SLIP_EXPIRED", payload: "z" });
    expect(rows.slice(3)).toEqual([
      {
        action: "slip_refused_summary",
        target: "3 refused scans",
        details: {
          count: 3,
          byCode: { SLIP_UNREADABLE: 2, SLIP_SIGNATURE_INVALID: 1 },
          windowStart: "2026-11-25T10:00:00.000Z",
          windowMs: 60_000,
        },
      },
      { action: "slip_refused", target: "SLIP_EXPIRED", details: { payload: "z" } },
    ]);
    audit.flush();
    expect(rows).toHaveLength(5);
  });
});
