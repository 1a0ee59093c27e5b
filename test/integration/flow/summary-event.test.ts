/**
 * Issue 17, the summary's paint: the kiosk's screen learns of a scanned slip from the event stream
 * (a real scan comes from the reader through the daemon, not from the page), so the session event
 * must not wait behind anything. Node sent a chunked stream's write on the next tick, after the
 * scan's own HTTP answer; the event now leaves first. Both sockets are loopback: each becomes
 * readable in this process in the order the daemon wrote to them.
 */
import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, makeHarness } from "../../helpers/kiosk-harness.ts";
import { issueSlip } from "../../helpers/test-config.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Everything that arrives, in order, from either socket. */
const arrivals: string[] = [];

function openStream(base: string): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/api/events`, { agent: false }, (res) => {
      res.setEncoding("utf8");
      res.on("data", (text: string) => {
        for (const m of text.matchAll(/"state":"(\w+)"/g)) arrivals.push(`event ${m[1]}`);
      });
      resolve(() => req.destroy());
    });
    req.on("error", (e) => {
      if ((e as NodeJS.ErrnoException).code !== "ECONNRESET") reject(e);
    });
  });
}

function postScan(base: string, payload: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}/api/scan`,
      { method: "POST", agent: false, headers: { "content-type": "application/json" } },
      (res) => {
        arrivals.push(`answer ${res.statusCode}`);
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify({ payload }));
  });
}

describe("a scanned slip's summary on the event stream", () => {
  it("reaches the screen before the scan's own answer is sent", async () => {
    h = await makeHarness({ start: false, logName: "summary-event" });
    const base = await h.kiosk.start({ port: 0 });
    const close = await openStream(base);
    try {
      for (let i = 0; i < 50 && !arrivals.includes("event idle"); i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(arrivals).toContain("event idle");
      arrivals.length = 0;
      expect(await postScan(base, issueSlip(h.keys))).toBe(200);
      expect(arrivals.filter((a) => a === "event summary" || a === "answer 200")).toEqual([
        "event summary",
        "answer 200",
      ]);
    } finally {
      close();
    }
  });
});
