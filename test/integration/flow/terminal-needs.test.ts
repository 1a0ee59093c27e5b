/**
 * The whole kiosk over the real ZVT driver and the terminal simulator (TCP) when the terminal asks for
 * something: initialisation (51) the driver sends itself, after which a visitor pays; a terminal that
 * keeps asking leaves the kiosk out of order with the technician's reason; an end-of-day (F0) the flow
 * runs itself, once, with its totals stored, and never while a payment is unresolved. Before this change
 * the kiosk stayed in service with a terminal refusing every payment, and nobody closed the day.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TerminalNeed } from "../../../devices/device.ts";
import { FakePrinter } from "../../../devices/sim/fake-printer.ts";
import { ZvtTerminalSimulator, type ZvtSimulatorOptions } from "../../../devices/sim/zvt-terminal.ts";
import { CMD } from "../../../devices/terminal/zvt/commands.ts";
import { ZvtTerminal } from "../../../devices/terminal/zvt/driver.ts";
import { TcpTransport } from "../../../devices/transport/tcp.ts";
import { createKiosk, type Kiosk } from "../../../kiosk/main.ts";
import { createLogger } from "../../../kiosk/ops/logger.ts";
import { type Harness, makeHarness, testLogFile, waitForState } from "../../helpers/kiosk-harness.ts";
import { StandInIo, StandInScanner } from "../../helpers/stand-ins.ts";
import { issueSlip, type TestKeys, testConfig, testKeys } from "../../helpers/test-config.ts";
import { FAST, until } from "../zvt/harness.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

interface ZvtKiosk {
  kiosk: Kiosk;
  sim: ZvtTerminalSimulator;
  driver: ZvtTerminal;
  keys: TestKeys;
}

async function zvtKiosk(simOptions: ZvtSimulatorOptions, logName: string): Promise<ZvtKiosk> {
  const sim = new ZvtTerminalSimulator({ answerTimeoutMs: 1000, ...simOptions });
  const port = await sim.listenTcp(0);
  cleanups.push(() => sim.stop());
  const driver = new ZvtTerminal({
    transport: new TcpTransport({ host: "127.0.0.1", port, initialDelayMs: 20, maxDelayMs: 100 }),
    password: "000000",
    timeouts: { ...FAST, pollIntervalMs: 25, selfCareBackoffMs: 0, readyWaitMs: 3000 },
  });
  const keys = testKeys();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-needs-"));
  const kiosk = await createKiosk({
    config: testConfig(keys),
    dataDir,
    devices: {
      terminal: driver,
      printer: new FakePrinter(),
      scanner: new StandInScanner(),
      gpio: new StandInIo(),
    },
    logger: createLogger({ level: "debug", destination: testLogFile(logName) }),
    uiDir: path.join(dataDir, "no-ui"),
  });
  cleanups.push(async () => {
    await kiosk.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  await kiosk.start({ port: 0 });
  return { kiosk, sim, driver, keys };
}

async function pay(k: ZvtKiosk, states = ["done"]): Promise<string> {
  const view = await k.kiosk.flow.scan(issueSlip(k.keys));
  expect(view.state).toBe("summary");
  await k.kiosk.flow.pay();
  await waitForState(k.kiosk, states, 15_000);
  return view.id as string;
}

const sent = (sim: ZvtTerminalSimulator, control: number): number =>
  sim.received.filter((c) => c === control).length;

function closings(kiosk: Kiosk): Array<{ terminal_total: number; terminal_count: number }> {
  return kiosk.db
    .prepare("SELECT terminal_total, terminal_count FROM terminal_days ORDER BY id")
    .all() as Array<{
    terminal_total: number;
    terminal_count: number;
  }>;
}

function auditActors(kiosk: Kiosk, action: string): string[] {
  const rows = kiosk.db.prepare("SELECT actor FROM audit WHERE action = ? ORDER BY id").all(action) as Array<{
    actor: string;
  }>;
  return rows.map((r) => r.actor);
}

describe("the terminal asks for a command (kiosk over the ZVT driver and simulator)", () => {
  it("status 51 → the kiosk sends 06 93 → ready → a visitor's payment is approved", async () => {
    const k = await zvtKiosk({ profile: "needs-initialisation" }, "needs-init");
    await until(() => !k.kiosk.flow.isOutOfOrder() && k.sim.needs === undefined, 10_000);
    expect(sent(k.sim, CMD.initialisation)).toBe(1);
    await pay(k);
    expect(k.kiosk.flow.view().payment?.status).toBe("approved");
    expect(k.sim.turnover().map((t) => t.amount)).toEqual([16000]);
    // 06 93 went out before the payment's 06 01.
    expect(k.sim.received.indexOf(CMD.initialisation)).toBeLessThan(
      k.sim.received.indexOf(CMD.authorization),
    );
  });

  it("a terminal that keeps answering 51: three initialisations, then out of order for a technician", async () => {
    const k = await zvtKiosk(
      { profile: "needs-initialisation", failingInitialisations: Number.POSITIVE_INFINITY },
      "needs-init-fails",
    );
    await until(() => k.kiosk.flow.outOfOrder().some((r) => /attempts did not help/.test(r)), 10_000);
    expect(k.kiosk.flow.outOfOrder().join("; ")).toMatch(
      /needs initialisation.*a technician must see to the terminal/,
    );
    expect(k.driver.lastError?.code).toBe("terminal_needs_service");
    const polls = k.driver.statistics().status_enquiries ?? 0;
    await until(() => (k.driver.statistics().status_enquiries ?? 0) >= polls + 5, 10_000);
    expect(sent(k.sim, CMD.initialisation)).toBe(3);
    await expect(k.kiosk.flow.scan(issueSlip(k.keys))).rejects.toThrow(/out of order/);
  });

  it("status F0 → the flow's end-of-day runs once, its totals stored and audited", async () => {
    const k = await zvtKiosk({}, "needs-eod");
    await until(() => !k.kiosk.flow.isOutOfOrder(), 10_000);
    await pay(k);
    k.sim.startNeeding("end_of_day");
    await until(() => closings(k.kiosk).length === 1, 10_000);
    expect(closings(k.kiosk)).toEqual([{ terminal_total: 16000, terminal_count: 1 }]);
    expect(auditActors(k.kiosk, "end_of_day")).toEqual(["terminal"]);
    // The terminal is ready again; many polls later nothing more was closed.
    const polls = k.driver.statistics().status_enquiries ?? 0;
    await until(() => (k.driver.statistics().status_enquiries ?? 0) >= polls + 5, 10_000);
    expect(sent(k.sim, CMD.endOfDay)).toBe(1);
    expect(closings(k.kiosk)).toHaveLength(1);
    // Out of order only while the end-of-day ran (its reports written too).
    await until(
      () => !k.kiosk.flow.isOutOfOrder(),
      10_000,
      () => k.kiosk.flow.outOfOrder().join("; "),
    );
  });

  it("status F0 while a payment is unresolved → no end-of-day until staff resolved it", async () => {
    // repeats-nothing: 06 20 proves nothing, so a payment whose answer was lost stays unknown.
    const k = await zvtKiosk({ profile: "repeats-nothing" }, "needs-eod-unresolved");
    await until(() => !k.kiosk.flow.isOutOfOrder(), 10_000);
    k.sim.setNextOutcome("noAnswer");
    const id = await pay(k, ["unknown"]);
    k.sim.startNeeding("end_of_day");
    await until(() => (k.driver.statistics().end_of_day_requests ?? 0) === 1, 10_000);
    const polls = k.driver.statistics().status_enquiries ?? 0;
    await until(() => (k.driver.statistics().status_enquiries ?? 0) >= polls + 5, 10_000);
    expect(sent(k.sim, CMD.endOfDay)).toBe(0);
    expect(closings(k.kiosk)).toHaveLength(0);

    await k.kiosk.flow.resolveUnknown(
      id,
      { verdict: "not_charged", note: "terminal journal: nothing" },
      "tech",
    );
    await until(() => closings(k.kiosk).length === 1, 10_000);
    expect(sent(k.sim, CMD.endOfDay)).toBe(1);
    expect(auditActors(k.kiosk, "end_of_day")).toEqual(["terminal"]);
  });

  it("status 51 while a payment is unresolved → no 06 93 until staff resolved it", async () => {
    // review18: the driver refuses an end-of-day while a lost payment's outcome is open, since the
    // terminal's memory of it is all recovery has; an initialisation changes the terminal's state as
    // much (parameters fetched from the host, and on some terminals the batch closed first), so it waits
    // likewise. The terminal refuses payments meanwhile, and the kiosk is out of order for the unknown
    // payment anyway: waiting costs nothing.
    const k = await zvtKiosk({ profile: "repeats-nothing" }, "needs-init-unresolved");
    await until(() => !k.kiosk.flow.isOutOfOrder(), 10_000);
    k.sim.setNextOutcome("noAnswer");
    const id = await pay(k, ["unknown"]);
    k.sim.startNeeding("initialisation");
    await until(() => (k.driver.statistics().service_requests ?? 0) === 1, 10_000);
    const polls = k.driver.statistics().status_enquiries ?? 0;
    await until(() => (k.driver.statistics().status_enquiries ?? 0) >= polls + 5, 10_000);
    expect(sent(k.sim, CMD.initialisation)).toBe(0);

    await k.kiosk.flow.resolveUnknown(
      id,
      { verdict: "not_charged", note: "terminal journal: nothing" },
      "tech",
    );
    await until(() => k.sim.needs === undefined, 10_000);
    expect(sent(k.sim, CMD.initialisation)).toBe(1);
  });
});

describe("the flow answers each end-of-day request at most once", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("the same request repeated at every poll closes the day once; a new request closes it again", async () => {
    h = await makeHarness({ logName: "needs-eod-once" });
    const terminal = h.terminal as unknown as { emit(e: "need", n: TerminalNeed): void };
    const tell = (need: TerminalNeed) => terminal.emit("need", need);
    const need: TerminalNeed = {
      action: "end_of_day",
      code: 0xf0,
      reason: "terminal status F0",
      by: "flow",
      request: 1,
    };
    tell(need);
    tell(need);
    const kiosk = h.kiosk;
    await until(() => closings(kiosk).length === 1);
    tell(need);
    tell(need);
    await new Promise((r) => setImmediate(r));
    expect(closings(kiosk)).toHaveLength(1);
    // A request that finds the terminal held (the first closing still writing its reports) is put off;
    // the driver repeats it at each poll, as here.
    await until(() => {
      tell({ ...need, request: 2 });
      return closings(kiosk).length === 2;
    }, 15_000);
    expect(auditActors(kiosk, "end_of_day")).toEqual(["terminal", "terminal"]);
  });
});
