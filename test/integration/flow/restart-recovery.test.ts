import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TerminalTransaction } from "../../../devices/device.ts";
import { openDatabase } from "../../../kiosk/store/db.ts";
import type { ChildSpec } from "../../helpers/child-kiosk.ts";
import { type Child, startChild } from "../../helpers/child-process.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";

const children: Child[] = [];
afterEach(async () => {
  await Promise.all(children.map((c) => c.kill()));
  children.length = 0;
});

async function run(spec: ChildSpec, dir: string): Promise<Child> {
  const file = path.join(dir, `spec-${Date.now()}-${Math.random()}.json`);
  fs.writeFileSync(file, JSON.stringify(spec));
  const child = await startChild("test/helpers/child-kiosk.ts", [file]);
  children.push(child);
  return child;
}

async function json(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { ...init, headers: { "content-type": "application/json" } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function waitFor(url: string, state: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { body } = await json(`${url}/api/session`);
    if (body["state"] === state) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never reached ${state}`);
}

describe("restart after SIGKILL while authorizing", () => {
  for (const answer of ["approved", "nothing"] as const) {
    it(`recovers to ${answer === "approved" ? "approved (done)" : "unknown, for staff (the terminal proves nothing)"} from the terminal's last transaction`, async () => {
      const keys = testKeys();
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-restart-"));
      const config = testConfig(keys);
      const first = await run({ config, dataDir, behaviour: "never", logName: "restart-1" }, dataDir);
      const scanned = await json(`${first.url}/api/scan`, {
        method: "POST",
        body: JSON.stringify({ payload: issueSlip(keys) }),
      });
      expect(scanned.status).toBe(200);
      const id = scanned.body["id"] as string;
      expect((await json(`${first.url}/api/session/pay`, { method: "POST", body: "{}" })).status).toBe(202);
      await waitFor(first.url, "authorizing");
      await first.kill("SIGKILL");

      const before = openDatabase(path.join(dataDir, "oplatomat.db"));
      expect(
        (before.prepare("SELECT state FROM sessions WHERE id = ?").get(id) as { state: string }).state,
      ).toBe("authorizing");
      before.close();

      const last: TerminalTransaction | null =
        answer === "approved"
          ? {
              kind: "payment",
              outcome: "approved",
              resultCode: 0,
              message: { pl: "OK", en: "OK", uk: "OK" },
              amount: 16000,
              receiptNumber: "0042",
              traceNumber: "000042",
              terminalId: "52100001",
              authCode: "A12345",
              maskedPan: "************0119",
              cardBrand: "VISA",
            }
          : null;
      const second = await run(
        { config, dataDir, behaviour: "approve", last, logName: "restart-2" },
        dataDir,
      );
      const ready = await fetch(`${second.url}/ready`);
      const readiness = JSON.stringify(await ready.json());
      await second.kill("SIGTERM");

      const db = openDatabase(path.join(dataDir, "oplatomat.db"));
      const row = db
        .prepare("SELECT state, payment_status, receipt_no FROM sessions WHERE id = ?")
        .get(id) as Record<string, string>;
      const open = db
        .prepare("SELECT COUNT(*) AS n FROM sessions WHERE state NOT IN ('done', 'cancelled')")
        .get() as { n: number };
      const journal = db
        .prepare("SELECT to_state FROM journal WHERE session_id = ? ORDER BY id")
        .all(id) as Array<{ to_state: string }>;
      db.close();
      if (answer === "approved") {
        expect(open.n).toBe(0);
        expect(row).toMatchObject({ state: "done", payment_status: "approved", receipt_no: "0042" });
        expect(journal.map((j) => j.to_state)).toEqual([
          "summary",
          "authorizing",
          "unknown",
          "approved",
          "printing",
          "done",
        ]);
      } else {
        // "Nothing" is no proof either way (several PIN pads never repeat): the payment stays unknown,
        // its slip blocked, and the kiosk takes no payment until staff resolve it.
        expect(row).toMatchObject({ state: "unknown", payment_status: "unknown" });
        expect(journal.map((j) => j.to_state)).toEqual(["summary", "authorizing", "unknown", "unknown"]);
        expect(ready.status).toBe(503);
        expect(readiness).toContain("staff must check it with the card terminal");
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
  }
});
