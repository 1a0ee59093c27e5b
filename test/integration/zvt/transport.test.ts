import net from "node:net";
import { SerialPort } from "serialport";
import { afterEach, describe, expect, it } from "vitest";
import { createPtyPair, type PtyPair } from "../../../devices/sim/pty-pair.ts";
import { createTransport } from "../../../devices/transport/create.ts";
import { heldDevice, samePresentDevice } from "../../../devices/transport/held-device.ts";
import type { ByteTransport } from "../../../devices/transport/transport.ts";

function nextEvent(transport: ByteTransport, event: "open" | "close"): Promise<void> {
  return new Promise((resolve) => transport.once(event, () => resolve()));
}

function collect(transport: ByteTransport): { bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  transport.on("data", (c) => chunks.push(c));
  return { bytes: () => Buffer.concat(chunks) };
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error("condition not met");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe("serial transport over a socat pty pair", () => {
  async function setup(): Promise<{ pair: PtyPair; transport: ByteTransport; peer: () => SerialPort }> {
    const pair = await createPtyPair();
    cleanups.push(() => pair.close());
    const transport = createTransport({ type: "serial", path: pair.pathA, baudRate: 9600 }, undefined, {
      initialDelayMs: 20,
      maxDelayMs: 100,
    });
    cleanups.push(() => transport.close());
    let peer = new SerialPort({ path: pair.pathB, baudRate: 9600, autoOpen: false });
    const openPeer = async (): Promise<void> => {
      peer = new SerialPort({ path: pair.pathB, baudRate: 9600, autoOpen: false });
      peer.on("error", () => {});
      await new Promise<void>((res, rej) => peer.open((e) => (e ? rej(e) : res())));
    };
    await openPeer();
    cleanups.push(() => new Promise<void>((res) => (peer.isOpen ? peer.close(() => res()) : res())));
    return { pair, transport, peer: () => peer };
  }

  it("carries bytes both ways", async () => {
    const { transport, peer } = await setup();
    await transport.open();
    const got = collect(transport);
    const fromPeer: Buffer[] = [];
    peer().on("data", (c: Buffer) => fromPeer.push(c));
    await transport.write(Buffer.from([0x10, 0x02, 0x06, 0x03]));
    peer().write(Buffer.from("pong"));
    await until(() => got.bytes().toString() === "pong" && Buffer.concat(fromPeer).length === 4);
    expect(Buffer.concat(fromPeer)).toEqual(Buffer.from([0x10, 0x02, 0x06, 0x03]));
  });

  it("reports an unplug as close, rejects writes meanwhile, and reopens after replug", async () => {
    const { pair, transport } = await setup();
    await transport.open();
    const closed = nextEvent(transport, "close");
    await pair.unplug();
    await closed;
    expect(transport.isOpen).toBe(false);
    await expect(transport.write(Buffer.from([1]))).rejects.toThrow();
    const reopened = nextEvent(transport, "open");
    await pair.replug();
    await reopened;
    expect(transport.isOpen).toBe(true);
    const peer = new SerialPort({ path: pair.pathB, baudRate: 9600 });
    peer.on("error", () => {});
    cleanups.push(() => new Promise<void>((res) => (peer.isOpen ? peer.close(() => res()) : res())));
    const got: Buffer[] = [];
    peer.on("data", (c: Buffer) => got.push(c));
    await new Promise<void>((res) => peer.once("open", () => res()));
    await transport.write(Buffer.from("again"));
    await until(() => Buffer.concat(got).toString() === "again");
  });

  it("notices an idle line unplugged and replugged between two presence checks, and talks over the new one", async () => {
    const { pair, transport } = await setup();
    await transport.open();
    const closed = nextEvent(transport, "close");
    // Quicker than the one-second presence check: the same link name is back before it looks.
    await pair.unplug();
    await pair.replug();
    await closed;
    await until(() => transport.isOpen, 5000);
    const peer = new SerialPort({ path: pair.pathB, baudRate: 9600 });
    peer.on("error", () => {});
    cleanups.push(() => new Promise<void>((res) => (peer.isOpen ? peer.close(() => res()) : res())));
    await new Promise<void>((res) => peer.once("open", () => res()));
    const got = collect(transport);
    peer.write(Buffer.from("new line"));
    await until(() => got.bytes().toString() === "new line");
  });

  it("tells a replugged line from the one it holds, though the path never looked absent", async () => {
    const pair = await createPtyPair();
    cleanups.push(() => pair.close());
    const port = new SerialPort({ path: pair.pathA, baudRate: 9600, autoOpen: false });
    port.on("error", () => {});
    cleanups.push(() => new Promise<void>((res) => (port.isOpen ? port.close(() => res()) : res())));
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
    const held = heldDevice(port);
    expect(held).toBeDefined();
    expect(samePresentDevice(pair.pathA, held)).toBe(true);
    await pair.unplug();
    expect(samePresentDevice(pair.pathA, held)).toBe(false);
    await pair.replug();
    expect(samePresentDevice(pair.pathA, held)).toBe(false);
  });

  it("rejects the first open of an absent port and connects once it appears", async () => {
    const pair = await createPtyPair();
    cleanups.push(() => pair.close());
    await pair.unplug();
    const transport = createTransport({ type: "serial", path: pair.pathA, baudRate: 9600 }, undefined, {
      initialDelayMs: 20,
      maxDelayMs: 50,
    });
    cleanups.push(() => transport.close());
    await expect(transport.open()).rejects.toThrow();
    const opened = nextEvent(transport, "open");
    await pair.replug();
    await opened;
    expect(transport.isOpen).toBe(true);
  });
});

describe("createTransport", () => {
  it("builds each configured kind of link", () => {
    expect(createTransport({ type: "tcp", host: "127.0.0.1", port: 20007 }).description).toBe(
      "tcp://127.0.0.1:20007",
    );
    expect(createTransport({ type: "serial", path: "/dev/ttyUSB0", baudRate: 9600 }).description).toBe(
      "serial:/dev/ttyUSB0",
    );
    expect(createTransport({ type: "device", path: "/dev/usb/lp0" }).description).toBe("device:/dev/usb/lp0");
  });
});

describe("tcp transport", () => {
  it("carries bytes, notices the peer dropping the socket, and reconnects", async () => {
    const sockets: net.Socket[] = [];
    const received: Buffer[] = [];
    const server = net.createServer((s) => {
      sockets.push(s);
      s.on("data", (c) => received.push(c));
      s.on("error", () => {});
    });
    await new Promise<void>((res) => server.listen(0, "127.0.0.1", () => res()));
    cleanups.push(() => new Promise<void>((res) => server.close(() => res())));
    const port = (server.address() as net.AddressInfo).port;
    const transport = createTransport({ type: "tcp", host: "127.0.0.1", port }, undefined, {
      initialDelayMs: 20,
      maxDelayMs: 50,
    });
    cleanups.push(() => transport.close());
    await transport.open();
    const got = collect(transport);
    await until(() => sockets.length === 1);
    sockets[0]?.write("hello");
    await transport.write(Buffer.from("ping"));
    await until(() => got.bytes().toString() === "hello" && Buffer.concat(received).toString() === "ping");

    const closed = nextEvent(transport, "close");
    const reopened = nextEvent(transport, "open");
    sockets[0]?.destroy();
    await closed;
    await reopened;
    await until(() => sockets.length === 2);
    await transport.write(Buffer.from("!"));
    await until(() => Buffer.concat(received).toString() === "ping!");
    for (const s of sockets) s.destroy();
  });

  it("rejects the first open when nobody listens, without crashing, and keeps trying", async () => {
    const server = net.createServer();
    await new Promise<void>((res) => server.listen(0, "127.0.0.1", () => res()));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((res) => server.close(() => res()));
    const transport = createTransport({ type: "tcp", host: "127.0.0.1", port }, undefined, {
      initialDelayMs: 20,
      maxDelayMs: 50,
    });
    cleanups.push(() => transport.close());
    await expect(transport.open()).rejects.toThrow();
    const later = net.createServer((s) => s.on("error", () => {}));
    const opened = nextEvent(transport, "open");
    await new Promise<void>((res) => later.listen(port, "127.0.0.1", () => res()));
    cleanups.push(
      () =>
        new Promise<void>((res) => {
          later.close(() => res());
        }),
    );
    await opened;
    expect(transport.isOpen).toBe(true);
    await transport.close();
  });
});
