/**
 * The visitor's payment through `oplatomat start` with an ESC/POS printer stand-in written here from
 * the reference's recipe alone (device-layer §4.5 and §5: `DLE EOT n` answered with a status byte,
 * `GS a n` with a 4-byte automatic status back, every other byte recorded), not the project's
 * simulator: it never answers `GS r 1`. The receipt must be printed and counted as printed, not left
 * to the job timeout and reported as not printed.
 */
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";
import { type ConformanceKiosk, startConformanceKiosk } from "./rig.ts";

/** A printer that is online with paper: DLE EOT n → 0x12, GS a n (n ≠ 0) → 10 00 00 00. */
async function recipePrinter(): Promise<{ port: number; received: () => Buffer; close(): Promise<void> }> {
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    let pending = Buffer.alloc(0);
    socket.on("data", (data: Buffer) => {
      chunks.push(data);
      pending = Buffer.concat([pending, data]);
      let i = 0;
      for (; i + 2 < pending.length; i++) {
        const [a, b, n] = [pending[i], pending[i + 1], pending[i + 2] as number];
        if (a === 0x10 && b === 0x04) socket.write(Buffer.from([0x12]));
        else if (a === 0x1d && b === 0x61 && n !== 0) socket.write(Buffer.from([0x10, 0, 0, 0]));
      }
      pending = pending.subarray(i);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    received: () => Buffer.concat(chunks),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const keys = testKeys();
let printer: Awaited<ReturnType<typeof recipePrinter>>;
let kiosk: ConformanceKiosk | undefined;

beforeAll(async () => {
  printer = await recipePrinter();
  const base = testConfig(keys);
  kiosk = await startConformanceKiosk("printer", {
    ...base,
    kiosk: { id: "KIOSK-P", languages: ["pl"] },
    devices: {
      ...base.devices,
      printer: {
        protocol: "escpos",
        transport: { type: "tcp", host: "127.0.0.1", port: printer.port },
        columns: 42,
      },
    },
  });
}, 60_000);
afterAll(async () => {
  await kiosk?.close();
  await printer?.close();
});

describe("a receipt on a printer that answers DLE EOT and GS a only", () => {
  it("is printed and counted as printed, well before the job timeout", async () => {
    const url = kiosk?.url as string;
    const slip = "PRN/2027/1";
    const scan = await fetch(`${url}/api/scan`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ payload: issueSlip(keys, { slip }) }),
    });
    expect(scan.status).toBe(200);
    expect((await fetch(`${url}/api/session/pay`, { method: "POST" })).status).toBe(202);
    const started = Date.now();
    let session: { state: string; error: unknown; payment: { receiptPrinted: boolean } | null } | undefined;
    while (Date.now() - started < 15_000) {
      session = (await (await fetch(`${url}/api/session`)).json()) as typeof session;
      if (session?.state === "done") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(session?.state).toBe("done");
    expect(session?.error).toBeNull();
    // The driver's job timeout is 20 s: a job waiting for a GS r reply was still printing after 15 s.
    expect(session?.payment?.receiptPrinted).toBe(true);
    expect(printer.received().includes(Buffer.from(slip))).toBe(true);
  }, 30_000);
});
