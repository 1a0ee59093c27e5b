/**
 * `oplatomat outbox list`'s table (SPEC §5: the messages with their state, attempts and last error):
 * a receiver's refusal shows what to fix. The hub's 422 is a problem JSON whose reason (the field and
 * the recipient) came after 160 characters of `type`, `title` and `status`, and was cut off.
 */
import { afterEach, describe, expect, it } from "vitest";
import { errorSummary, outboxLine } from "../../../kiosk/commands/outbox.ts";
import { useZoneRules } from "../../../kiosk/domain/time.ts";
import { readZoneRules } from "../../../kiosk/zoneinfo.ts";

const HUB_422 = `HTTP 422: ${JSON.stringify({
  type: "urn:oplatomat:problem:unknown_account",
  title: "A split names a recipient or account the hub does not hold",
  status: 422,
  code: "UNKNOWN_ACCOUNT",
  errors: [{ path: "/splits/0/nrb", message: "not the account the hub holds for ODPADY" }],
})}`;

describe("outbox list", () => {
  it("shows a refusal's code, title and each error's path and message", () => {
    const line = outboxLine({
      seq: 8,
      id: "settlement.transaction.KIOSK_7_20261207_0004_BKDG",
      destination: "settlement",
      kind: "transaction",
      sessionId: "KIOSK_7_20261207_0004_BKDG",
      state: "failed",
      attempts: 1,
      createdAt: "2026-12-07T14:12:05.446Z",
      nextAttemptAt: "2026-12-07T14:12:05.446Z",
      lastStatus: 422,
      lastError: HUB_422,
      waitingFor: null,
    } as Parameters<typeof outboxLine>[0]);
    expect(line.split("\t")[4]).toBe(
      "422 UNKNOWN_ACCOUNT A split names a recipient or account the hub does not hold; /splits/0/nrb: not the account the hub holds for ODPADY",
    );
  });

  it("keeps the detail of a problem, and other answers as they were (cut at 160)", () => {
    expect(
      errorSummary(
        `HTTP 403: ${JSON.stringify({ title: "The body names another device", status: 403, code: "FORBIDDEN", detail: "authenticated as SP-77/K1, the body says UMG-2201/KIOSK_7" })}`,
      ),
    ).toBe(
      "FORBIDDEN The body names another device; authenticated as SP-77/K1, the body says UMG-2201/KIOSK_7",
    );
    expect(errorSummary("timeout: no answer within 10000 ms")).toBe("timeout: no answer within 10000 ms");
    expect(errorSummary(`HTTP 500: ${"x".repeat(300)}`)).toHaveLength(160);
    expect(errorSummary("HTTP 400: {not json")).toBe("HTTP 400: {not json");
    expect(errorSummary("HTTP 409: {}")).toBe("HTTP 409: {}");
  });

  describe("CREATED in the office's time (staff read Warsaw time, not UTC)", () => {
    const entry = (createdAt: string) =>
      ({
        seq: 1,
        id: "pik.payment.K1_1",
        destination: "pik",
        kind: "payment",
        sessionId: "K1_1",
        state: "pending",
        attempts: 0,
        createdAt,
        nextAttemptAt: createdAt,
        lastStatus: null,
        lastError: null,
        waitingFor: null,
      }) as Parameters<typeof outboxLine>[0];
    const created = (createdAt: string, tz?: string) => outboxLine(entry(createdAt), tz).split("\t")[3];

    afterEach(() => useZoneRules(() => null));

    it("winter and summer time, from the system's tzdata as the command reads it", () => {
      useZoneRules((tz) => readZoneRules(tz));
      expect(created("2026-12-07T14:12:05.446Z")).toBe("2026-12-07T15:12:05+01:00");
      expect(created("2026-07-01T22:30:00.000Z")).toBe("2026-07-02T00:30:00+02:00");
      // The night the clocks go back: two instants an hour apart, both at 02:30 local, told apart.
      expect(created("2026-10-25T00:30:00.000Z")).toBe("2026-10-25T02:30:00+02:00");
      expect(created("2026-10-25T01:30:00.000Z")).toBe("2026-10-25T02:30:00+01:00");
      expect(created("2026-12-07T14:12:05.446Z", "UTC")).toBe("2026-12-07T14:12:05+00:00");
    });

    it("an unreadable stored time is shown as stored", () => {
      expect(created("yesterday")).toBe("yesterday");
    });
  });
});
