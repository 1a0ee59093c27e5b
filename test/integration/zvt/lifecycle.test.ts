import { afterEach, describe, expect, it } from "vitest";
import { runTerminalSimCli } from "../../../devices/sim/zvt/cli.ts";
import { ZvtTerminalSimulator } from "../../../devices/sim/zvt-terminal.ts";
import { createZvtTerminal, ZvtTerminal } from "../../../devices/terminal/zvt/driver.ts";
import { TcpTransport } from "../../../devices/transport/tcp.ts";
import { freePort } from "../../helpers/free-port.ts";
import { capturingLogger, FAST, until } from "./harness.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe("ZVT driver life cycle", () => {
  it("opens without a terminal (offline, no crash), then registers once the terminal appears", async () => {
    const port = await freePort();
    const transport = new TcpTransport({ host: "127.0.0.1", port, initialDelayMs: 20, maxDelayMs: 50 });
    const driver = new ZvtTerminal({ transport, password: "000000", timeouts: FAST });
    cleanups.push(() => driver.close());
    await driver.open();
    expect(driver.state).toBe("offline");
    expect((await driver.checkHealth()).ok).toBe(false);
    const sim = new ZvtTerminalSimulator();
    cleanups.push(() => sim.stop());
    await sim.listenTcp(port);
    await until(() => driver.state === "idle");
    const health = await driver.checkHealth();
    expect(health).toMatchObject({ ok: true, state: "idle" });
    expect(health.details?.terminalId).toBe("52523535");
    expect(health.details?.softwareVersion).toBe("OPLSIM-ZVT 1.0");
  });

  it("polls the terminal status while idle and reports a terminal that needs attention", async () => {
    const sim = new ZvtTerminalSimulator({ terminalStatus: 0xf0 });
    cleanups.push(() => sim.stop());
    const port = await sim.listenTcp(0);
    const driver = createZvtTerminal(
      { transport: { type: "tcp", host: "127.0.0.1", port }, password: "000000" },
      capturingLogger(),
      { ...FAST, pollIntervalMs: 50 },
    );
    cleanups.push(() => driver.close());
    await driver.open();
    await until(() => (driver.statistics().status_enquiries ?? 0) >= 2);
    const health = await driver.checkHealth();
    expect(health.ok).toBe(false);
    expect(health.message).toContain("reconciliation required");
  });

  it("registers with the kiosk's registration (06 00, config BE, PLN, ISO 8859-2) at open", async () => {
    const sim = new ZvtTerminalSimulator();
    cleanups.push(() => sim.stop());
    const port = await sim.listenTcp(0);
    const driver = createZvtTerminal({
      transport: { type: "tcp", host: "127.0.0.1", port },
      password: "000000",
    });
    cleanups.push(() => driver.close());
    await driver.open();
    expect(driver.state).toBe("idle");
    expect(sim.received[0]).toBe(0x0600);
    const tx = await driver.authorize({ amount: 250, persist: () => {} });
    // Polish text on the receipt survives only if both sides agreed on ISO 8859-2.
    expect(tx.outcome).toBe("approved");
  });
});

describe("oplatomat sim terminal", () => {
  it("serves over TCP (--tcp 0) and a kiosk can pay against it", async () => {
    const lines: string[] = [];
    const running = await runTerminalSimCli(["--tcp", "0", "--delay", "0"], (l) => lines.push(l));
    cleanups.push(() => running!.stop());
    expect(lines[0]).toMatch(/^ZVT terminal simulator listening on tcp:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(running!.address.split(":").at(-1));
    const driver = createZvtTerminal({
      transport: { type: "tcp", host: "127.0.0.1", port },
      password: "000000",
    });
    cleanups.push(() => driver.close());
    await driver.open();
    expect((await driver.authorize({ amount: 1000, persist: () => {} })).outcome).toBe("approved");
    expect((await driver.authorize({ amount: 1051, persist: () => {} })).outcome).toBe("declined");
  });

  it("serves over a pty (--pty LINK) that the kiosk opens as its serial device", async () => {
    const dir = (await import("node:fs")).mkdtempSync(`${(await import("node:os")).tmpdir()}/oplatomat-cli-`);
    const link = `${dir}/terminal`;
    const running = await runTerminalSimCli(
      ["--pty", link, "--delay", "0", "--ack-lost", "commit"],
      () => {},
    );
    cleanups.push(async () => {
      await running!.stop();
      (await import("node:fs")).rmSync(dir, { recursive: true, force: true });
    });
    expect(running!.simulator.options.ackLostBehaviour).toBe("commit");
    const driver = createZvtTerminal({
      transport: { type: "serial", path: link, baudRate: 9600 },
      password: "000000",
    });
    cleanups.push(() => driver.close());
    await driver.open();
    expect(driver.state).toBe("idle");
    expect((await driver.authorize({ amount: 1000, persist: () => {} })).outcome).toBe("approved");
  });

  it("rejects contradictory arguments with the usage text", async () => {
    await expect(runTerminalSimCli(["--tcp", "1", "--pty", "/tmp/x"], () => {})).rejects.toThrow(
      /exactly one/,
    );
    await expect(runTerminalSimCli(["--tcp", "0", "--ack-lost", "maybe"], () => {})).rejects.toThrow(
      /commit or reverse/,
    );
    const help: string[] = [];
    expect(await runTerminalSimCli(["--help"], (l) => help.push(l))).toBeUndefined();
    expect(help[0]).toContain("usage: oplatomat sim terminal");
  });
});
