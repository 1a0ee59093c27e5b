/**
 * An ESC/POS printer stand-in (written here, not the project's simulator) that answers DLE EOT n slowly:
 * one reply after the other, or one reply after the driver gave up on it. The driver must neither call
 * a slow but answering printer offline nor take a late reply for the answer to a later question.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createEscPosPrinter } from "../../../devices/printer/index.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/**
 * Answers every DLE EOT n with `byteFor(n)`, one reply at a time: the k-th reply (counted from 0 over
 * the connection's life) is written `delayFor(k)` ms after the one before it; a negative delay: never.
 */
async function slowPrinter(delayFor: (k: number) => number, byteFor: (n: number) => number): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    let k = 0;
    let replies = Promise.resolve();
    let pending = Buffer.alloc(0);
    socket.on("data", (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      let i = 0;
      for (; i + 2 < pending.length; i++) {
        if (pending[i] !== 0x10 || pending[i + 1] !== 0x04) continue;
        const n = pending[i + 2]!;
        const wait = delayFor(k++);
        if (wait < 0) continue;
        replies = replies.then(
          () =>
            new Promise<void>((r) =>
              setTimeout(() => {
                if (!socket.destroyed) socket.write(Buffer.from([byteFor(n)]));
                r();
              }, wait),
            ),
        );
      }
      pending = pending.subarray(i);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return (server.address() as net.AddressInfo).port;
}

const STATUS_TIMEOUT_MS = 300;

function printerOn(port: number) {
  const printer = createEscPosPrinter(
    { transport: { type: "tcp", host: "127.0.0.1", port }, columns: 48 },
    undefined,
    { statusTimeoutMs: STATUS_TIMEOUT_MS, pollIntervalMs: 60_000, idlePollIntervalMs: 60_000 },
  );
  cleanups.push(() => printer.close());
  return printer;
}

describe("a printer that answers DLE EOT slowly", () => {
  it("answering one question after the other, each within the timeout, is ready, not offline", async () => {
    // Four replies 0.6 × the timeout apart: the round takes 2.4 × the timeout.
    const port = await slowPrinter(
      () => STATUS_TIMEOUT_MS * 0.6,
      () => 0x12,
    );
    const printer = printerOn(port);
    await printer.open();
    expect(printer.state).toBe("idle");
    expect(await printer.readiness()).toEqual({ ready: true, paper: "ok" });
  });

  it("a reply that comes after the driver gave up is dropped, not read as the next question's answer", async () => {
    // Paper end: DLE EOT 2 says "stopped by paper end", DLE EOT 4 "paper end"; the rest all clear.
    // The 4th reply of the connection (the first round's DLE EOT 4) comes after the timeout.
    const byteFor = (n: number) => (n === 4 ? 0x72 : n === 2 ? 0x32 : 0x12);
    const port = await slowPrinter((k) => (k === 3 ? STATUS_TIMEOUT_MS * 1.5 : 5), byteFor);
    const printer = printerOn(port);
    await printer.open();
    for (let i = 0; i < 3; i++) {
      const status = await printer.status();
      expect(status).toEqual({ online: true, paper: "out", coverOpen: false, failure: false });
    }
    expect(await printer.readiness()).toEqual({ ready: false, reason: "paper_out" });
  });

  it("a printer that never answers is still offline", async () => {
    const port = await slowPrinter(
      () => 60_000,
      () => 0x12,
    );
    const printer = printerOn(port);
    await printer.open();
    expect(printer.state).toBe("offline");
    expect(await printer.readiness()).toEqual({ ready: false, reason: "offline" });
  });
});
