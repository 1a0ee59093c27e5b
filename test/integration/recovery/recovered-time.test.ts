/**
 * Issue 12 defect 5, through a restarted daemon: a payment recovered after a crash is stamped with
 * the terminal's time of the transaction — `paid_at`, its business day and the OPLR1 verification
 * code — not with the time the kiosk came back and asked.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { businessDay, compactSecond, isoWithOffset } from "../../../kiosk/domain/time.ts";
import { openDatabase } from "../../../kiosk/store/db.ts";
import type { ChildSpec } from "../../helpers/child-kiosk.ts";
import { type Child, startChild } from "../../helpers/child-process.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";

const TZ = "Europe/Warsaw";
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

async function post(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("a recovered payment's time", () => {
  it("is the terminal's time of the transaction, in paid_at, the business day and the verification code", async () => {
    const keys = testKeys();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-paidat-"));
    const config = testConfig(keys);
    const first = await run({ config, dataDir, behaviour: "never", logName: "paidat-1" }, dataDir);
    const scanned = await post(`${first.url}/api/scan`, { payload: issueSlip(keys) });
    const id = scanned.body["id"] as string;
    expect((await post(`${first.url}/api/session/pay`, {})).status).toBe(202);
    for (let i = 0; i < 200; i++) {
      const view = (await (await fetch(`${first.url}/api/session`)).json()) as { state: string };
      if (view.state === "authorizing") break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await first.kill("SIGKILL");

    let db = openDatabase(path.join(dataDir, "oplatomat.db"));
    const before = db.prepare("SELECT authorizing_at, total FROM sessions WHERE id = ?").get(id) as {
      authorizing_at: string;
      total: number;
    };
    db.close();
    // The terminal's clock runs a minute behind the kiosk's: its time can never be the recovery's.
    const terminalAt = new Date(Date.parse(before.authorizing_at) - 60_000);
    const second = await run(
      {
        config,
        dataDir,
        behaviour: "approve",
        logName: "paidat-2",
        last: {
          kind: "payment",
          outcome: "approved",
          resultCode: 0,
          message: { pl: "OK", en: "OK", uk: "OK" },
          amount: before.total,
          receiptNumber: "0042",
          traceNumber: "000042",
          terminalId: "52100001",
          authCode: "A12345",
          maskedPan: "************0119",
          cardBrand: "VISA",
          terminalTime: isoWithOffset(terminalAt, TZ).slice(0, 19),
        },
      },
      dataDir,
    );
    await second.kill("SIGTERM");

    db = openDatabase(path.join(dataDir, "oplatomat.db"));
    const row = db
      .prepare(
        "SELECT state, payment_status, paid_at, business_day, verification_code FROM sessions WHERE id = ?",
      )
      .get(id) as Record<string, string>;
    db.close();
    expect(row).toMatchObject({
      state: "done",
      payment_status: "approved",
      paid_at: isoWithOffset(terminalAt, TZ),
      business_day: businessDay(terminalAt, TZ),
    });
    expect(row["verification_code"]).toContain(`|${compactSecond(terminalAt, TZ)}|`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
