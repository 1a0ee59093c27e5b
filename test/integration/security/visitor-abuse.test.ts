/**
 * Issue 13 finding 7, over the kiosk's real loopback listener: an over-long or empty scan is a
 * slip error (422 SLIP_UNREADABLE, SPEC §1), not a 400; event streams are capped; a flood of
 * refused scans cannot write an audit row each.
 */
import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_EVENT_STREAMS } from "../../../kiosk/http/routes/session-events.ts";
import { type Harness, makeHarness } from "../../helpers/kiosk-harness.ts";
import { issueSlip } from "../../helpers/test-config.ts";

let h: Harness | undefined;
let base = "";
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function startKiosk(): Promise<Harness> {
  h = await makeHarness({ start: false, logName: "visitor-abuse" });
  base = await h.kiosk.start({ port: 0 });
  return h;
}

const post = async (route: string, body: unknown) => {
  const res = await fetch(`${base}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { code?: string; state?: string } };
};

describe("scan payloads that cannot be a slip", () => {
  it("answer 422 SLIP_UNREADABLE on every route that takes a slip, never 400", async () => {
    const { keys } = await startKiosk();
    for (const payload of ["x".repeat(4097), `OPL1|${"A".repeat(5000)}`, "", "\r\n"]) {
      const scan = await post("/api/scan", { payload });
      expect(scan.status, `${payload.length} characters`).toBe(422);
      expect(scan.body.code).toBe("SLIP_UNREADABLE");
      const basket = await post("/api/basket", { items: [{ slip: payload }] });
      expect(basket.status).toBe(422);
      expect(basket.body.code).toBe("SLIP_UNREADABLE");
    }
    expect((await post("/api/scan", { payload: issueSlip(keys) })).status).toBe(200);
    const more = await post("/api/session/slips", { payload: "y".repeat(4097) });
    expect(more).toMatchObject({ status: 422, body: { code: "SLIP_UNREADABLE" } });
  });
});

/** Opens an event stream; resolves with its status once the head arrived (the stream stays open). */
function openStream(): Promise<{ status: number; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/api/events`, { agent: false }, (res) => {
      resolve({ status: res.statusCode ?? 0, close: () => req.destroy() });
      res.resume();
    });
    req.on("error", (e) => {
      if ((e as NodeJS.ErrnoException).code !== "ECONNRESET") reject(e);
    });
  });
}

describe("event streams", () => {
  it(`are capped at ${MAX_EVENT_STREAMS}, answer 503 beyond, and leak no listeners`, async () => {
    await startKiosk();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      const streams = await Promise.all(Array.from({ length: MAX_EVENT_STREAMS }, () => openStream()));
      expect(streams.map((s) => s.status)).toEqual(Array(MAX_EVENT_STREAMS).fill(200));
      const refused = await fetch(`${base}/api/events`);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      streams[0]?.close();
      // The server notices the closed socket a moment later.
      let again = await openStream();
      for (let i = 0; i < 50 && again.status === 503; i++) {
        again.close();
        await new Promise((r) => setTimeout(r, 20));
        again = await openStream();
      }
      expect(again.status).toBe(200);
      for (const s of [...streams, again]) s.close();
      expect(warnings).not.toContain("MaxListenersExceededWarning");
    } finally {
      process.off("warning", onWarning);
    }
  });
});

describe("a flood of refused scans", () => {
  it("writes the first few in full and the rest as one summary, each still answered 422", async () => {
    const { kiosk } = await startKiosk();
    const answers = await Promise.all(
      Array.from({ length: 120 }, (_, i) => post("/api/scan", { payload: `junk ${i}` })),
    );
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([422]));
    const count = (action: string) =>
      (kiosk.db.prepare("SELECT COUNT(*) AS n FROM audit WHERE action = ?").get(action) as { n: number }).n;
    expect(count("slip_refused")).toBe(10);
    await kiosk.flow.close();
    expect(count("slip_refused")).toBe(10);
    const summary = kiosk.db
      .prepare("SELECT details FROM audit WHERE action = 'slip_refused_summary'")
      .all() as Array<{ details: string }>;
    expect(summary).toHaveLength(1);
    expect(JSON.parse(summary[0]?.details ?? "{}")).toMatchObject({
      count: 110,
      byCode: { SLIP_UNREADABLE: 110 },
    });
  });
});
