/**
 * The ZVT driver against a terminal stand-in written here byte by byte (not the project's simulator):
 * behaviours real terminals show where the spec leaves room (shared/reference/terminal-behaviours.md).
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { TerminalCommandError, TerminalOutcomeUnknownError } from "../../../devices/device.ts";
import { createZvtTerminal } from "../../../devices/terminal/zvt/driver.ts";
import { createDevices } from "../../../kiosk/drivers.ts";
import { createLogger } from "../../../kiosk/ops/logger.ts";
import { terminalBlocking } from "../../../kiosk/status/out-of-order.ts";
import { testConfig, testKeys } from "../../helpers/test-config.ts";
import { FAST, until } from "../zvt/harness.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** A terminal on TCP: splits the stream into APDUs by their length byte and answers each with `reply`. */
async function standIn(reply: (apdu: Buffer) => Buffer[]): Promise<{ port: number; seen: string[] }> {
  const seen: string[] = [];
  const server = net.createServer((socket) => {
    let pending = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 3) {
        const long = pending[2] === 0xff;
        if (long && pending.length < 5) break;
        const total = long ? 5 + pending.readUInt16LE(3) : 3 + pending[2]!;
        if (pending.length < total) break;
        const apdu = pending.subarray(0, total);
        pending = pending.subarray(total);
        seen.push(apdu.subarray(0, 2).toString("hex"));
        for (const out of reply(apdu)) socket.write(out);
      }
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { port: (server.address() as net.AddressInfo).port, seen };
}

const OK = Buffer.from([0x80, 0x00, 0x00]);
const NOT_SUPPORTED = Buffer.from([0x84, 0x83, 0x00]);
/** 06 0F with status byte 00 and terminal id 12345678. */
const COMPLETION = Buffer.from([0x06, 0x0f, 0x07, 0x19, 0x00, 0x29, 0x12, 0x34, 0x56, 0x78]);

describe("a terminal whose ZVT interface is switched off (84 83 to everything)", () => {
  it("is reported as a terminal configuration error, not as offline, and registers once ZVT is back", async () => {
    let zvtOn = false;
    const { port, seen } = await standIn((apdu) => {
      if (!zvtOn) return [NOT_SUPPORTED];
      const control = apdu.readUInt16BE(0);
      if (control === 0x0600 || control === 0x0501) return [OK, COMPLETION];
      return [NOT_SUPPORTED];
    });
    const driver = createZvtTerminal(
      { transport: { type: "tcp", host: "127.0.0.1", port }, password: "314159" },
      undefined,
      FAST,
    );
    cleanups.push(() => driver.close());
    await driver.open();
    await until(() => seen.length >= 2);
    // The password from the configuration leads the registration.
    expect(seen[0]).toBe("0600");

    expect(driver.state).toBe("error");
    expect(driver.lastError?.code).toBe("terminal_configuration");
    expect(driver.lastError?.message).toContain("84 83");
    const health = await driver.checkHealth();
    expect(health.ok).toBe(false);
    expect(health.message).toMatch(/configuration/);
    expect(health.message).not.toMatch(/offline/);
    // The kiosk is out of order for the visitor, for the terminal's configuration.
    expect(terminalBlocking(driver.state)).toMatch(/configuration/);
    // A payment is refused before anything is sent, with the terminal's code.
    const sent = seen.length;
    const refused = await driver.authorize({ amount: 100, persist: () => {} }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TerminalCommandError);
    expect((refused as TerminalCommandError).resultCode).toBe(0x83);
    expect(seen.slice(sent)).not.toContain("0601");

    // A technician switches ZVT on: the next registration retry is accepted.
    zvtOn = true;
    await until(() => driver.state === "idle");
    expect((await driver.checkHealth()).ok).toBe(true);
    expect(terminalBlocking(driver.state)).toBeNull();
  });

  it("a terminal that went away is still offline (a network fault), not a configuration error", () => {
    expect(terminalBlocking("offline")).toBe("the card terminal is offline");
    expect(terminalBlocking("idle")).toBeNull();
    expect(terminalBlocking("busy")).toBeNull();
  });
});

describe("a terminal that closes an idle TCP socket (VX820 and others)", () => {
  /** 04 0F: result 00, amount, PLN, trace 000001, receipt 0001. */
  const approved = (amount: Buffer) =>
    Buffer.concat([
      Buffer.from([0x04, 0x0f, 0x13, 0x27, 0x00, 0x04]),
      amount,
      Buffer.from([0x49, 0x09, 0x85, 0x0b, 0x00, 0x00, 0x01, 0x87, 0x00, 0x01]),
    ]);

  it("is reconnected quietly: never offline, no error, and a payment asked for meanwhile goes through", async () => {
    const sockets: net.Socket[] = [];
    const seen: string[] = [];
    const server = net.createServer((socket) => {
      sockets.push(socket);
      socket.on("error", () => {});
      let pending = Buffer.alloc(0);
      socket.on("data", (chunk) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 3 && pending.length >= 3 + pending[2]!) {
          const apdu = pending.subarray(0, 3 + pending[2]!);
          pending = pending.subarray(3 + pending[2]!);
          const control = apdu.readUInt16BE(0);
          seen.push(control.toString(16));
          if (control === 0x0600 || control === 0x0501) socket.write(Buffer.concat([OK, COMPLETION]));
          else if (control === 0x0601) {
            socket.write(OK);
            socket.write(approved(apdu.subarray(4, 10)));
          } else if (control === 0x040f || apdu[0] === 0x80) {
            // the kiosk's answer to our 04 0F: the payment is complete
            if (seen.includes("601") && !seen.includes("done")) {
              seen.push("done");
              socket.write(Buffer.from([0x06, 0x0f, 0x00]));
            }
          }
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          for (const s of sockets) s.destroy();
          server.close(() => r());
        }),
    );
    const port = (server.address() as net.AddressInfo).port;
    const driver = createZvtTerminal(
      { transport: { type: "tcp", host: "127.0.0.1", port }, password: "000000" },
      undefined,
      FAST,
    );
    cleanups.push(() => driver.close());
    await driver.open();
    expect(driver.state).toBe("idle");
    const states: string[] = [];
    driver.on("state", (state) => states.push(state));

    // The terminal closes the idle socket; the kiosk asks for a payment at once.
    sockets[0]!.end();
    await new Promise((r) => setTimeout(r, 20));
    const tx = await driver.authorize({ amount: 1234, persist: () => {} });
    expect(tx.outcome).toBe("approved");
    expect(tx.amount).toBe(1234);
    // And once more, idle, with nobody asking.
    await until(() => driver.state === "idle");
    sockets[1]!.end();
    await until(() => sockets.length === 3);
    await until(() => seen.filter((c) => c === "600").length === 3);
    await new Promise((r) => setTimeout(r, 100));

    expect(states).not.toContain("offline");
    expect(driver.state).toBe("idle");
    expect(driver.lastError).toBeUndefined();
  });
});

describe("the registration's printer width (tag 12)", () => {
  it("is the configured printer's columns, so the terminal's receipt lines are not cut on a 32-column printer", async () => {
    const registrations: Buffer[] = [];
    const { port } = await standIn((apdu) => {
      if (apdu.readUInt16BE(0) === 0x0600) registrations.push(Buffer.from(apdu));
      return [OK, COMPLETION];
    });
    const keys = testKeys();
    const base = testConfig(keys);
    const devices = await createDevices(
      {
        ...base,
        devices: {
          ...base.devices,
          terminal: {
            protocol: "zvt",
            transport: { type: "tcp", host: "127.0.0.1", port },
            password: "000000",
          },
          printer: {
            protocol: "escpos",
            transport: { type: "tcp", host: "127.0.0.1", port: 9 },
            columns: 32,
          },
        },
      },
      createLogger({ level: "silent" }),
    );
    cleanups.push(() => devices.terminal.close());
    await devices.terminal.open();
    await until(() => registrations.length >= 1);
    // BMP 06 TLV: … 12 01 32 (BCD 32) …
    expect(registrations[0]!.toString("hex")).toContain("120132");
  });
});

describe("a terminal without Status Enquiry (05 01 answered 84 83, command not supported)", () => {
  it("still repeats its last transaction for recovery (06 20): a payment is not left unknown for good", async () => {
    // 04 0F: result 00, amount 12,34 zł, PLN, trace 000007, receipt 0007.
    const repeated = Buffer.from([
      0x04, 0x0f, 0x13, 0x27, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x12, 0x34, 0x49, 0x09, 0x85, 0x0b, 0x00,
      0x00, 0x07, 0x87, 0x00, 0x07,
    ]);
    const { port, seen } = await standIn((apdu) => {
      const control = apdu.readUInt16BE(0);
      if (control === 0x0600) return [OK, COMPLETION];
      if (control === 0x0501) return [NOT_SUPPORTED];
      if (control === 0x0620) return [OK, repeated];
      // The kiosk's answer to the repeated 04 0F: the repeat is complete.
      if (control === 0x8000 && seen.at(-2) === "0620") return [Buffer.from([0x06, 0x0f, 0x00])];
      return [];
    });
    const driver = createZvtTerminal(
      { transport: { type: "tcp", host: "127.0.0.1", port }, password: "000000" },
      undefined,
      FAST,
    );
    cleanups.push(() => driver.close());
    await driver.open();
    await until(() => driver.state === "idle");

    const answer = await driver.lastTransaction();
    expect(seen).toContain("0501");
    expect(answer.kind).toBe("transaction");
    if (answer.kind !== "transaction") return;
    expect(answer.tx).toMatchObject({ outcome: "approved", amount: 1234, receiptNumber: "0007" });
  });
});

describe("an approval whose acknowledgement may not have reached the terminal over TCP", () => {
  it.each([
    ["the link breaks", "break"],
    ["the terminal aborts (06 1E) next, as one that gave up waiting and reversed does", "abort"],
  ] as const)(
    "is not taken as committed because the socket took the 80 00 when %s: unknown, recovery asks",
    async (_what, after) => {
      // 04 0F: result 00, amount 25,00 zł, PLN, trace 000009, receipt 0009.
      const approved = Buffer.from([
        0x04, 0x0f, 0x13, 0x27, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x25, 0x00, 0x49, 0x09, 0x85, 0x0b, 0x00,
        0x00, 0x09, 0x87, 0x00, 0x09,
      ]);
      let statusSent = false;
      const server = net.createServer((socket) => {
        socket.on("error", () => {});
        let pending = Buffer.alloc(0);
        socket.on("data", (chunk) => {
          pending = Buffer.concat([pending, chunk]);
          while (pending.length >= 3 && pending.length >= 3 + pending[2]!) {
            const apdu = pending.subarray(0, 3 + pending[2]!);
            pending = pending.subarray(3 + pending[2]!);
            const control = apdu.readUInt16BE(0);
            if (control === 0x0600) socket.write(Buffer.concat([OK, COMPLETION]));
            else if (control === 0x0601) {
              socket.write(OK);
              socket.write(approved);
              statusSent = true;
            } else if (control === 0x8000 && statusSent) {
              // The kiosk's 80 00 00 to the 04 0F is lost on the way: the terminal never takes it and
              // reverses the payment on its own; the link breaks, or it says so with 06 1E.
              statusSent = false;
              if (after === "break") socket.destroy();
              else socket.write(Buffer.from([0x06, 0x1e, 0x01, 0x6c]));
            }
          }
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
      cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
      const port = (server.address() as net.AddressInfo).port;
      const driver = createZvtTerminal(
        { transport: { type: "tcp", host: "127.0.0.1", port }, password: "000000" },
        undefined,
        FAST,
      );
      cleanups.push(() => driver.close());
      await driver.open();
      await until(() => driver.state === "idle");

      const persisted: string[] = [];
      const acknowledged: string[] = [];
      const outcome = await driver
        .authorize({
          amount: 2500,
          persist: (tx) => {
            persisted.push(tx.outcome);
          },
          acknowledged: (tx) => {
            acknowledged.push(tx.outcome);
          },
        })
        .catch((e: unknown) => e);
      expect(persisted).toEqual(["approved"]);
      // Nothing the terminal sent after the answer proves it took it: not the commit point.
      expect(acknowledged).toEqual([]);
      expect(outcome).toBeInstanceOf(TerminalOutcomeUnknownError);
    },
  );
});
