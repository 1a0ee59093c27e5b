/**
 * Issue 12 through the real daemon (`oplatomat start` in a child process, the real ZVT driver, the
 * ZVT simulator and fake receivers in this process): the kiosk believes only what the terminal
 * proves, and answers liveness while start-up recovery waits on a slow terminal.
 */
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { seededRandom } from "../../../kiosk/integrations/fake-server.ts";
import {
  ADMIN_TOKEN,
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

describe("a void's reversal is never taken for a lost payment (defect 1)", () => {
  it("does not book a second 50,00 zł payment cut off before any card when 06 20 repeats the void", async () => {
    rig = await startRig();
    // 48,00 zł plus the 2,00 zł handling fee: a fixed fee of 50,00 zł, twice.
    const fee = (n: number) =>
      (rig as Rig).pik.issueSlip({
        slip: `S/2026/V${process.pid}-${n}`,
        caseRef: `KOM/${n}/2026`,
        lines: [{ code: "DR", amount: 4_800 }],
      });
    const first = await daemon(rig, { OPLATOMAT_CRASH_AT: "flow.authorizing.written#2" });
    const url = first.url as string;
    expect(await payOnce(url, fee(1))).toBe("paid");
    const [paid] = sessions(rig);
    const voided = await fetch(`${first.managementUrl}/api/admin/payments/${paid?.id}/void`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ reason: "visitor paid the wrong fee" }),
    });
    expect(voided.status).toBe(200);
    expect(rig.terminal.turnover().filter((t) => t.state === "charged")).toHaveLength(0);
    const second = fee(2);
    expect(await payOnce(url, second)).toBe("died");

    const restarted = await daemon(rig);
    await until("recovery decided", () =>
      sessions(rig as Rig).every((s) => !["authorizing", "unknown"].includes(s.state)),
    );
    const after = sessions(rig);
    expect(after[1]).toMatchObject({ state: "cancelled", payment_status: "declined" });
    expect(rig.terminal.turnover().filter((t) => t.state === "charged")).toHaveLength(0);
    // The slip is still open: the visitor pays it now, once.
    await until("ready", async () => (await status(`${restarted.url}/ready`)) === 200);
    expect(await payOnce(restarted.url as string, second)).toBe("paid");
    // Approved in the database = charged at the terminal: the second slip, once.
    const charged = rig.terminal.turnover().filter((t) => t.state === "charged");
    const approved = sessions(rig).filter((s) => s.payment_status === "approved");
    expect(approved.map((s) => Number(s.receipt_no))).toEqual(charged.map((t) => t.receiptNumber));
    expect(sessions(rig).map((s) => s.payment_status)).toEqual(["reversed", "declined", "approved"]);
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
    // Under 30 s: the driver waits that long for a busy terminal before recovery gives up.
    const second = await daemon(rig, {}, 25_000);
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

describe("the printer is asked before a payment starts (defect 5)", () => {
  it("refuses to start a payment, charging nothing, when a printer without status back ran out of paper while idle", async () => {
    rig = await startRig({ printerStatusBack: false });
    const random = seededRandom(51);
    const d = await daemon(rig);
    const url = d.url as string;
    await until("ready", async () => (await status(`${url}/ready`)) === 200);
    rig.printer.set({ paper: "out" });
    const slip = issueSlip(rig, random, 0);
    const scan = await fetch(`${url}/api/scan`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ payload: slip }),
    });
    expect(scan.status).toBe(200);
    const pay = await fetch(`${url}/api/session/pay`, { method: "POST" });
    expect(pay.status).toBe(503);
    expect(((await pay.json()) as { code: string }).code).toBe("PRINTER_UNAVAILABLE");
    expect(rig.terminal.turnover()).toEqual([]);
    expect(sessions(rig).map((s) => s.payment_status)).not.toContain("authorizing");

    rig.printer.set({ paper: "ok" });
    await until("ready again", async () => (await status(`${url}/ready`)) === 200);
    expect(await payOnce(url, slip)).toBe("paid");
  }, 90_000);
});
