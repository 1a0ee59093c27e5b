/**
 * Issue 6's delivery proof: 1 000 payments through receivers that answer 30 % of deliveries with
 * a 5xx and leave 10 % hanging after taking them, while the daemon is SIGKILLed mid-payment and
 * restarted three times. Every payment ends up at PiK and at settlement, each exactly once by
 * Idempotency-Key, and the database agrees with what the terminal charged.
 */
import { afterAll, describe, expect, it } from "vitest";
import { seededRandom } from "../../kiosk/integrations/fake-server.ts";
import {
  checkInvariants,
  type Daemon,
  issueSlip,
  payOnce,
  type Rig,
  startDaemon,
  startRig,
  waitForOutbox,
} from "./rig.ts";

const PAYMENTS = Number(process.env["CHAOS_PAYMENTS"] ?? 1_000);
const KILLS = 3;

describe("outbox under faulty receivers and SIGKILL", () => {
  let rig: Rig | undefined;
  let daemon: Daemon | undefined;

  afterAll(async () => {
    await daemon?.kill();
    await rig?.close();
  });

  it(`${PAYMENTS} payments, 30 % 5xx, 10 % hangs, ${KILLS} kills: every one delivered once to each receiver`, async () => {
    rig = await startRig({ faults: { errorRate: 0.3, hangRate: 0.1, seed: 6 }, deliveryTimeoutMs: 150 });
    const random = seededRandom(66);
    const killAt = Array.from({ length: KILLS }, (_, i) => Math.floor(((i + 1) * PAYMENTS) / (KILLS + 1)));
    let paid = 0;
    let kills = 0;
    let retry: string | undefined;
    daemon = await startDaemon(rig);
    while (paid < PAYMENTS) {
      const d = daemon;
      const payload = retry ?? issueSlip(rig, random, 0);
      retry = undefined;
      let killer: NodeJS.Timeout | undefined;
      if (kills < KILLS && paid >= (killAt[kills] as number)) {
        // Mid-payment, at a moment nobody chose: the scan, the terminal, the commit or the outbox.
        killer = setTimeout(() => void d.kill(), 5 + Math.floor(random() * 60));
        kills += 1;
      }
      const outcome = await payOnce(d.url as string, payload);
      if (killer) {
        clearTimeout(killer);
        await d.kill();
        daemon = await startDaemon(rig);
        if (outcome !== "paid") retry = payload;
        else paid += 1;
        continue;
      }
      if (outcome === "paid") paid += 1;
      else if (outcome !== "already_paid") retry = payload;
    }
    await waitForOutbox(rig, 240_000);
    await daemon.stop();

    const verdict = checkInvariants(rig);
    expect(verdict.problems).toEqual([]);
    expect(kills).toBe(KILLS);
    expect(verdict.approved).toBeGreaterThanOrEqual(PAYMENTS);
    expect(rig.pik.payments().length).toBe(verdict.approved);
    const posts = [...rig.pik.received(), ...rig.settlement.received()].filter((r) => r.method === "POST");
    const replays = posts.length - verdict.outbox;
    console.info(
      `outbox chaos: ${verdict.approved} payments, ${verdict.outbox} messages each delivered once; ` +
        `${replays} repeated deliveries (answers lost to hangs and kills) absorbed by Idempotency-Key`,
    );
  }, 900_000);
});
