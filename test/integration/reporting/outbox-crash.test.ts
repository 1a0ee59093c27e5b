/**
 * The outbox half of the reporting acceptance: 1 000 payments through fakes answering 30 % 5xx and
 * hanging 10 %, with the process that records and delivers them SIGKILLed and restarted three times.
 * Every payment reaches each fake, each exactly once by idempotency key, in order, none lost.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakePik } from "../../../kiosk/integrations/fake-pik.ts";
import { FakeSettlement } from "../../../kiosk/integrations/fake-settlement.ts";
import { openDatabase } from "../../../kiosk/store/db.ts";
import { waitFor } from "./harness.ts";

const PAYMENTS = 1000;
const CHILD = path.join(import.meta.dirname, "outbox-child.ts");

describe("outbox through crashes", () => {
  let dir: string;
  let pik: FakePik;
  let settlement: FakeSettlement;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-outbox-crash-"));
    pik = await FakePik.start({ office: "PZ1465", faults: { errorRate: 0.3, hangRate: 0.1, seed: 2026 } });
    settlement = await FakeSettlement.start({ faults: { errorRate: 0.3, hangRate: 0.1, seed: 1465 } });
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await Promise.all([pik.close(), settlement.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function startChild(file: string): Promise<ChildProcess> {
    const c = spawn(
      process.execPath,
      ["--import", "tsx", CHILD, file, pik.url, settlement.url, String(PAYMENTS)],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    await new Promise<void>((resolve, reject) => {
      c.stdout?.on("data", (d: Buffer) => {
        if (d.toString().includes("ready")) resolve();
      });
      c.once("exit", (code) => reject(new Error(`child exited early (${code})`)));
    });
    return c;
  }

  async function kill(c: ChildProcess): Promise<void> {
    const exited = new Promise<void>((r) => c.once("exit", () => r()));
    c.kill("SIGKILL");
    await exited;
  }

  it("delivers every payment exactly once to each fake across three SIGKILLs", async () => {
    const file = path.join(dir, "kiosk.db");
    for (const threshold of [120, 450, 800]) {
      child = await startChild(file);
      await waitFor(
        () => settlement.countByKey().size >= threshold,
        `${threshold} settlement effects`,
        90_000,
      );
      await kill(child);
    }
    child = await startChild(file);
    await waitFor(
      () => settlement.transactions().length === PAYMENTS && pik.payments().length === PAYMENTS,
      "every payment at both fakes",
      90_000,
    );
    const db = openDatabase(file);
    await waitFor(
      () =>
        (db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status <> 'delivered'").get() as { n: number })
          .n === 0,
      "an empty outbox",
      30_000,
    );
    await kill(child);
    const expected = Array.from({ length: PAYMENTS }, (_, i) => `pay-${String(i).padStart(6, "0")}`);
    expect((db.prepare("SELECT COUNT(*) AS n FROM sessions").get() as { n: number }).n).toBe(PAYMENTS);
    for (const [fake, destination, kind] of [
      [pik, "pik", "payment"],
      [settlement, "settlement", "transaction"],
    ] as const) {
      const effects = fake.countByKey();
      expect([...effects.values()].every((n) => n === 1)).toBe(true);
      expect([...effects.keys()]).toEqual(expected.map((id) => `${destination}.${kind}.${id}`));
      const faults = fake.received().map((r) => r.fault);
      expect(faults).toContain("error");
      expect(faults).toContain("hang");
    }
    expect(settlement.totalsPerRecipient()).toEqual({
      POWIAT: expected.reduce((a, _, i) => a + 5400 + (i % 7), 0),
      OPERATOR: PAYMENTS * 200,
    });
    db.close();
  }, 240_000);
});
