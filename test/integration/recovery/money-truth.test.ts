/**
 * Issue 12 through the real daemon (`oplatomat start` in a child process, the real ZVT driver, the
 * ZVT simulator and fake receivers in this process): the kiosk believes only what the terminal
 * proves, and answers liveness while start-up recovery waits on a slow terminal.
 */
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { seededRandom } from "../../../kiosk/integrations/fake-server.ts";
import {
  checkInvariants,
  type Daemon,
  issueSlip,
  payOnce,
  type Rig,
  startDaemon,
  startRig,
  waitForOutbox,
} from "../../crash/rig.ts";

let rig: Rig | undefined;
const daemons: Daemon[] = [];

afterEach(async () => {
  for (const d of daemons.splice(0)) await d.kill();
  await rig?.close();
  rig = undefined;
});

async function daemon(r: Rig, env: Record<string, string> = {}, timeoutMs?: number): Promise<Daemon> {
  const d = await startDaemon(r, env, timeoutMs);
  daemons.push(d);
  return d;
}

interface Row {
  id: string;
  state: string;
  payment_status: string | null;
  receipt_no: string | null;
}

function sessions(r: Rig): Row[] {
  const db = new Database(r.dbFile, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare("SELECT id, state, payment_status, receipt_no FROM sessions ORDER BY created_at")
      .all() as Row[];
  } finally {
    db.close();
  }
}

async function until(
  what: string,
  probe: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const status = async (url: string): Promise<number> => (await fetch(url)).status;

describe("an acknowledged approval is paid whatever 06 20 says (defect 2)", () => {
  it("is booked paid after a crash past the acknowledgement, with a terminal that repeats nothing", async () => {
    rig = await startRig();
    rig.terminal.options.repeatReceipt = "none";
    const random = seededRandom(21);
    const slip = issueSlip(rig, random, 0);
    const first = await daemon(rig, { OPLATOMAT_CRASH_AT: "flow.result.acknowledged" });
    expect(await payOnce(first.url as string, slip)).toBe("died");
    expect(first.output()).toContain("CRASH at flow.result.acknowledged");
    expect(rig.terminal.turnover().filter((t) => t.state === "charged")).toHaveLength(1);

    const second = await daemon(rig);
    const url = second.url as string;
    await until("ready after recovery", async () => (await status(`${url}/ready`)) === 200);
    expect(sessions(rig)).toMatchObject([{ state: "done", payment_status: "approved" }]);
    expect(await payOnce(url, slip)).toBe("already_paid");
    await waitForOutbox(rig, 30_000);
    await second.stop();
    expect(checkInvariants(rig).problems).toEqual([]);
  }, 90_000);

  it("is never ended as not charged when the kiosk dies right as the terminal takes the acknowledgement", async () => {
    rig = await startRig();
    rig.terminal.options.repeatReceipt = "none";
    const random = seededRandom(22);
    const slip = issueSlip(rig, random, 0);
    const first = await daemon(rig);
    // Killed from outside the moment the terminal has the acknowledgement, before its completion.
    rig.terminal.on("transaction", (tx) => {
      if (tx.acknowledged && tx.state === "charged") first.proc.kill("SIGKILL");
    });
    expect(await payOnce(first.url as string, slip)).toBe("died");
    await first.kill();

    const second = await daemon(rig);
    await until("recovery decided", async () => {
      const [s] = sessions(rig as Rig);
      if (s?.state === "done" || s?.state === "cancelled") return true;
      return (
        s?.state === "unknown" &&
        (await fetch(`${second.url}/ready`)).status === 503 &&
        JSON.stringify(await (await fetch(`${second.url}/ready`)).json()).includes("staff must check")
      );
    });
    // Paid (the acknowledgement was recorded) or honestly unknown for staff: never "not charged".
    const [row] = sessions(rig);
    expect(["done/approved", "unknown/unknown"]).toContain(`${row?.state}/${row?.payment_status}`);
    expect(await payOnce(second.url as string, slip)).not.toBe("paid");
    expect(rig.terminal.turnover().filter((t) => t.state === "charged")).toHaveLength(1);
  }, 90_000);
});

describe("liveness during start-up recovery (defect 7)", () => {
  it("answers /health while recovery waits on a busy terminal, shows out of order, and serves once it is done", async () => {
    rig = await startRig();
    const random = seededRandom(71);
    const first = await daemon(rig, { OPLATOMAT_CRASH_AT: "flow.authorizing.written#2" });
    expect(await payOnce(first.url as string, issueSlip(rig, random, 0))).toBe("paid");
    const slip = issueSlip(rig, random, 0);
    expect(await payOnce(first.url as string, slip)).toBe("died");

    // The terminal says "busy" to every status enquiry: recovery cannot ask it for its last transaction.
    rig.terminal.options.terminalStatus = 0x9c;
    const second = await daemon(rig, {}, 15_000);
    const url = second.url as string;
    expect(await status(`${url}/health`)).toBe(200);
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toContain("unfinished payments are being checked");
    const view = (await (await fetch(`${url}/api/session`)).json()) as { state: string };
    expect(view.state).toBe("out_of_order");
    expect(sessions(rig).map((s) => s.state)).toEqual(["done", "unknown"]);

    rig.terminal.options.terminalStatus = 0;
    await until("ready once recovery is done", async () => (await status(`${url}/ready`)) === 200);
    // The terminal repeated the first payment: the second never reached it.
    expect(sessions(rig).map((s) => s.state)).toEqual(["done", "cancelled"]);
    expect(await payOnce(url, slip)).toBe("paid");
  }, 120_000);
});
