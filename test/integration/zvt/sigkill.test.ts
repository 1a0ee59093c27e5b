/**
 * SIGKILL of a real process that drives the terminal, at two points of an authorization, against
 * the simulator in both acknowledgement-lost behaviours; a fresh driver then recovers with 06 20 and
 * the verdict must agree with the simulator's turnover store: charged exactly once, or not at all.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createPtyPair } from "../../../devices/sim/pty-pair.ts";
import { ZvtTerminalSimulator } from "../../../devices/sim/zvt-terminal.ts";
import { ZvtTerminal } from "../../../devices/terminal/zvt/driver.ts";
import { SerialTransport } from "../../../devices/transport/serial.ts";
import { TcpTransport } from "../../../devices/transport/tcp.ts";
import { matchLastTransaction } from "../../../kiosk/domain/recovery-match.ts";
import { FAST, until, type Wire } from "./harness.ts";

const CHILD = path.resolve(import.meta.dirname, "child-authorize.ts");
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

function startChild(args: string[]): { child: ChildProcess; waitFor(word: string): Promise<void> } {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.resume();
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
    }
  });
  return {
    child,
    waitFor: (word) => until(() => out.includes(word), 15_000),
  };
}

type KillPoint = "INTERMEDIATE" | "PERSIST";

describe.each<Wire>(["tcp", "serial"])("SIGKILL mid-authorization over %s", (wire) => {
  it.each<["commit" | "reverse", KillPoint]>([
    ["reverse", "PERSIST"],
    ["commit", "PERSIST"],
    ["reverse", "INTERMEDIATE"],
    ["commit", "INTERMEDIATE"],
  ])("terminal that %ss unacknowledged payments, killed at %s", async (behaviour, point) => {
    const sim = new ZvtTerminalSimulator({
      ackLostBehaviour: behaviour,
      answerTimeoutMs: 500,
      intermediateDelayMs: point === "INTERMEDIATE" ? 100 : 0,
    });
    cleanups.push(() => sim.stop());
    let address: string;
    let transport: () => TcpTransport | SerialTransport;
    if (wire === "tcp") {
      const port = await sim.listenTcp(0);
      address = String(port);
      transport = () => new TcpTransport({ host: "127.0.0.1", port, initialDelayMs: 20, maxDelayMs: 100 });
    } else {
      const pair = await createPtyPair();
      cleanups.push(() => pair.close());
      await sim.attachSerial(pair.pathB);
      address = pair.pathA;
      transport = () =>
        new SerialTransport({
          path: pair.pathA,
          baudRate: 9600,
          initialDelayMs: 20,
          maxDelayMs: 100,
          presenceCheckMs: 50,
        });
    }
    // An earlier, committed payment, so "the last transaction" is not trivially ours.
    const earlier = await (async () => {
      const d = new ZvtTerminal({ transport: transport(), password: "000000", timeouts: FAST });
      await d.open();
      const tx = await d.authorize({ amount: 500, persist: () => {} });
      await d.close();
      return tx;
    })();

    const intent = { amount: 7777, createdAt: new Date() };
    const attempt = { total: intent.amount, receiptNo: null, authorizingAt: intent.createdAt.toISOString() };
    const previous = { receiptNo: earlier.receiptNumber!, traceNo: earlier.traceNumber ?? null };
    const { child, waitFor } = startChild([wire, address, String(intent.amount)]);
    await waitFor(point);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    const driver = new ZvtTerminal({
      transport: transport(),
      password: "000000",
      timeouts: { ...FAST, readyWaitMs: 5000 },
    });
    cleanups.push(() => driver.close());
    await driver.open();
    await until(() => driver.state === "idle");
    // The terminal settles the orphan (T3 without an answer) before it answers the repeat receipt.
    await until(() => !sim.store.all().some((t) => t.state === "pending"));
    const answer = await driver.lastTransaction();
    const last = answer.kind === "transaction" ? answer.tx : null;
    const verdict = matchLastTransaction(attempt, last, previous, "Europe/Warsaw");
    const ours = sim.turnover().filter((t) => t.amount === intent.amount);
    if (verdict === "charged") {
      expect(ours).toHaveLength(1);
      expect(last?.receiptNumber).toBe(String(ours[0]!.receiptNumber).padStart(4, "0"));
    } else {
      expect(["not approved", "other amount", "older transaction"]).toContain(verdict);
      expect(ours).toHaveLength(0);
    }
    if (point === "PERSIST") expect(verdict).toBe(behaviour === "commit" ? "charged" : "not approved");
    else expect(verdict).not.toBe("charged");
    expect(sim.turnover().map((t) => t.amount)).toContain(500);
  });
});
